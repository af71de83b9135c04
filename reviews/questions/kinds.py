"""The notification kind of questions, registered from QuestionsConfig.ready()."""

from reviews.questions.services import QUESTION_ANSWERED
from social.notifications.kinds import Group, NotificationKind, notification_kind_register
from social.notifications.models import Delivery


def _answered_text(*, actor: str, data: dict, many: bool) -> str:
    product = data.get("product", "a product")
    if many:
        return f"{actor} answered your question about {product}"
    # A merchant's answer is the shop's, whoever of its staff wrote it.
    who = data.get("merchant") or actor
    return f"{who} answered your question about {product}"


def question_kinds_register() -> None:
    notification_kind_register(
        NotificationKind(
            key=QUESTION_ANSWERED,
            label="Someone answers my question about a product",
            text=_answered_text,
            group=Group.TARGET,
            default_delivery=Delivery.IMMEDIATE,
            order=72,
        )
    )
