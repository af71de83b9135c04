"""refunds_pro_rata: a surplus shared back in proportion, to the cent."""

import random

import pytest

from gifting.pools.refunds import refunds_pro_rata


def test_a_surplus_is_shared_in_proportion_with_the_remainder_to_the_last():
    shares = refunds_pro_rata([(1, 1000), (2, 1000), (3, 1000)], 100)

    assert shares == {1: 33, 2: 33, 3: 34}


def test_the_whole_amount_refunds_each_contribution_in_full():
    assert refunds_pro_rata([(1, 250), (2, 1000)], 1250) == {1: 250, 2: 1000}


def test_nothing_to_share_and_no_one_to_share_with():
    assert refunds_pro_rata([(1, 500)], 0) == {1: 0}
    assert refunds_pro_rata([], 0) == {}


def test_more_than_was_given_is_refused():
    with pytest.raises(ValueError):
        refunds_pro_rata([(1, 500)], 501)


def test_a_tiny_last_contribution_is_never_refunded_more_than_it_gave():
    shares = refunds_pro_rata([(1, 999), (2, 999), (3, 999), (4, 1)], 2000)

    assert sum(shares.values()) == 2000 and shares[4] <= 1


@pytest.mark.parametrize("seed", range(5))
def test_random_cases_add_up_exactly_and_stay_within_each_amount(seed):
    rng = random.Random(seed)
    for _ in range(400):
        count = rng.randint(1, 30)
        contributions = [(pk, rng.randint(1, 50_000)) for pk in range(1, count + 1)]
        total = sum(amount for _, amount in contributions)
        surplus = rng.choice([0, total, rng.randint(0, total), rng.randint(0, min(total, 99))])

        shares = refunds_pro_rata(contributions, surplus)

        assert set(shares) == {pk for pk, _ in contributions}
        assert sum(shares.values()) == surplus
        for pk, amount in contributions:
            assert 0 <= shares[pk] <= amount
            # Each gets its proportional share, rounded down (the last one: up).
            exact = surplus * amount // total
            if pk != contributions[-1][0] and shares[contributions[-1][0]] < contributions[-1][1]:
                assert shares[pk] == exact
        last_pk, last_amount = contributions[-1]
        if shares[last_pk] < last_amount:
            floors = sum(surplus * a // total for _, a in contributions)
            assert shares[last_pk] == surplus * last_amount // total + surplus - floors
