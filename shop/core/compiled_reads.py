"""Counts that every signed-in page reads (the header's badges), built once per connection.

The header's badges (shop.core.navigation) are read on every signed-in page. Their queries are
small, but the ORM building them anew each time (joins, the graph's block subqueries) cost
more than running them: 1.4 ms for the bell's unread count against well under 0.1 ms in the
database. As shop.accounts.session_reads does for the session and user rows, a count here is
built once per database connection by the ORM itself, with a sentinel where the person's id
goes, and then only run, with the id put in the sentinel's places. It still goes through the
connection's cursor, so it is counted and logged as any query.

compiled_count is only for queries whose parameters are constants and the one id (a PersonCount
names one, and compiled_counts reads several in one query); compiled_exists
takes several ids and times, each put where its sentinel was (anything else that depends on
the request must not be compiled here).

On PostgreSQL they run through compiled_cursor, whose statements the server prepares: parsed
and planned once per connection rather than on every request.
"""

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from weakref import WeakKeyDictionary

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet

# An id no row has (ids are positive), put where the person's id goes while the query is built.
ID_SENTINEL = -7_101_997

_prepared: "WeakKeyDictionary[BaseDatabaseWrapper, dict[str, tuple[str, tuple]]]" = (
    WeakKeyDictionary()
)
_prepared_exists: "WeakKeyDictionary[BaseDatabaseWrapper, dict[str, tuple[str, tuple]]]" = (
    WeakKeyDictionary()
)


# A placeholder in Django's SQL (not a "%%s" that is a literal percent sign followed by s).
_PLACEHOLDER = re.compile(r"(?<!%)%s")


def _constants_written(
    connection: BaseDatabaseWrapper, sql: str, params: tuple, variable: Callable[[object], bool]
) -> tuple[str, tuple]:
    """On SQLite, SQL with its constant parameters (those not `variable`) written in as
    literals, and the parameters left; elsewhere SQL and PARAMS as they are.

    SQLite cannot tell from `status = ?` that a partial index (`WHERE status = 'pending'`, as
    the Friends badge's) applies, and plans such a statement again on every run: the badges'
    query took 138 us bound against 38 us with its constants written in. Each literal is
    SQLite's own quoting of the value (`quote()`), read once when the query is built.
    """
    if connection.vendor != "sqlite":
        return sql, params
    connection.ensure_connection()

    def literal(param: object) -> str | None:
        written = None if variable(param) else _sqlite_literal(connection, param)
        return None if written is None else written.replace("%", "%%")

    written = _placeholders_written(sql, params, literal)
    return (sql, params) if written is None else written


def _placeholders_written(
    sql: str, params: tuple, write: Callable[[object], str | None]
) -> tuple[str, tuple] | None:
    """SQL with each placeholder whose parameter WRITE turns into SQL text replaced by that
    text, and the parameters left bound; None for SQL whose placeholders are not PARAMS'."""
    pieces = _PLACEHOLDER.split(sql)
    if len(pieces) != len(params) + 1:
        return None
    written, left = [pieces[0]], []
    for param, piece in zip(params, pieces[1:], strict=True):
        text = write(param)
        if text is None:
            written.append("%s")
            left.append(param)
        else:
            written.append(text)
        written.append(piece)
    return "".join(written), tuple(left)


def _sqlite_literal(connection: BaseDatabaseWrapper, value: object) -> str | None:
    """VALUE as an SQLite literal, or None for one SQLite cannot take (it stays bound)."""
    try:
        return str(connection.connection.execute("SELECT quote(?)", (value,)).fetchone()[0])
    except Exception:  # a type without an adapter: no harm, it is bound as before
        return None


@contextmanager
def compiled_cursor(connection: BaseDatabaseWrapper) -> Iterator:
    """A cursor of CONNECTION for SQL built once and run on every request.

    On PostgreSQL, a cursor that sends the parameters apart from the SQL (psycopg's
    server-side binding), so that the same statement comes back with every run and the
    server prepares it: parsed and planned once per connection (the settings' OPTIONS
    `prepare_threshold`, 0, lets psycopg prepare the statements such a cursor runs; Django's
    own cursors bind on the client and never prepare). The session read every signed-in
    request makes cost the server 450 us planned each time and 230 us prepared, and the
    worker 300 us against 250 us. Elsewhere (SQLite, or prepared statements turned off in
    the settings) the connection's own cursor; on SQLite one that turns each statement's
    placeholders into SQLite's once per process rather than on every run (Django's runs a
    regular expression over the whole SQL each time: 10 us of a 1 KB statement, three of
    them a signed-in page). Each is wrapped as Django wraps its cursors: counted, logged and
    its errors Django's.
    """
    if connection.vendor == "sqlite":
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        connection.validate_thread_sharing()
        with connection.wrap_database_errors:
            raw = connection.connection.cursor(factory=_sqlite_cursor())
        wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
        with wrap(raw) as cursor:
            yield cursor
        return
    if (
        connection.vendor != "postgresql"
        or connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is None
    ):
        with connection.cursor() as cursor:
            yield cursor
        return
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        raw = ServerBindingCursor(connection.connection)
    if connection.queries_logged:
        cursor = _logged_as_written()(raw, connection)
    else:
        cursor = connection.make_cursor(raw)
    with cursor:
        yield cursor


