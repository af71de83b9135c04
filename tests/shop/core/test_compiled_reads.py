"""Counts built once per connection (shop.core.compiled_reads): the same answers as the ORM's."""

import pytest
from django.db import connections

from shop.accounts.models import User
from shop.core import compiled_reads
from shop.core.compiled_reads import (
    ID_SENTINEL,
    PersonCount,
    compiled_count,
    compiled_counts,
    compiled_exists,
    compiled_row,
)
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


def test_a_compiled_count_leaves_the_order_out(django_assert_num_queries):
    ana = UserFactory()
    UserFactory()

    def ordered(user_id: int):  # as a model's Meta.ordering would sort the counted rows
        return _others_active(user_id).order_by("-date_joined")

    with django_assert_num_queries(1) as captured:
        counted = compiled_count(name="test.unordered", model=User, build=ordered, person_id=ana.pk)

    assert counted == 1
    assert "ORDER BY" not in captured.captured_queries[0]["sql"]


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


def _staff_others(user_id: int):
    return User.objects.filter(is_staff=True).exclude(pk=user_id).order_by("username")


def test_several_counts_are_read_in_one_query_each_as_alone(django_assert_num_queries):
    ana, ben = UserFactory(), UserFactory(is_staff=True)
    UserFactory(is_active=False, is_staff=True)
    counts = [
        PersonCount(name="test.others", model=User, build=_others_active),
        PersonCount(name="test.staff", model=User, build=_staff_others),
    ]

    for person in (ana, ben, ana):
        with django_assert_num_queries(1):
            together = compiled_counts(counts, person_id=person.pk)
        assert together == [count(viewer=person) for count in counts]
        assert together == [_others_active(person.pk).count(), _staff_others(person.pk).count()]
    assert compiled_counts([], person_id=ana.pk) == []


def test_on_sqlite_the_constants_are_written_in_and_only_the_id_is_bound():
    UserFactory(username="50%off")
    UserFactory(username="50xoff")
    ana = UserFactory(is_staff=True)

    def build(user_id: int):  # constants: a pattern with a percent sign, a boolean
        return User.objects.filter(username__startswith="50%", is_staff=False).exclude(pk=user_id)

    for person in (ana, ana):
        counted = compiled_count(
            name="test.constants", model=User, build=build, person_id=person.pk
        )
        assert counted == build(ana.pk).count() == 1
    connection = connections["default"]
    sql, params = compiled_reads._prepared[connection]["test.constants"]
    if connection.vendor == "sqlite":
        assert params == (ID_SENTINEL,) and "'50\\%%%%'" in sql
    else:
        assert ID_SENTINEL in params and len(params) > 1  # bound as Django binds them


# --- compiled_exists: several ids and a time --------------------------------------------------


def _joined_after(*, user_id: int, other_id: int, since):
    return User.objects.filter(pk__in=[user_id, other_id], date_joined__gt=since)


def test_a_compiled_exists_puts_each_value_in_its_place(django_assert_num_queries):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    old = UserFactory(date_joined=now - timedelta(days=10))
    new = UserFactory(date_joined=now - timedelta(days=1))
    cases = [
        ({"user_id": old.pk, "other_id": new.pk, "since": now - timedelta(days=2)}, True),
        ({"user_id": old.pk, "other_id": old.pk, "since": now - timedelta(days=2)}, False),
        ({"user_id": old.pk, "other_id": old.pk, "since": now - timedelta(days=20)}, True),
        ({"user_id": new.pk, "other_id": new.pk, "since": now}, False),
    ]

    for values, expected in cases:
        with django_assert_num_queries(1):
            found = compiled_exists(
                name="test.joined-after", model=User, build=_joined_after, values=values
            )
        assert found is expected is _joined_after(**values).exists()


def test_a_compiled_exists_that_ignores_a_value_is_refused():
    with pytest.raises(ValueError):
        compiled_exists(
            name="test.exists-ignores",
            model=User,
            build=lambda user_id, other_id: User.objects.filter(pk=user_id),
            values={"user_id": 1, "other_id": 2},
        )


