"""Claims under concurrent requests: ten friends claiming the last two wanted units at once
get exactly two claims.

PostgreSQL only: SQLite serialises writers, so there is no race to lose there.
"""

import pytest
from django.db import connection

from gifting.wishlists import services
from gifting.wishlists.errors import WishlistError
from gifting.wishlists.models import Claim
from shop.core.errors import DomainError
from tests.concurrency import race
from tests.factories import UserFactory, friends_make
from tests.gifting.wishlists.helpers import wish_make

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) row locks"
    ),
]


@pytest.mark.parametrize("attempt", range(2))
def test_ten_friends_claiming_the_last_two_units_at_once_make_exactly_two_claims(attempt):
    ana = UserFactory(username=f"ana{attempt}")
    early, *friends = UserFactory.create_batch(11)
    friends_make(ana, early, *friends)
    item = wish_make(ana, wanted=3)
    services.claim_create(item=item, claimer=early)  # two units are left

    # list.pop() is atomic: each racer claims as a different friend.
    results = race(lambda: services.claim_create(item=item, claimer=friends.pop()), racers=10)

    claims = [r for r in results if isinstance(r, Claim)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(claims) == 2, results
    assert len(refused) == 8 and {e.code for e in refused} == {WishlistError.SOLD_OUT}
    assert Claim.objects.filter(item=item, status="reserved").count() == 3
