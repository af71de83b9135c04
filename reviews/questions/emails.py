"""The email telling a merchant's staff that a shopper asked about one of their products.

Sent from Celery (tasks.question_asked_staff_email), delivered through the outbox
(services.question_ask records it), once per question: Question.staff_emailed_at is set by a
conditional UPDATE in the transaction that sends, so a delivery that runs twice sends one
email, and a send that fails leaves it unset to be tried again.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from reviews.questions import selectors
from reviews.questions.models import Question
from shop.core.tasks import email_message_send


def question_asked_staff_email_send(*, question_id: int) -> bool:
    """Email QUESTION_ID's merchant staff about it, once. Returns whether it went out now."""
    with transaction.atomic():
        question, emails = selectors.question_for_staff_email(question_id=question_id)
        if question is None or not emails:
            return False
        claimed = Question.objects.filter(pk=question.pk, staff_emailed_at__isnull=True).update(
            staff_emailed_at=timezone.now()
        )
        if not claimed:
            return False
        context = {
            "question": question,
            "product": question.product,
            "merchant": question.product.merchant,
            "admin_url": (
                f"{settings.SITE_URL.rstrip('/')}/admin/questions/question/{question.pk}/change/"
            ),
            "store_name": settings.STORE_NAME,
        }
        email_message_send(
            subject=f"A shopper asks about {question.product.title}",
            body=render_to_string("questions/email/asked.txt", context),
            html_body=render_to_string("questions/email/asked.html", context),
            to=emails,
        )
    return True