def test_a_compiled_row_answers_as_the_orm_does_for_each_id(django_assert_num_queries):
    ana, ben = UserFactory(is_staff=True), UserFactory()

    for person in (ana, ben, ana):
        with django_assert_num_queries(1):
            row = compiled_row(
                name="test.row",
                model=User,
                build=lambda pk: User.objects.filter(pk=pk).values_list("pk", "is_staff"),
                person_id=person.pk,
            )
        assert tuple(row) == (person.pk, person.is_staff)
    assert (
        compiled_row(
            name="test.row",
            model=User,
            build=lambda pk: User.objects.filter(pk=pk).values_list("pk", "is_staff"),
            person_id=ben.pk + 100,
        )
        is None
    )


# --- compiled_cursor: prepared on PostgreSQL ----------------------------------------------------


def _server_statements(connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_compiled_read_is_prepared_once_on_postgresql(django_assert_num_queries):
    connection = connections["default"]
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    ana, ben = UserFactory(), UserFactory()

    for person in (ana, ben, ana):
        with django_assert_num_queries(1):  # counted as any query
            counted = compiled_count(
                name="test.prepared", model=User, build=_others_active, person_id=person.pk
            )
        assert counted == 1

    sql, _ = compiled_reads._prepared[connection]["test.prepared"]
    (statement,) = [s for s in _server_statements(connection) if "compiled_count" in s]
    assert statement.replace("$1", "%s") == sql  # one statement for every run and person


def test_a_compiled_read_binds_on_the_client_when_prepared_statements_are_off(settings):
    connection = connections["default"]
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    options = connection.settings_dict["OPTIONS"]
    threshold = options.pop("prepare_threshold", None)
    try:
        ana = UserFactory()
        UserFactory()
        counted = compiled_count(
            name="test.unprepared", model=User, build=_others_active, person_id=ana.pk
        )
    finally:
        if threshold is not None:
            options["prepare_threshold"] = threshold
    assert counted == 1
    assert not [s for s in _server_statements(connection) if "compiled_count" in s]


def test_on_sqlite_a_compiled_read_converts_its_placeholders_once(django_assert_num_queries):
    connection = connections["default"]
    if connection.vendor != "sqlite":
        pytest.skip("the placeholders converted are SQLite's")
    UserFactory(username="50%off")
    ana = UserFactory()

    def build(user_id: int):  # a literal percent sign stays one; the id is bound
        return User.objects.filter(username__startswith="50%").exclude(pk=user_id)

    compiled_reads._sqlite_qmark.cache_clear()
    for person in (ana, ana, ana):
        with django_assert_num_queries(1):  # counted as any query
            counted = compiled_count(
                name="test.qmark", model=User, build=build, person_id=person.pk
            )
        assert counted == 1
    converted = compiled_reads._sqlite_qmark.cache_info()
    assert (converted.misses, converted.hits) == (1, 2)
    sql, _ = compiled_reads._prepared[connection]["test.qmark"]
    qmark = compiled_reads._sqlite_qmark(sql)
    assert qmark == connection.cursor().cursor.convert_query(sql)  # as Django converts it
    assert qmark.count("?") == 1 and "%s" not in qmark


def test_counts_as_columns_of_another_query_answer_as_compiled_counts():
    ana, ben = UserFactory(), UserFactory()
    UserFactory(is_active=False)
    counts = [
        PersonCount(name="test.col.others", model=User, build=_others_active),
        PersonCount(
            name="test.col.staff",
            model=User,
            build=lambda pk: User.objects.filter(is_staff=False).exclude(pk=pk),
        ),
    ]
    connection = connections["default"]
    columns, params = compiled_reads.person_counts_columns(
        connection, counts, table="person", column="id"
    )
    table = connection.ops.quote_name(User._meta.db_table)

    for person in (ana, ben):
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT {", ".join(columns)} FROM {table} "person" WHERE "person"."id" = %s',
                [*params, person.pk],
            )
            row = cursor.fetchone()
        assert list(row) == compiled_counts(counts, person_id=person.pk) == [1, 2]


def test_a_count_that_names_the_outer_table_is_refused_as_a_column():
    counts = [PersonCount(name="test.col.users", model=User, build=_others_active)]

    with pytest.raises(ValueError, match="cannot be read as a column"):
        compiled_reads.person_counts_columns(
            connections["default"], counts, table=User._meta.db_table, column="id"
        )
