"""Many likes of one product at the same moment: the count is exact, and one person liking
from many tabs at once likes once. PostgreSQL only: SQLite serialises writers, so there is
no race to lose there."""

import threading

import pytest
from django.db import connection

from social.likes import services
from social.likes.models import Like, ProductLikeCount
from tests.concurrency import race
from tests.factories import ProductFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) concurrency"
    ),
]

RACERS = 8


def _count(product) -> int:
    return ProductLikeCount.objects.get(product=product).count


def test_many_people_liking_at_once_are_all_counted():
    jacket = ProductFactory()
    people = UserFactory.create_batch(RACERS, verified=False)
    pending = list(people)
    lock = threading.Lock()

    def like():
        with lock:
            person = pending.pop()
        return services.like_create(user=person, product=jacket)

    results = race(like, racers=RACERS)

    assert all(not isinstance(result, Exception) for result in results), results
    assert Like.objects.filter(product=jacket).count() == RACERS
    assert _count(jacket) == RACERS


def test_one_person_liking_from_many_tabs_at_once_likes_once():
    ana, jacket = UserFactory(), ProductFactory()

    results = race(lambda: services.like_create(user=ana, product=jacket), racers=RACERS)

    assert all(not isinstance(result, Exception) for result in results), results
    assert sum(result.changed for result in results) == 1
    assert Like.objects.filter(product=jacket).count() == 1
    assert _count(jacket) == 1


def test_one_person_unliking_from_many_tabs_at_once_counts_one_less():
    ana, ben, jacket = UserFactory(), UserFactory(), ProductFactory()
    services.like_create(user=ana, product=jacket)
    services.like_create(user=ben, product=jacket)

    results = race(lambda: services.like_delete(user=ana, product=jacket), racers=RACERS)

    assert all(not isinstance(result, Exception) for result in results), results
    assert sum(result.changed for result in results) == 1
    assert _count(jacket) == 1
