"""`manage.py demo_data` shows questions and answers on a product the demo shopper bought
(one answered by the merchant and a verified buyer, one unanswered), answers the shopper's own
question, and gives the merchants their policies and the shopper a friend who bought from
Northwind Outfitters."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from reviews.questions.models import Answer, Question
from social.notifications.models import Notification
from tests.html import html

pytestmark = pytest.mark.django_db


def _build(capture):
    with capture(execute=True):
        call_command("demo_data", products=12, stdout=io.StringIO())


def test_the_demo_has_questions_answers_and_a_merchants_reputation(
    client, django_capture_on_commit_callbacks
):
    _build(django_capture_on_commit_callbacks)
    shopper = get_user_model().objects.get(username="shopper")
    counts = (Question.objects.count(), Answer.objects.count(), Notification.objects.count())

    answered = Question.objects.get(author__username="lena")
    assert [answer.role for answer in answered.answers.all()] == ["buyer", "merchant"]
    assert Question.objects.filter(answer_count=0).count() == 1
    assert Notification.objects.filter(recipient=shopper, kind="question_answered").count() == 1

    client.force_login(shopper)
    questions = html(client.get(f"/products/{answered.product.slug}/questions/"))
    badges = [badge.text for badge in questions.all("span", cls="answer__badge")]
    assert badges == ["Verified buyer", "Merchant"]
    # The shopper bought it: they may answer the unanswered one.
    assert questions.all("details", cls="question__answer")

    page = html(client.get("/merchants/northwind-outfitters/"))
    assert "Robin" in page.one(cls="reputation__friends").text
    assert "Send anything back unused within 30 days" in page.text
    assert "shipped within 2 days of payment" in page.one("section", cls="reputation").text

    _build(django_capture_on_commit_callbacks)
    after = (Question.objects.count(), Answer.objects.count(), Notification.objects.count())
    assert after == counts
