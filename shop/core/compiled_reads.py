"""Counts that every signed-in page reads (the header's badges), built once per connection.

The header's badges (shop.core.navigation) are read on every signed-in page. Their queries are
small, but the ORM building them anew each time (joins, the graph's block subqueries) cost
more than running them: 1.4 ms for the bell's unread count against well under 0.1 ms in the
database. As shop.accounts.session_reads does for the session and user rows, a count here is
built once per database connection by the ORM itself, with a sentinel where the person's id
goes, and then only run, with the id put in the sentinel's places. It still goes through the
connection's cursor, so it is counted and logged as any query.

Only for queries whose parameters are constants and the one id: anything that depends on the
time or on other values per request must not be compiled here.
"""

from collections.abc import Callable
from weakref import WeakKeyDictionary

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet

# An id no row has (ids are positive), put where the person's id goes while the query is built.
ID_SENTINEL = -7_101_997

_prepared: "WeakKeyDictionary[BaseDatabaseWrapper, dict[str, tuple[str, tuple]]]" = (
    WeakKeyDictionary()
)


def compiled_count(
    *, name: str, model: type, build: Callable[[int], QuerySet], person_id: int
) -> int:
    """Return the number of rows of `build(person_id)` (a queryset of MODEL), built once per
    connection under NAME: `build` is called then, with ID_SENTINEL, and not again."""
    connection = connections[router.db_for_read(model)]
    per_connection = _prepared.setdefault(connection, {})
    prepared = per_connection.get(name)
    if prepared is None:
        queryset = build(ID_SENTINEL)
        inner, params = queryset.values("pk").query.get_compiler(connection=connection).as_sql()
        if ID_SENTINEL not in params:
            raise ValueError(f"The count {name!r} does not use the id it is given.")
        prepared = per_connection[name] = (
            f"SELECT COUNT(*) FROM ({inner}) compiled_count",
            tuple(params),
        )
    sql, params = prepared
    values = [person_id if param == ID_SENTINEL else param for param in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchone()[0]
