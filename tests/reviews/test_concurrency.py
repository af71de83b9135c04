"""Many reviews and votes of one product at the same moment leave its aggregates and the
review's counters exactly equal to a recount. PostgreSQL only: SQLite serialises writers."""

import threading

import pytest
from django.db import connection

from reviews import services
from reviews.models import Review, ReviewVote
from tests.concurrency import race
from tests.factories import ProductFactory, UserFactory
from tests.reviews.helpers import aggregates, recount, review_write

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) concurrency"
    ),
]


def _one_each(people, call):
    pending = list(people)
    lock = threading.Lock()

    def run():
        with lock:
            index = len(pending) - 1
            person = pending.pop()
        return call(person, index)

    return run


def test_twenty_concurrent_reviews_leave_the_aggregates_equal_to_a_recount():
    jacket = ProductFactory()
    people = UserFactory.create_batch(20, verified=False)

    results = race(
        _one_each(people, lambda person, i: review_write(person, jacket, rating=1 + i % 5)),
        racers=20,
    )

    assert all(not isinstance(result, Exception) for result in results), results
    assert Review.objects.filter(product=jacket).count() == 20
    assert aggregates(jacket) == recount(jacket)


def test_fifty_concurrent_votes_leave_the_counters_equal_to_a_recount():
    jacket = ProductFactory()
    review = review_write(UserFactory(), jacket)
    people = UserFactory.create_batch(50, verified=False)

    results = race(
        _one_each(
            people,
            lambda person, i: services.review_vote(
                voter=person, review_id=review.pk, helpful=i % 3 != 0
            ),
        ),
        racers=50,
    )

    assert all(not isinstance(result, Exception) for result in results), results
    review.refresh_from_db()
    votes = ReviewVote.objects.filter(review=review)
    assert review.helpful_count == votes.filter(helpful=True).count()
    assert review.unhelpful_count == votes.filter(helpful=False).count() == 17
    assert aggregates(jacket) == recount(jacket)


def test_one_person_voting_from_many_tabs_counts_once():
    review = review_write(UserFactory(), ProductFactory())
    ben = UserFactory()

    results = race(
        lambda: services.review_vote(voter=ben, review_id=review.pk, helpful=True), racers=8
    )

    assert all(not isinstance(result, Exception) for result in results), results
    review.refresh_from_db()
    assert review.helpful_count == 1
