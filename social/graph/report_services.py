"""Reporting a person to the operator (the writes; admin reads the reports).

Kept beside services.py, whose rules it reuses (not oneself, the daily limit, the block).
"""

from django.db import transaction

from shop.core.errors import DomainError
from shop.core.validators import text_clean
from social.graph.errors import GraphError
from social.graph.models import Report
from social.graph.services import daily_limit_check, person_block

# Per person and rolling day: enough to report everyone who bothers you, too few to flood
# the operator's queue.
REPORTS_PER_DAY = 20


@transaction.atomic
def person_report(*, reporter, person, reason: str, text: str = "", block: bool = False) -> Report:
    """REPORTER reports PERSON for REASON (Report.Reason), with an optional TEXT; with BLOCK,
    REPORTER also blocks PERSON (services.person_block).

    Raises DomainError SELF_NOT_ALLOWED (field person), INVALID_REASON (reason),
    INVALID_TEXT (text), and RateLimitError RATE_LIMITED past REPORTS_PER_DAY.
    """
    if reporter.pk == person.pk:
        raise DomainError(
            "You cannot report yourself.", code=GraphError.SELF_NOT_ALLOWED, field="person"
        )
    if reason not in Report.Reason.values:
        raise DomainError(
            "Choose why you are reporting them.", code=GraphError.INVALID_REASON, field="reason"
        )
    text = text_clean(
        text,
        field="text",
        label="description",
        max_length=Report.TEXT_MAX_LENGTH,
        required=False,
        code=GraphError.INVALID_TEXT,
    )
    daily_limit_check(
        Report.objects.filter(reporter_id=reporter.pk), limit=REPORTS_PER_DAY, what="reports"
    )
    report = Report.objects.create(reporter=reporter, person=person, reason=reason, text=text)
    if block:
        person_block(blocker=reporter, person=person)
    return report


def reports_mark_handled(*, report_ids: list[int], handled: bool = True) -> int:
    """Mark the reports REPORT_IDS handled (or open again); return how many changed."""
    return Report.objects.filter(pk__in=report_ids).exclude(handled=handled).update(handled=handled)
