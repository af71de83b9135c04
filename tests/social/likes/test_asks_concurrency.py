"""Friends answering at the same moment: the tally stays exact (PostgreSQL only: SQLite
serialises writers, so there is no race to lose there)."""

import threading

import pytest
from django.db import connection

from shop.core.errors import DomainError
from social.likes import ask_services as services
from social.likes.models import Ask, AskAnswer
from tests.concurrency import race
from tests.social.likes.asks_helpers import ask_make, person, product_make

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) row locks"
    ),
]


def _each_in_turn(calls):
    pending = list(calls)
    lock = threading.Lock()

    def target():
        with lock:
            call = pending.pop()
        return call()

    return target


def _fresh(ask) -> Ask:
    return Ask.objects.select_related("asker", "product").get(pk=ask.pk)


def test_many_friends_answering_at_once_are_all_counted():
    ana = person("ana")
    friends = [person(f"friend{i}") for i in range(6)]
    ask = ask_make(ana, *friends)

    results = race(
        _each_in_turn(
            [
                (lambda f=f, i=i: services.ask_answer(ask=_fresh(ask), friend=f, yes=i % 3 == 0))
                for i, f in enumerate(friends)
            ]
        ),
        racers=6,
    )

    assert all(isinstance(r, AskAnswer) for r in results), results
    ask.refresh_from_db()
    assert (ask.yes_count, ask.no_count) == (2, 4)


@pytest.mark.parametrize("attempt", range(3))
def test_one_friend_answering_from_two_tabs_at_once_counts_once(attempt):
    ana, ben = person(f"ana{attempt}"), person(f"ben{attempt}")
    ask = ask_make(ana, ben, product=product_make(f"Jacket {attempt}"))

    results = race(
        _each_in_turn(
            [
                lambda: services.ask_answer(ask=_fresh(ask), friend=ben, yes=True),
                lambda: services.ask_answer(ask=_fresh(ask), friend=ben, yes=False),
            ]
        ),
        racers=2,
    )

    assert all(isinstance(r, AskAnswer) for r in results), results
    answer = AskAnswer.objects.get(ask=ask)
    ask.refresh_from_db()
    expected = (1, 0) if answer.yes else (0, 1)
    assert (ask.yes_count, ask.no_count) == expected


def test_answers_racing_a_withdrawal_are_counted_only_if_taken():
    ana = person("ana")
    friends = [person(f"friend{i}") for i in range(4)]
    ask = ask_make(ana, *friends)

    calls = [
        (lambda f=f: services.ask_answer(ask=_fresh(ask), friend=f, yes=True)) for f in friends
    ]
    calls.append(lambda: services.ask_close(ask=_fresh(ask), user=ana))
    results = race(_each_in_turn(calls), racers=5)

    taken = [r for r in results if isinstance(r, AskAnswer)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(taken) + len(refused) == 4, results
    ask.refresh_from_db()
    assert ask.yes_count == len(taken) == AskAnswer.objects.filter(ask=ask).count()
    assert ask.closed_reason == "withdrawn"


def test_two_tabs_asking_at_once_open_one_ask():
    ana, ben, cleo = person("ana"), person("ben"), person("cleo")
    from tests.factories import friends_make

    friends_make(ana, ben, cleo)
    product = product_make()

    results = race(
        _each_in_turn(
            [
                lambda: services.ask_create(asker=ana, product=product, friends=[ben]),
                lambda: services.ask_create(asker=ana, product=product, friends=[cleo]),
            ]
        ),
        racers=2,
    )

    assert not any(isinstance(r, Exception) for r in results), results
    assert Ask.objects.filter(asker=ana).count() == 1
    assert Ask.objects.get().recipients.count() == 2
