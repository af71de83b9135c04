"""`manage.py demo_data` gives the demo shopper a friend's question to answer and one of their
own with answers."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from social.feed.selectors import feed_page
from social.likes.models import Ask, AskAnswer
from social.notifications.models import Notification

pytestmark = pytest.mark.django_db
DEMO_PRODUCTS = 12  # the shop `demo` (tests/demo/conftest.py) is built once for this module


def _build(capture):
    with capture(execute=True):
        call_command("demo_data", products=12, stdout=io.StringIO())


def test_the_demo_shopper_has_a_question_to_answer_and_one_answered(
    demo, client, django_capture_on_commit_callbacks
):
    shopper = get_user_model().objects.get(username="shopper")
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(shopper)

    to_me = Ask.objects.get(recipients__user=shopper)
    mine = Ask.objects.get(asker=shopper)
    assert to_me.is_open and mine.is_open
    assert Notification.objects.filter(recipient=shopper, kind="ask_received").count() == 1
    entries = [e for e in feed_page(viewer=shopper).entries if e.verb == "ask"]
    assert len(entries) == 1 and "ask-answer-form" in entries[0].extra
    assert (mine.yes_count, mine.no_count) == (1, 1)
    assert AskAnswer.objects.filter(ask=mine).exclude(comment="").count() == 2
    page = client.get(mine.product.get_absolute_url()).content.decode()
    assert "1 says yes, 1 says no" in page


def test_building_the_demo_again_makes_no_more_questions(demo, django_capture_on_commit_callbacks):
    counts = (Ask.objects.count(), AskAnswer.objects.count(), Notification.objects.count())

    _build(django_capture_on_commit_callbacks)

    assert counts[0] == 2
    assert (Ask.objects.count(), AskAnswer.objects.count(), Notification.objects.count()) == counts
