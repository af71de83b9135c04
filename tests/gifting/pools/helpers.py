"""What the pools' tests share: an open pool."""

from datetime import timedelta

from django.utils import timezone

from gifting.pools import services
from tests.factories import UserFactory


def pool_make(organiser=None, *, target=10_000, minimum=100, **fields):
    """An open pool of ORGANISER (a new user by default) towards TARGET cents, a week out."""
    organiser = organiser or UserFactory()
    fields.setdefault("recipient_name", "Ana")
    fields.setdefault("visibility", "link")
    fields.setdefault("deadline", timezone.now() + timedelta(days=7))
    return services.pool_open(organiser=organiser, target=target, minimum=minimum, **fields)
