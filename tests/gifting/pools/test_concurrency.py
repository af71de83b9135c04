"""Contributions under concurrent requests: twenty people chipping in at once around the
target never hold more than the target, and exactly as many as fit get a reservation.

PostgreSQL only: SQLite serialises writers, so there is no race to lose there.
"""

import pytest
from django.db import connection

from gifting.pools import contributions, payments
from gifting.pools.errors import PoolError
from gifting.pools.models import Contribution, Pool
from shop.core.errors import DomainError
from shop.payments.models import FakeCharge, Payment
from tests.concurrency import race
from tests.factories import GOOD_CARD, UserFactory
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
        lambda: contributions.contribution_reserve(
            pool=pool, amount=1400, contributor=people.pop()
        ),
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
        contributions.contribution_reserve(pool=pool, amount=1000, contributor=people.pop())
        for _ in range(3)
    ]
    calls = [lambda c=c: contributions.contribution_succeed(contribution=c) for c in held]
    calls += [
        lambda: contributions.contribution_reserve(pool=pool, amount=1000, contributor=people.pop())
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
        lambda: contributions.contribution_reserve(
            pool=pool, amount=1000, contributor=ana, idempotency_key="retry-1"
        ),
        racers=5,
    )

    assert {r.pk for r in results if isinstance(r, Contribution)} == {
        Contribution.objects.get(idempotency_key="retry-1").pk
    }, results
    assert Pool.objects.get(pk=pool.pk).reserved == 1000


@pytest.mark.parametrize("attempt", range(2))
def test_twenty_people_reserving_and_paying_at_once_fund_the_pool_exactly(settings, attempt):
    """Each racer reserves what it wants (capped at what is left: POOL_FULL offers the rest,
    which it takes) and pays it with the fake gateway. The pool ends FUNDED, its collected is
    the sum of the payments kept, and nothing is charged beyond the target."""
    settings.PAYMENT_GATEWAY = "fake"
    pool = pool_make(target=10_000, minimum=100)
    people = UserFactory.create_batch(20)
    amounts = [700 + 50 * i for i in range(20)]  # 23,500 wanted for 10,000

    def chip_in():
        """Ask for AMOUNT; offered less (POOL_FULL), take what is left, as the page offers."""
        person, amount = people.pop(), amounts.pop()
        while True:
            try:
                contribution = contributions.contribution_reserve(
                    pool=pool, amount=amount, contributor=person
                )
            except DomainError as error:
                amount = Pool.objects.get(pk=pool.pk).remaining
                if error.code != PoolError.POOL_FULL or not amount:
                    raise  # funded, or the others hold the rest
                continue
            return payments.contribution_pay(contribution=contribution, payment_method=GOOD_CARD)

    results = race(chip_in, racers=20)

    paid = [r for r in results if isinstance(r, Payment)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(paid) + len(refused) == 20, results
    # Too late: the rest was held by others (full, complete) or the pool is funded (closed).
    late = {PoolError.POOL_FULL, PoolError.POOL_COMPLETE, PoolError.POOL_CLOSED}
    assert {e.code for e in refused} <= late
    assert all(p.status == Payment.Status.SUCCEEDED for p in paid)
    pool = Pool.objects.get(pk=pool.pk)
    kept = Payment.objects.filter(
        reference__startswith="pool-contribution:", status=Payment.Status.SUCCEEDED
    )
    charged = sum(p.amount - p.amount_refunded for p in kept)
    assert (pool.collected, pool.reserved, pool.state) == (10_000, 0, Pool.State.FUNDED)
    assert charged == pool.collected == 10_000
    assert sum(FakeCharge.objects.values_list("amount", flat=True)) == 10_000
    succeeded = pool.contributions.filter(status=Contribution.Status.SUCCEEDED)
    assert sum(c.amount for c in succeeded) == 10_000
    assert set(succeeded.values_list("payment_id", flat=True)) == {p.pk for p in paid}
