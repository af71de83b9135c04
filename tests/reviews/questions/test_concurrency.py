"""Votes at the same moment: the helpful count stays exact (PostgreSQL only: SQLite
serialises writers, so there is no race to lose there)."""

import threading

import pytest
from django.db import connection

from reviews.questions import services
from reviews.questions.models import Answer, AnswerVote
from tests.concurrency import race
from tests.factories import UserFactory
from tests.reviews.questions.helpers import shop_make

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


@pytest.fixture
def answer():
    shop = shop_make()
    question = services.question_ask(author=shop.shopper, product=shop.product, text="Bulb?")
    return services.answer_create(question=question, author=shop.staff, text="Yes.")


def _fresh(answer) -> Answer:
    return Answer.objects.get(pk=answer.pk)


def test_many_people_voting_at_once_are_all_counted(answer):
    voters = UserFactory.create_batch(6)

    results = race(
        _each_in_turn(
            [
                (
                    lambda v=v, i=i: services.answer_vote(
                        answer=_fresh(answer), voter=v, helpful=i % 3 != 0
                    )
                )
                for i, v in enumerate(voters)
            ]
        ),
        racers=6,
    )

    assert all(isinstance(r, AnswerVote) for r in results), results
    answer.refresh_from_db()
    assert answer.helpful_count == 4 == AnswerVote.objects.filter(helpful=True).count()


@pytest.mark.parametrize("attempt", range(3))
def test_one_person_voting_both_ways_from_two_tabs_counts_their_last_vote(answer, attempt):
    voter = UserFactory()

    results = race(
        _each_in_turn(
            [
                lambda: services.answer_vote(answer=_fresh(answer), voter=voter, helpful=True),
                lambda: services.answer_vote(answer=_fresh(answer), voter=voter, helpful=False),
            ]
        ),
        racers=2,
    )

    assert all(isinstance(r, AnswerVote) for r in results), results
    vote = AnswerVote.objects.get(answer=answer, voter=voter)
    answer.refresh_from_db()
    assert answer.helpful_count == (1 if vote.helpful else 0)
