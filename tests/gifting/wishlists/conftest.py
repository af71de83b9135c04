"""Fixtures of the wishlists' tests: Ana, who keeps the lists, and Ben, her friend, who
claims and buys from them."""

import pytest

from tests.factories import UserFactory, friends_make


@pytest.fixture
def ana():
    return UserFactory(username="ana", display_name="Ana")


@pytest.fixture
def ben(ana):
    ben = UserFactory(username="ben", display_name="Ben")
    friends_make(ana, ben)
    return ben
