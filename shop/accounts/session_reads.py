"""The read every signed-in request makes: its session's data and its user's row, in one query.

Both are read from the database on every request, never from a cache: a session ended
(log-out, password change), an account deactivated or a staff flag taken away shows on the
very next request, in every process, whatever the cache holds or whether Redis is reachable
(a cache entry that a down Redis kept from being deleted would come back when it returns).

What made them slow was not the database but the ORM building the same SQL anew on each
`get()` (~0.35 ms each, against ~0.05 ms to run it). Here each query is built once per
database connection, by the ORM itself (the same SQL, and the same conversion of columns
to Python values, as `Model.objects.get()`), and only run per request, through
shop.core.compiled_reads.compiled_cursor (on PostgreSQL the server prepares them too). They
are counted and logged as any query.

The session's row names its person (shop.accounts.models.Session.user), so one query joins
the two (`select_related`), one round trip fewer per signed-in request than Django's two.
The same query brings the person's header badges that are counts of their rows
(shop.core.navigation.nav_person_counts: unread notifications, friend requests waiting) as
more columns, left on the user for the page's nav (nav_counts_read_attach): one round trip
fewer again. `user_get` reads a row alone, for a session whose read did not bring it.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from weakref import WeakKeyDictionary

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from shop.accounts.models import Session, User
from shop.core.compiled_reads import compiled_cursor, person_counts_columns
from shop.core.navigation import nav_counts_read_attach, nav_person_counts

# A compiled query: its compiler, SQL, parameters (with the sentinels it was built with), the
# attribute names of its columns, the backend's converters of their values and where the
# columns of the row it joins (select_related) start: past the end when it joins none.
_Prepared = tuple[SQLCompiler, str, tuple, list[str], dict, int]
# Per connection object: a compiler is bound to its connection, and each thread has its own.
_prepared: "WeakKeyDictionary[BaseDatabaseWrapper, dict[str, _Prepared]]" = WeakKeyDictionary()

# The session's query with the badges' counts, per connection object, by the counts' names:
# (the query, the counts' names, the counts' parameters).
_SessionPrepared = tuple[_Prepared, tuple[str, ...], tuple]
_prepared_sessions: "WeakKeyDictionary[BaseDatabaseWrapper, dict[tuple, _SessionPrepared]]" = (
    WeakKeyDictionary()
)

_SESSION_KEY_SENTINEL = "agora-session-key"
_EXPIRY_SENTINEL = datetime(2000, 1, 1, tzinfo=UTC)


def _prepare(
    connection: BaseDatabaseWrapper, name: str, build: Callable[[], QuerySet]
) -> _Prepared:
    per_connection = _prepared.setdefault(connection, {})
    prepared = per_connection.get(name)
    if prepared is None:
        compiler = build().query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        columns = [col for col, _, _ in compiler.select[: compiler.col_count]]
        related = (compiler.klass_info or {}).get("related_klass_infos", [])
        joined = related[0]["select_fields"][0] if related else len(columns)
        attnames = [getattr(col.target, "attname", "") for col in columns]
        converters = compiler.get_converters(columns)
        prepared = (compiler, sql, tuple(params), attnames, converters, joined)
        per_connection[name] = prepared
    return prepared


def _bind(params: tuple, values: dict) -> list:
    """Put each runtime value where the query has its sentinel (the ORM orders the filters)."""
    return [values[param] for param in params]


def _session_query() -> QuerySet:
    return Session.objects.select_related("user").filter(
        session_key=_SESSION_KEY_SENTINEL, expire_date__gt=_EXPIRY_SENTINEL
    )


def session_read(
    *, session_key: str | None, badges: bool = False
) -> tuple[str, int | None, User | None] | None:
    """Return the unexpired session `session_key` as (its encoded data, the id of the person
    it signs in or None, that person's row or None when they are gone); None if there is no
    such session. BADGES: read the person's header badges along, left on their row
    (shop.core.navigation.nav_counts_read), for a page that shows the header.

    As django.contrib.sessions.backends.db.SessionStore._get_session_from_db reads the
    session, and `User._default_manager.get(pk=…)` the person.
    """
    if not session_key:
        return None
    connection = connections[router.db_for_read(Session)]
    (compiler, sql, params, attnames, converters, start), counts, counts_params = _session_prepare(
        connection, badges=badges
    )
    adapt = connection.ops.adapt_datetimefield_value
    values = {_SESSION_KEY_SENTINEL: session_key, adapt(_EXPIRY_SENTINEL): adapt(timezone.now())}
    with compiled_cursor(connection) as cursor:
        cursor.execute(sql, [*counts_params, *_bind(params, values)])
        row = cursor.fetchone()
    if row is None:
        return None
    end = len(attnames)
    row, counted = row[:end], row[end:]
    if converters:
        (row,) = compiler.apply_converters([row], converters)
    session = dict(zip(attnames[:start], row[:start], strict=True))
    user_id = session["user_id"]
    if user_id is None:
        return session["session_data"], None, None
    user_attnames, user_row = attnames[start:], row[start:]
    gone = user_row[user_attnames.index(User._meta.pk.attname)] is None  # no row joined
    user = None if gone else User.from_db(connection.alias, user_attnames, user_row)
    if user is not None and counts:
        nav_counts_read_attach(user, dict(zip(counts, counted, strict=True)))
    return session["session_data"], user_id, user


def _session_prepare(connection: BaseDatabaseWrapper, *, badges: bool) -> _SessionPrepared:
    """The session's query for CONNECTION, with the badges' counts of its person as more
    columns (after the session's and the user's): the query, the counts' names, and the
    counts' parameters (which come first in the SQL). Built once per connection for each set
    of badges; on SQLite and PostgreSQL (elsewhere the badges are read by the nav)."""
    counts: tuple = ()
    if badges and connection.vendor in ("sqlite", "postgresql"):
        alias = connection.alias
        counts = tuple(c for c in nav_person_counts() if router.db_for_read(c.model) == alias)
    key = tuple(count.name for count in counts)
    per_connection = _prepared_sessions.setdefault(connection, {})
    found = per_connection.get(key)
    if found is None:
        prepared = _prepare(connection, "session", _session_query)
        found = per_connection[key] = (prepared, (), ())
        select, from_, rest = prepared[1].partition(" FROM ")
        if counts and from_:
            try:
                columns, counts_params = person_counts_columns(
                    connection,
                    counts,
                    table=Session._meta.db_table,
                    column=Session._meta.get_field("user").column,
                )
            except ValueError:  # a badge that cannot be a column here: the nav reads them
                return found
            sql = f"{select}, {', '.join(columns)} FROM {rest}"
            found = per_connection[key] = ((prepared[0], sql, *prepared[2:]), key, counts_params)
    return found


def _user_query() -> QuerySet:
    return User._default_manager.filter(pk=0)


def user_id_parse(value: object) -> int | None:
    """The user id a session stores as VALUE, or None for one that is not an id (tampered)."""
    try:
        return User._meta.pk.to_python(value)
    except ValidationError:
        return None


def user_get(*, user_id: object) -> User | None:
    """Return the user whose primary key is `user_id` (as a session stores it), or None.

    The row as `User._default_manager.get(pk=user_id)` loads it; an id that is not one (a
    tampered session) is None rather than an error.
    """
    pk = user_id_parse(user_id)
    if pk is None:
        return None
    connection = connections[router.db_for_read(User)]
    compiler, sql, params, attnames, converters, _ = _prepare(connection, "user", _user_query)
    with compiled_cursor(connection) as cursor:
        cursor.execute(sql, _bind(params, {0: pk}))
        row = cursor.fetchone()
    if row is None:
        return None
    if converters:
        (row,) = compiler.apply_converters([row], converters)
    return User.from_db(connection.alias, attnames, row)
