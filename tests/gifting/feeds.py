"""What the feed tests of gifting share: people who just signed in, and a feed page as text.

The fixture `run` (a write and the fan-outs it sends on commit) is in tests/gifting/conftest.py.
"""

from django.utils import timezone

from tests.factories import UserFactory


def person_signed_in(username: str):
    """A person named USERNAME who signed in a moment ago: fan-outs reach them."""
    return UserFactory(username=username, display_name=username.title(), last_login=timezone.now())


def feed_text(client, user) -> str:
    """USER's feed page as CLIENT signed in as them reads it, whitespace collapsed."""
    client.force_login(user)
    return " ".join(client.get("/feed/").content.decode().split())
