"""Contributions under concurrent requests: twenty people chipping in at once around the
target never hold more than the target, and exactly as many as fit get a reservation.

PostgreSQL only: SQLite serialises writers, so there is no race to lose there.
"""

import pytest
from django.db import connection

from gifting.pools import services
from gifting.pools.errors import PoolError
from gifting.pools.models import Contribution, Pool
from shop.core.errors import DomainError
from tests.concurrency import race
from tests.factories import UserFactory
from tests.gifting.pools.helpers import pool_make

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) row locks"
    ),
]


@pytest.mark.parametrize("attempt", range(2))
def test_twenty_people_chipping_in_at_once_never_hold_more_than_the_target(attempt):
    pool = pool_make(target=10_000)  # room for exactly seven 1,400s (9,800), then 200 left
    people = UserFactory.create_batch(20)

    results = race(
        lambda: services.contribution_reserve(pool=pool, amount=1400, contributor=people.pop()),
        racers=20,
    )

    made = [r for r in results if isinstance(r, Contribution)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(made) == 7, results
    assert len(refused) == 13 and {e.code for e in refused} == {PoolError.POOL_FULL}
    pool = Pool.objects.get(pk=pool.pk)
    assert pool.reserved == 9800 and pool.collected + pool.reserved <= pool.target


def test_successes_and_new_reservations_at_once_stay_within_the_target():
    pool = pool_make(target=6000)
    people = UserFactory.create_batch(20)
    held = [
        services.contribution_reserve(pool=pool, amount=1000, contributor=people.pop())
        for _ in range(3)
    ]
    calls = [lambda c=c: services.contribution_succeed(contribution=c) for c in held]
    calls += [
        lambda: services.contribution_reserve(pool=pool, amount=1000, contributor=people.pop())
        for _ in range(17)
    ]

    results = race(lambda: calls.pop()(), racers=20)

    assert sum(isinstance(r, Contribution) for r in results) == 3, results
    pool = Pool.objects.get(pk=pool.pk)
    assert (pool.collected, pool.reserved) == (3000, 3000)
    assert pool.contributions.filter(status="succeeded").count() == 3


def test_a_request_retried_while_its_first_try_runs_makes_one_contribution():
    pool = pool_make(target=10_000)
    ana = UserFactory()

    results = race(
        lambda: services.contribution_reserve(
            pool=pool, amount=1000, contributor=ana, idempotency_key="retry-1"
        ),
        racers=5,
    )

    assert {r.pk for r in results if isinstance(r, Contribution)} == {
        Contribution.objects.get(idempotency_key="retry-1").pk
    }, results
    assert Pool.objects.get(pk=pool.pk).reserved == 1000
