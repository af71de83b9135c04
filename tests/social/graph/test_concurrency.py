"""Two people acting on each other at the same moment: the pair's lock decides.

PostgreSQL only: SQLite serialises writers, so there is no race to lose there.
"""

import threading

import pytest
from django.db import connection

from shop.core.errors import DomainError
from social.graph import services
from social.graph.errors import GraphError
from social.graph.models import Block, FriendRequest, Friendship
from tests.concurrency import race
from tests.factories import UserFactory, friends_make

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) row locks"
    ),
]


def _each_in_turn(*calls):
    """A target for race(): each thread takes the next of CALLS."""
    pending = list(calls)
    lock = threading.Lock()

    def target():
        with lock:
            call = pending.pop()
        return call()

    return target


@pytest.mark.parametrize("attempt", range(5))
def test_two_people_asking_each_other_at_once_end_as_one_friendship(attempt):
    ana, ben = UserFactory(username=f"ana{attempt}"), UserFactory(username=f"ben{attempt}")

    results = race(
        _each_in_turn(
            lambda: services.friend_request_send(sender=ana, to=ben),
            lambda: services.friend_request_send(sender=ben, to=ana),
        ),
        racers=2,
    )

    assert all(isinstance(result, FriendRequest) for result in results), results
    assert sorted(result.status for result in results) == ["accepted", "pending"]
    assert Friendship.objects.count() == 2
    assert Friendship.objects.filter(user=ana, friend=ben).exists()
    request = FriendRequest.objects.get()
    assert request.status == FriendRequest.Status.ACCEPTED


def test_the_same_request_sent_from_many_tabs_is_sent_once():
    ana, ben = UserFactory(), UserFactory()

    results = race(lambda: services.friend_request_send(sender=ana, to=ben), racers=6)

    sent = [result for result in results if isinstance(result, FriendRequest)]
    refused = [result for result in results if isinstance(result, DomainError)]
    assert len(sent) == 1 and len(refused) == 5, results
    assert {error.code for error in refused} == {GraphError.ALREADY_REQUESTED}
    assert FriendRequest.objects.count() == 1


def test_a_block_racing_an_accept_leaves_them_blocked_and_not_friends():
    ana, ben = UserFactory(), UserFactory()
    request = services.friend_request_send(sender=ana, to=ben)

    results = race(
        _each_in_turn(
            lambda: services.friend_request_accept(friend_request=request, user=ben),
            lambda: services.person_block(blocker=ana, person=ben),
        ),
        racers=2,
    )

    assert Block.objects.filter(blocker=ana, blocked=ben).exists()
    assert not Friendship.objects.exists(), results


def test_unfriending_from_both_sides_at_once_removes_both_halves():
    ana, ben = UserFactory(), UserFactory()
    friends_make(ana, ben)

    results = race(
        _each_in_turn(
            lambda: services.friendship_delete(user=ana, friend=ben),
            lambda: services.friendship_delete(user=ben, friend=ana),
        ),
        racers=2,
    )

    assert not Friendship.objects.exists()
    assert sum(isinstance(result, DomainError) for result in results) == 1, results
