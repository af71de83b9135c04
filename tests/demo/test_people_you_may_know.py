"""`manage.py demo_data` gives the demo shopper people they may know on first log-in."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from social.recommendations.people_selectors import people_you_may_know

pytestmark = pytest.mark.django_db
DEMO_PRODUCTS = 3  # the shop `demo` (tests/demo/conftest.py) is built once for this module


def test_the_shopper_may_know_several_people_most_mutual_friends_first(demo):
    shopper = get_user_model().objects.get(username="shopper")

    suggestions = people_you_may_know(viewer=shopper, limit=6)

    assert len(suggestions) == 6
    assert [s.person.username for s in suggestions[:3]] == ["julia", "oskar", "lucas"]
    assert all(s.mutual_people for s in suggestions)
    counts = [s.mutual_count for s in suggestions]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 4


def test_a_second_build_plants_nothing_new(demo):
    second = io.StringIO()

    call_command("demo_data", products=3, stdout=second)

    assert "suggestion friendships" in demo.output
    assert "suggestion friendships" not in second.getvalue()
