"""Pools' services: opening (each rule's message), contributions reserved within the target,
succeeded once, released and expired once, and the pool's named transitions."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from gifting.pools import contributions, services
from gifting.pools.errors import PoolError
from gifting.pools.models import POOL_STATES, Contribution, Pool, PoolTransition
from shop.core.errors import DomainError
from tests.factories import UserFactory
from tests.gifting.pools.helpers import pool_make

pytestmark = pytest.mark.django_db


def reserve(pool, amount, **fields):
    fields.setdefault("contributor", UserFactory())
    return contributions.contribution_reserve(pool=pool, amount=amount, **fields)


def test_the_state_list_of_the_check_constraint_is_the_states():
    assert sorted(POOL_STATES) == sorted(Pool.State.values)


def test_opening_a_pool_records_its_first_state():
    pool = pool_make(target=5000)

    assert pool.state == "open" and pool.collected == 0 and pool.reserved == 0
    assert pool.currency == "EUR" and len(pool.token) >= 20
    assert list(pool.transitions.values_list("from_state", "to_state")) == [("", "open")]


@pytest.mark.parametrize(
    ("fields", "code", "field", "message"),
    [
        ({"target": 0}, PoolError.INVALID_TARGET, "target", "Enter a target above zero."),
        ({"target": -5}, PoolError.INVALID_TARGET, "target", "Enter a target above zero."),
        (
            {"deadline": "past"},
            PoolError.INVALID_DEADLINE,
            "deadline",
            "Choose a deadline in the future.",
        ),
        (
            {"minimum": 99},
            PoolError.INVALID_MINIMUM,
            "minimum",
            "The smallest contribution is at least €1.00.",
        ),
        (
            {"visibility": "private"},
            PoolError.INVALID_VISIBILITY,
            "visibility",
            "Choose who sees the pool: friends, anyone with the link, or everyone.",
        ),
        (
            {"recipient_name": ""},
            PoolError.INVALID_RECIPIENT,
            "recipient_name",
            "Say who receives the gift.",
        ),
        (
            {"rule": "suggested", "suggested_amount": 50},
            PoolError.INVALID_SUGGESTED,
            "suggested_amount",
            "Suggest an amount from €1.00 to €100.00.",
        ),
        (
            {"rule": "equal_share", "invited_count": 0},
            PoolError.INVALID_RULE,
            "invited_count",
            "Say how many people share the gift.",
        ),
    ],
)
def test_opening_refuses_bad_input_naming_the_field(fields, code, field, message):
    if fields.get("deadline") == "past":
        fields["deadline"] = timezone.now() - timedelta(minutes=1)

    with pytest.raises(DomainError) as error:
        pool_make(**fields)

    assert (error.value.code, error.value.field, error.value.message) == (code, field, message)
    assert not Pool.objects.exists()


def test_a_pool_is_for_someone_else():
    ana = UserFactory()

    with pytest.raises(DomainError) as error:
        pool_make(ana, recipient=ana)

    assert error.value.code == PoolError.INVALID_RECIPIENT and error.value.field == "recipient"


def test_a_pool_for_a_member_needs_no_name():
    bob = UserFactory()
    pool = pool_make(recipient=bob, recipient_name="")

    assert pool.recipient == bob


def test_a_private_pool_is_refused_by_the_database_too():
    pool = pool_make()

    with pytest.raises(IntegrityError), transaction.atomic():
        Pool.objects.filter(pk=pool.pk).update(visibility="private")


def test_the_database_refuses_more_than_the_target():
    pool = pool_make(target=1000)

    with pytest.raises(IntegrityError), transaction.atomic():
        Pool.objects.filter(pk=pool.pk).update(collected=600, reserved=401)


def test_a_reservation_holds_its_amount_for_the_configured_time(settings):
    settings.POOL_RESERVATION_MINUTES = 30
    pool = pool_make(target=5000)
    now = timezone.now()

    contribution = reserve(pool, 2000, now=now)

    pool.refresh_from_db()
    assert (pool.reserved, pool.collected, pool.remaining) == (2000, 0, 3000)
    assert contribution.status == "reserved"
    assert contribution.reserved_until == now + timedelta(minutes=30)


def test_a_reservation_with_the_same_key_is_made_once():
    pool = pool_make(target=5000)
    ana = UserFactory()

    first = reserve(pool, 1000, contributor=ana, idempotency_key="k-1")
    again = reserve(pool, 1000, contributor=ana, idempotency_key="k-1")

    assert first.pk == again.pk
    pool.refresh_from_db()
    assert pool.reserved == 1000


def test_more_than_what_is_left_is_refused_offering_the_remainder():
    pool = pool_make(target=5000)
    reserve(pool, 3000)
    reserve(pool, 1750)

    with pytest.raises(DomainError) as error:
        reserve(pool, 500)

    assert error.value.code == PoolError.POOL_FULL and error.value.field == "amount"
    assert error.value.message == "Only €2.50 is left to reach the gift: chip in €2.50?"
    pool.refresh_from_db()
    assert pool.reserved == 4750 and pool.contributions.count() == 2


def test_the_remainder_below_the_minimum_is_taken_but_other_small_amounts_are_not():
    pool = pool_make(target=5000, minimum=500)
    reserve(pool, 4750)

    with pytest.raises(DomainError) as below:
        reserve(pool, 100)
    last = reserve(pool, 250)

    assert below.value.code == PoolError.BELOW_MINIMUM
    assert below.value.message == "Chip in at least €5.00."
    assert last.amount == 250


def test_a_full_pool_says_the_gift_is_funded():
    pool = pool_make(target=1000)
    reserve(pool, 1000)

    with pytest.raises(DomainError) as error:
        reserve(pool, 100)

    assert error.value.code == PoolError.POOL_COMPLETE


def test_a_guest_gives_a_name_and_an_email():
    pool = pool_make()

    with pytest.raises(DomainError) as error:
        contributions.contribution_reserve(pool=pool, amount=500, guest_name="Zoe")
    guest = contributions.contribution_reserve(
        pool=pool, amount=500, guest_name="Zoe", guest_email="zoe@example.com"
    )

    assert error.value.field == "guest_email" and error.value.code == PoolError.INVALID_CONTRIBUTOR
    assert guest.contributor is None and guest.guest_name == "Zoe"


def test_no_reservation_after_the_deadline_or_once_closed():
    pool = pool_make()
    later = pool.deadline + timedelta(seconds=1)

    with pytest.raises(DomainError) as late:
        reserve(pool, 500, now=later)
    services.pool_cancel(pool=pool)
    with pytest.raises(DomainError) as closed:
        reserve(pool, 500)

    assert late.value.code == closed.value.code == PoolError.POOL_CLOSED


def test_a_success_moves_the_amount_to_collected_once():
    pool = pool_make(target=5000)
    contribution = reserve(pool, 2000)

    assert contributions.contribution_succeed(contribution=contribution) is True
    assert contributions.contribution_succeed(contribution=contribution) is False

    pool.refresh_from_db()
    contribution.refresh_from_db()
    assert (pool.collected, pool.reserved, pool.state) == (2000, 0, "open")
    assert contribution.status == "succeeded" and contribution.succeeded_at is not None


def test_the_pool_is_funded_when_the_target_is_collected():
    pool = pool_make(target=3000)
    first, second = reserve(pool, 1000), reserve(pool, 2000)

    contributions.contribution_succeed(contribution=first)
    pool.refresh_from_db()
    assert pool.state == "open"
    contributions.contribution_succeed(contribution=second)

    pool.refresh_from_db()
    assert (pool.state, pool.collected, pool.reserved) == ("funded", 3000, 0)
    assert list(pool.transitions.values_list("to_state", flat=True)) == ["open", "funded"]


def test_a_release_gives_the_amount_back_once():
    pool = pool_make(target=5000)
    contribution = reserve(pool, 2000)

    assert contributions.contribution_release(contribution=contribution) is True
    assert contributions.contribution_release(contribution=contribution) is False

    pool.refresh_from_db()
    assert pool.reserved == 0 and contribution.status == "released"
    assert contributions.contribution_succeed(contribution=contribution) is False
    pool.refresh_from_db()
    assert pool.collected == 0


def test_a_succeeded_contribution_is_not_released():
    pool = pool_make(target=5000)
    contribution = reserve(pool, 2000)
    contributions.contribution_succeed(contribution=contribution)

    assert contributions.contribution_release(contribution=contribution) is False
    pool.refresh_from_db()
    assert (pool.collected, pool.reserved) == (2000, 0)


def test_reservations_past_their_time_expire_once():
    pool = pool_make(target=5000)
    now = timezone.now()
    old = reserve(pool, 1000, now=now - timedelta(hours=1))
    fresh = reserve(pool, 1500, now=now)

    assert contributions.contributions_expire(now=now) == 1
    assert contributions.contributions_expire(now=now) == 0

    pool.refresh_from_db()
    assert pool.reserved == 1500 and pool.remaining == 3500
    assert Contribution.objects.get(pk=old.pk).status == "released"
    assert Contribution.objects.get(pk=fresh.pk).status == "reserved"


def test_legal_transitions_are_recorded_with_who_made_them():
    pool = pool_make(target=1000)
    contributions.contribution_succeed(contribution=reserve(pool, 1000))
    pool.refresh_from_db()
    staff = UserFactory()

    services.pool_mark_ordered(pool=pool, by=staff, note="Order #12")
    services.pool_mark_shipped(pool=pool)
    services.pool_mark_delivered(pool=pool)

    steps = list(PoolTransition.objects.filter(pool=pool).values_list("from_state", "to_state"))
    assert steps == [
        ("", "open"),
        ("open", "funded"),
        ("funded", "ordered"),
        ("ordered", "shipped"),
        ("shipped", "delivered"),
    ]
    ordered = PoolTransition.objects.get(pool=pool, to_state="ordered")
    assert ordered.by == staff and ordered.note == "Order #12"


@pytest.mark.parametrize(
    ("move", "message"),
    [
        (services.pool_mark_shipped, "An open pool cannot be marked shipped."),
        (services.pool_refund_done, "An open pool cannot be marked refunded."),
        (services.pool_mark_ordered, "An open pool cannot be marked ordered."),
    ],
)
def test_illegal_transitions_are_refused_and_not_recorded(move, message):
    pool = pool_make()

    with pytest.raises(DomainError) as error:
        move(pool=pool)

    assert error.value.code == PoolError.ILLEGAL_TRANSITION and error.value.message == message
    pool.refresh_from_db()
    assert pool.state == "open" and pool.transitions.count() == 1


def test_a_delivered_pool_cannot_be_cancelled():
    pool = pool_make(target=1000)
    contributions.contribution_succeed(contribution=reserve(pool, 1000))
    pool.refresh_from_db()
    for move in (services.pool_mark_ordered, services.pool_mark_shipped):
        move(pool=pool)
    services.pool_mark_delivered(pool=pool)

    with pytest.raises(DomainError) as error:
        services.pool_cancel(pool=pool)

    assert error.value.message == "A delivered pool cannot be cancelled."


def test_an_expired_pool_is_extended_once_then_refunded():
    pool = pool_make()
    services.pool_expire(pool=pool)
    new_deadline = timezone.now() + timedelta(days=3)

    services.pool_extend(pool=pool, deadline=new_deadline)
    pool.refresh_from_db()
    assert (pool.state, pool.deadline, pool.extended_once) == ("open", new_deadline, True)

    services.pool_expire(pool=pool)
    with pytest.raises(DomainError) as twice:
        services.pool_extend(pool=pool, deadline=new_deadline + timedelta(days=1))
    services.pool_refund_done(pool=pool)

    assert twice.value.code == PoolError.ALREADY_EXTENDED
    pool.refresh_from_db()
    assert pool.state == "refunded"


def test_an_extension_needs_a_future_deadline_and_an_expired_pool():
    pool = pool_make()

    with pytest.raises(DomainError) as open_pool:
        services.pool_extend(pool=pool, deadline=timezone.now() + timedelta(days=3))
    services.pool_expire(pool=pool)
    with pytest.raises(DomainError) as past:
        services.pool_extend(pool=pool, deadline=timezone.now() - timedelta(days=1))

    assert open_pool.value.code == PoolError.ILLEGAL_TRANSITION
    assert past.value.code == PoolError.INVALID_DEADLINE
    pool.refresh_from_db()
    assert pool.state == "expired" and not pool.extended_once