@cache
def _sqlite_cursor() -> type:
    """Django's SQLite cursor (imported when SQLite is used), converting each statement's
    placeholders once: the statements run here are a few, built once per connection."""
    from django.db.backends.sqlite3.base import SQLiteCursorWrapper

    class ConvertedOnce(SQLiteCursorWrapper):
        def convert_query(self, query, *, param_names=None):
            if param_names is None:
                return _sqlite_qmark(query)
            return super().convert_query(query, param_names=param_names)

    return ConvertedOnce


@lru_cache(maxsize=256)
def _sqlite_qmark(query: str) -> str:
    """QUERY's "%s" placeholders as SQLite's "?", as SQLiteCursorWrapper.convert_query does."""
    from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX

    return FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


@cache
def _logged_as_written() -> type:
    """Django's PostgreSQL debug cursor wrapper (imported when PostgreSQL is used)."""
    from django.db.backends.postgresql.base import CursorDebugWrapper

    class LoggedAsWritten(CursorDebugWrapper):
        """Logs (DEBUG, the tests' query counts) a statement as written, with its
        placeholders: psycopg keeps no text of a prepared statement's run to log."""

        def debug_sql(self, sql=None, params=None, use_last_executed_query=False, many=False):
            return super().debug_sql(sql, params, use_last_executed_query=False, many=many)

    return LoggedAsWritten


def _is_id(param: object) -> bool:
    return param == ID_SENTINEL


def _row_for(
    connection: BaseDatabaseWrapper, sql: str, params: tuple, person_id: int
) -> tuple | None:
    """The first row of a compiled SQL, run with PERSON_ID where ID_SENTINEL was."""
    values = [person_id if param == ID_SENTINEL else param for param in params]
    with compiled_cursor(connection) as cursor:
        cursor.execute(sql, values)
        return cursor.fetchone()


def _count_sql(
    connection: BaseDatabaseWrapper, name: str, build: Callable[[int], QuerySet]
) -> tuple[str, tuple]:
    """The SQL and parameters of the count NAME (built once per connection)."""
    per_connection = _prepared.setdefault(connection, {})
    prepared = per_connection.get(name)
    if prepared is None:
        queryset = build(ID_SENTINEL)
        if not queryset.query.is_sliced:
            # A count has no order: the model's default one only made the database sort
            # (SQLite: a temporary b-tree per page's badge).
            queryset = queryset.order_by()
        inner, params = queryset.values("pk").query.get_compiler(connection=connection).as_sql()
        if ID_SENTINEL not in params:
            raise ValueError(f"The count {name!r} does not use the id it is given.")
        prepared = per_connection[name] = _constants_written(
            connection, f"SELECT COUNT(*) FROM ({inner}) compiled_count", tuple(params), _is_id
        )
    return prepared


def compiled_count(
    *, name: str, model: type, build: Callable[[int], QuerySet], person_id: int
) -> int:
    """Return the number of rows of `build(person_id)` (a queryset of MODEL), built once per
    connection under NAME: `build` is called then, with ID_SENTINEL, and not again."""
    connection = connections[router.db_for_read(model)]
    sql, params = _count_sql(connection, name, build)
    return _row_for(connection, sql, params, person_id)[0]


@dataclass(frozen=True)
class PersonCount:
    """A count of one person's rows: `build(person_id)`, a queryset of MODEL, compiled once per
    connection under NAME. Called as `count(viewer=…)`, it is compiled_count for the viewer;
    compiled_counts reads several in one query (the header's badges)."""

    name: str
    model: type
    build: Callable[[int], QuerySet]

    def __call__(self, *, viewer) -> int:
        return compiled_count(
            name=self.name, model=self.model, build=self.build, person_id=viewer.pk
        )


def compiled_counts(counts: Sequence[PersonCount], *, person_id: int) -> list[int]:
    """Return each of COUNTS for `person_id`, as compiled_count answers it, in one query per
    database (`SELECT (count), (count), …`, built once per connection)."""
    answers = [0] * len(counts)
    by_database: dict[str, list[int]] = {}
    for index, count in enumerate(counts):
        by_database.setdefault(router.db_for_read(count.model), []).append(index)
    for alias, indexes in by_database.items():
        connection = connections[alias]
        name = "counts:" + ",".join(counts[index].name for index in indexes)
        per_connection = _prepared.setdefault(connection, {})
        prepared = per_connection.get(name)
        if prepared is None:
            parts = [_count_sql(connection, counts[i].name, counts[i].build) for i in indexes]
            prepared = per_connection[name] = (
                "SELECT " + ", ".join(f"({sql})" for sql, _ in parts),
                tuple(param for _, params in parts for param in params),
            )
        row = _row_for(connection, *prepared, person_id)
        for index, value in zip(indexes, row, strict=True):
            answers[index] = value
    return answers


