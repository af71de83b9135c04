"""Counts built once per connection (shop.core.compiled_reads): the same answers as the ORM's."""

import pytest

from shop.accounts.models import User
from shop.core.compiled_reads import compiled_count
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _others_active(user_id: int):
    return User.objects.filter(is_active=True).exclude(pk=user_id)


def test_a_compiled_count_answers_as_the_orm_does_for_each_id(django_assert_num_queries):
    ana, ben = UserFactory(), UserFactory()
    UserFactory(is_active=False)

    for person in (ana, ben, ana):
        with django_assert_num_queries(1):
            counted = compiled_count(
                name="test.others", model=User, build=_others_active, person_id=person.pk
            )
        assert counted == _others_active(person.pk).count() == 1


def test_the_query_is_built_once_per_connection():
    built = []

    def build(user_id: int):
        built.append(user_id)
        return _others_active(user_id)

    user = UserFactory()
    for _ in range(3):
        compiled_count(name="test.built-once", model=User, build=build, person_id=user.pk)

    assert len(built) == 1


def test_a_count_that_ignores_its_id_is_refused():
    with pytest.raises(ValueError):
        compiled_count(
            name="test.no-id", model=User, build=lambda user_id: User.objects.all(), person_id=1
        )
