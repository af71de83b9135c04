import pytest
from django.utils import timezone

from social.feed import services
from social.feed.models import Activity
from tests.factories import UserFactory


def person(username: str, **fields):
    """An active person (logged in a moment ago, so fan-outs reach them)."""
    return UserFactory(
        username=username, display_name=username.title(), last_login=timezone.now(), **fields
    )


@pytest.fixture
def record(django_capture_on_commit_callbacks):
    """Record an activity and run its fan-out: record(actor, key=..., visibility=...)."""

    def _record(actor=None, *, key: str, visibility="friends", verb=Activity.Verb.LIKE, **kw):
        snapshot = kw.pop("snapshot", None) or {
            "title": f"Thing {key}",
            "image_url": "",
            "price": 1500,
            "currency": "EUR",
            "url": f"/products/{key}/",
        }
        with django_capture_on_commit_callbacks(execute=True):
            return services.activity_record(
                verb=verb,
                actor=actor,
                snapshot=snapshot,
                visibility=visibility,
                dedupe_key=key,
                **kw,
            )

    return _record