def person_counts_columns(
    connection: BaseDatabaseWrapper, counts: Sequence[PersonCount], *, table: str, column: str
) -> tuple[list[str], tuple]:
    """Each of COUNTS as a scalar subquery whose person is TABLE's COLUMN (a table or alias of
    the query the subqueries go in), to be read as more columns of that query's row (the
    session's: shop.accounts.session_reads); and their parameters, in order. Each answers as
    compiled_count does for the id in that column (0 where it is NULL).

    Raises ValueError for a count whose query names TABLE itself: there its own TABLE would
    stand for the outer one's."""
    quoted = connection.ops.quote_name(table)
    person = f"{quoted}.{connection.ops.quote_name(column)}"
    columns: list[str] = []
    params: list[object] = []

    def person_in(param: object) -> str | None:
        return person if param == ID_SENTINEL else None

    for count in counts:
        sql, count_params = _count_sql(connection, count.name, count.build)
        written = None if quoted in sql else _placeholders_written(sql, count_params, person_in)
        if written is None:
            raise ValueError(f"The count {count.name!r} cannot be read as a column of {table}.")
        columns.append(f"({written[0]})")
        params.extend(written[1])
    return columns, tuple(params)


# Where a compiled_exists query takes a time, the instants of 2000-01-01 it is built with.
_TIME_SENTINEL = datetime(2000, 1, 1, tzinfo=UTC)


def compiled_exists(
    *, name: str, model: type, build: Callable[..., QuerySet], values: dict[str, int | datetime]
) -> bool:
    """Return whether `build(**values)` (a queryset of MODEL) has a row, built once per
    connection under NAME.

    `build` is called then with a sentinel for each value (an id no row has for an int, an
    instant of 2000-01-01 for a datetime) and not again: afterwards each value goes where its
    sentinel went. So a time per request (an ask open until a moment) may be compiled here,
    as a value; every other parameter of the query must be a constant.
    """
    connection = connections[router.db_for_read(model)]
    per_connection = _prepared_exists.setdefault(connection, {})
    prepared = per_connection.get(name)
    adapt = connection.ops.adapt_datetimefield_value
    if prepared is None:
        sentinels: dict[str, int | datetime] = {}
        for number, (key, value) in enumerate(sorted(values.items())):
            if isinstance(value, datetime):
                sentinels[key] = _TIME_SENTINEL + timedelta(seconds=number)
            else:
                sentinels[key] = ID_SENTINEL - number
        queryset = build(**sentinels).order_by().values("pk")[:1]
        sql, params = queryset.query.get_compiler(connection=connection).as_sql()
        slots = {
            (adapt(value) if isinstance(value, datetime) else value): key
            for key, value in sentinels.items()
        }
        missing = set(sentinels) - {slots[param] for param in params if param in slots}
        if missing:
            raise ValueError(f"The query {name!r} does not use {sorted(missing)}.")
        sql, params = _constants_written(
            connection, sql, tuple(params), lambda param: param in slots
        )
        # Each parameter: the name of the value that goes there, or the constant itself.
        prepared = per_connection[name] = (
            sql,
            tuple((slots[param], None) if param in slots else (None, param) for param in params),
        )
    sql, params = prepared
    bound = [param if key is None else _adapted(values[key], adapt) for key, param in params]
    with compiled_cursor(connection) as cursor:
        cursor.execute(sql, bound)
        return cursor.fetchone() is not None


def _adapted(value: int | datetime, adapt: Callable) -> object:
    return adapt(value) if isinstance(value, datetime) else value


def compiled_row(
    *, name: str, model: type, build: Callable[[int], QuerySet], person_id: int
) -> tuple | None:
    """Return the first row of `build(person_id)` (a `values_list` queryset of MODEL whose
    columns need no conversion: ids, counts, booleans), or None, built once per connection
    under NAME as compiled_count's are."""
    connection = connections[router.db_for_read(model)]
    per_connection = _prepared.setdefault(connection, {})
    prepared = per_connection.get(name)
    if prepared is None:
        sql, params = build(ID_SENTINEL).query.get_compiler(connection=connection).as_sql()
        if ID_SENTINEL not in params:
            raise ValueError(f"The row {name!r} does not use the id it is given.")
        prepared = per_connection[name] = _constants_written(connection, sql, tuple(params), _is_id)
    return _row_for(connection, *prepared, person_id)
