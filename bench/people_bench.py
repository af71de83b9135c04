"""People you may know on a big graph (issue 10): speed, quality and what a table would cost.

The graph: 100,000 people and 2,000,000 friendships (4,000,000 Friendship halves) on
PostgreSQL, in taste groups of GROUP people: most friendships inside one's group, the rest
across the graph. Some friendships of TEST_PEOPLE people are held out (never written). It is
generated once with COPY into BENCH_PEOPLE_DATABASE_URL (default agora_bench_people) and
reused while its bench_people_meta row says it holds this version of the graph.

Printed:
- speed: GET /api/v1/suggestions (signed in, SESSIONS people in turn) as a ratio to the
  trivial view (/healthz/), gunicorn 2 workers and wrk, in short rounds of the trivial view,
  the suggestions and /api/v1/me (the median of the rounds' ratios); with the ranking
  cached per person (as deployed: PEOPLE_SUGGESTIONS_CACHE_SECONDS) and uncached (ranked on
  every request, the query alone); p95 latency as context. Target >= 0.3.
- quality: recall at 10 of the held-out friendships among each test person's first 10
  suggestions, against 10 friends of friends drawn at random. Target >= 2x.
- storage: how many rows a table of every friend-of-friend pair (the Celery-kept
  alternative) would hold, from a sample of people.

Skipped, with the reason, when PostgreSQL or wrk is not there. The served site caches in
Redis, as deployed (BENCH_REDIS_URL, default the local Redis's database 15 when it answers):
one ranking per person shared by both workers. Without a Redis each gunicorn worker caches in
its own memory, so each person is ranked once per worker, and the 300 people in turn make the
first seconds of every round mostly ranking (the printout says which cache was used).
"""

import io
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

from bench.serve import (
    CONNECTIONS,
    ROOT,
    ROUNDS,
    VENV_BIN,
    Measured,
    fetch,
    postgres_admin_url,
    served,
    site_env,
    wrk_output,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/agora_bench_people"
VERSION = "people-v1"
PEOPLE = 100_000
FRIENDSHIPS = 2_000_000
GROUP = 50  # people per taste group
INSIDE = 0.75  # share of friendships inside one's group
TEST_PEOPLE = 400
HELD_OUT_EACH = 2
SESSIONS = 300
SEED = 10
TARGET_SPEED = 0.3
TARGET_QUALITY = 2.0

LUA = """
local cookies = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", nil, {["Cookie"] = "sessionid=" .. cookies[(i %% #cookies) + 1]})
end
done = function(summary, latency, requests)
  io.write(string.format("p95_us %%d\\n", latency:percentile(95)))
end
"""


def _database_ensure(url: str) -> bool:
    """Create the bench database if missing; return False when PostgreSQL is unreachable."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    try:
        with psycopg.connect(postgres_admin_url(url), autocommit=True, connect_timeout=3) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        print(f"people you may know: SKIPPED, PostgreSQL unreachable at {url} ({error})")
        return False
    return True


def _edges() -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The friendships (a < b, ids from 1) and those held out, from SEED."""
    rng = random.Random(SEED)
    inside_wanted = int(FRIENDSHIPS * INSIDE)
    pairs: set[int] = set()
    groups = PEOPLE // GROUP
    per_group = inside_wanted // groups
    for g in range(groups):
        first = g * GROUP + 1
        made = 0
        while made < per_group:
            a, b = first + rng.randrange(GROUP), first + rng.randrange(GROUP)
            if a == b:
                continue
            key = min(a, b) * (PEOPLE + 1) + max(a, b)
            if key not in pairs:
                pairs.add(key)
                made += 1
    while len(pairs) < FRIENDSHIPS:
        a, b = rng.randint(1, PEOPLE), rng.randint(1, PEOPLE)
        if a != b:
            pairs.add(min(a, b) * (PEOPLE + 1) + max(a, b))
    edges = sorted(divmod(key, PEOPLE + 1) for key in pairs)
    del pairs
    testers = rng.sample(range(1, PEOPLE + 1), TEST_PEOPLE)
    chosen = set(testers)
    by_person: dict[int, list[tuple[int, int]]] = {}
    for a, b in edges:
        for person in {a, b} & chosen:
            by_person.setdefault(person, []).append((a, b))
    held: set[tuple[int, int]] = set()
    for person in testers:
        mine = [e for e in by_person.get(person, []) if e not in held]
        held.update(rng.sample(mine, min(HELD_OUT_EACH, len(mine))))
    return [e for e in edges if e not in held], sorted(held)


def _migrate(url: str) -> None:
    """Bring the bench database's schema up to date (a graph kept from an older checkout)."""
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    python = str(VENV_BIN / "python")
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )


def _generate(url: str) -> None:
    import psycopg

    started = time.monotonic()
    kept, held = _edges()
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_people_meta, bench_people_heldout")
        cur.execute("TRUNCATE graph_friendship, accounts_user CASCADE")
        with cur.copy(
            "COPY accounts_user (id, password, is_superuser, username, first_name, last_name, "
            "email, is_staff, is_active, date_joined, display_name, bio, avatar, avatar_thumb) "
            "FROM STDIN"
        ) as copy:
            for i in range(1, PEOPLE + 1):
                copy.write_row(
                    (i, "!", False, f"p{i}", "", "", f"p{i}@bench.test", False, True,
                     "2026-01-01T00:00:00Z", f"Person {i}", "", "", "")
                )  # fmt: skip
        cur.execute("SELECT setval(pg_get_serial_sequence('accounts_user', 'id'), %s)", [PEOPLE])
        # Without its indexes the table fills several times faster; they are made after.
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'graph_friendship' "
            "AND indexname NOT LIKE '%%pkey'"
        )
        indexes = cur.fetchall()
        cur.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'graph_friendship'::regclass AND contype = 'u'"
        )
        uniques = cur.fetchall()
        for name, _ in uniques:
            cur.execute(f'ALTER TABLE graph_friendship DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            if name not in {u for u, _ in uniques}:
                cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        with cur.copy("COPY graph_friendship (user_id, friend_id, created_at) FROM STDIN") as copy:
            buffer = io.StringIO()
            for n, (a, b) in enumerate(kept):
                buffer.write(f"{a}\t{b}\t2026-01-01T00:00:00Z\n{b}\t{a}\t2026-01-01T00:00:00Z\n")
                if n % 50_000 == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
        # The foreign keys are checked at commit; check them now so the table may be altered.
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, definition in uniques:
            cur.execute(f'ALTER TABLE graph_friendship ADD CONSTRAINT "{name}" {definition}')
        for name, definition in indexes:
            if name not in {u for u, _ in uniques}:
                cur.execute(definition)
        cur.execute("CREATE TABLE bench_people_heldout (user_id int, friend_id int)")
        with cur.copy("COPY bench_people_heldout FROM STDIN") as copy:
            for a, b in held:
                copy.write_row((a, b))
                copy.write_row((b, a))
        cur.execute("CREATE TABLE bench_people_meta (version text, people int, friendships int)")
        cur.execute(
            "INSERT INTO bench_people_meta VALUES (%s, %s, %s)", [VERSION, PEOPLE, len(kept)]
        )
        cur.execute("ANALYZE")
    print(
        f"people you may know: generated {PEOPLE:,} people and {len(kept):,} friendships "
        f"({len(held)} held out) in {time.monotonic() - started:.0f} s"
    )


def _graph_ready(url: str) -> bool:
    import psycopg

    with psycopg.connect(url) as conn:
        try:
            row = conn.execute(
                "SELECT version, people, friendships FROM bench_people_meta"
            ).fetchone()
            friendships = conn.execute("SELECT count(*) FROM graph_friendship").fetchone()[0]
            people = conn.execute("SELECT count(*) FROM accounts_user").fetchone()[0]
        except psycopg.errors.UndefinedTable:
            return False
    return (
        row is not None
        and row[0] == VERSION
        and people == row[1] == PEOPLE
        and friendships == 2 * row[2]
    )


def _django_setup(url: str, secret: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = url
    os.environ["SECRET_KEY"] = secret
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def _quality() -> tuple[float, float, int]:
    """Recall at 10 of held-out friendships: (people you may know, random friends of friends,
    how many held out)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from social.recommendations.people_selectors import suggestions_rank

    User = get_user_model()
    with connection.cursor() as cur:
        cur.execute("SELECT user_id, friend_id FROM bench_people_heldout")
        held: dict[int, set[int]] = {}
        for user_id, friend_id in cur.fetchall():
            held.setdefault(user_id, set()).add(friend_id)
    rng = random.Random(SEED)
    testers = rng.sample(sorted(held), min(TEST_PEOPLE, len(held)))
    hits = baseline = total = 0
    for user_id in testers:
        viewer = User.objects.get(pk=user_id)
        top = suggestions_rank(viewer=viewer, limit=10)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT DISTINCT f2.friend_id FROM graph_friendship f1 "
                "JOIN graph_friendship f2 ON f2.user_id = f1.friend_id "
                "WHERE f1.user_id = %s AND f2.friend_id <> %s AND f2.friend_id NOT IN "
                "(SELECT friend_id FROM graph_friendship WHERE user_id = %s) ORDER BY 1",
                [user_id, user_id, user_id],
            )
            fof = [row[0] for row in cur.fetchall()]
        drawn = rng.sample(fof, min(10, len(fof)))
        hits += len(held[user_id] & set(top))
        baseline += len(held[user_id] & set(drawn))
        total += len(held[user_id])
    return hits / total, baseline / total, total


def _table_rows() -> tuple[float, float]:
    """(friends of friends per person, from a sample; the rows a table of them all holds)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT avg(n) FROM (SELECT u, count(DISTINCT f2.friend_id) AS n FROM "
            "(SELECT generate_series(1, %s, %s) AS u) s "
            "JOIN graph_friendship f1 ON f1.user_id = s.u "
            "JOIN graph_friendship f2 ON f2.user_id = f1.friend_id AND f2.friend_id <> s.u "
            "GROUP BY u) t",
            [PEOPLE, PEOPLE // 200],
        )
        per_person = float(cur.fetchone()[0] or 0)
    return per_person, per_person * PEOPLE


def _sessions() -> list[str]:
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    engine = import_module(settings.SESSION_ENGINE)
    rng = random.Random(SEED + 1)
    ids = rng.sample(range(1, PEOPLE + 1), SESSIONS)
    keys = []
    for user in get_user_model().objects.filter(pk__in=ids):
        session = engine.SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def _redis_url() -> str | None:
    """BENCH_REDIS_URL, else the local Redis's database 15 when it answers a ping, else None."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
        client.ping()
        client.close()
    except Exception:  # no Redis, or not reachable: each worker caches in its memory
        return None
    return url


def _measure(env: dict, script: str, keys: list[str]) -> tuple[Measured, float]:
    """What the trivial view, the suggestions and /api/v1/me (the floor of any signed-in API
    request: its session and user read and nothing else) serve, in ROUNDS rounds of the
    three (bench.serve.rates); and the suggestions' p95 latency in ms, the worst round's."""
    import re

    with served(env) as base:
        body, _ = fetch(f"{base}/api/v1/suggestions", f"sessionid={keys[0]}")
        if b'"mutual_friends"' not in body:
            raise SystemExit(f"people you may know: the endpoint suggests nobody: {body[:200]}")
        for key in keys:  # every person once: the cached run starts with each one cached
            fetch(f"{base}/api/v1/suggestions", f"sessionid={key}")
        rounds: dict[str, list[float]] = {"trivial": [], "suggestions": [], "me": []}
        p95 = []
        paths = {"trivial": "/healthz/", "suggestions": "/api/v1/suggestions", "me": "/api/v1/me"}
        for _ in range(ROUNDS):
            for name, path in paths.items():
                out = wrk_output(f"{base}{path}", script=script)
                rounds[name].append(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)))
                if name == "suggestions":
                    p95.append(int(re.search(r"p95_us (\d+)", out).group(1)) / 1000)
    return Measured(rounds), max(p95)


def main() -> int:
    url = os.environ.get("BENCH_PEOPLE_DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        print("people you may know: SKIPPED, BENCH_PEOPLE_DATABASE_URL is not PostgreSQL")
        return 0
    if not _database_ensure(url):
        return 0
    _migrate(url)
    if not _graph_ready(url):
        _generate(url)
    secret = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)
    _django_setup(url, secret)
    recall, baseline, held = _quality()
    per_person, table_rows = _table_rows()
    ok = recall >= TARGET_QUALITY * baseline
    print(
        f"people you may know quality: recall@10 of {held} held-out friendships {recall:.3f} "
        f"vs random friends of friends {baseline:.3f} = "
        f"{recall / baseline if baseline else float('inf'):.1f}x "
        f"({'meets' if ok else 'BELOW'} target {TARGET_QUALITY}x; groups of {GROUP}, "
        f"{INSIDE:.0%} of friendships inside)"
    )
    print(
        f"people you may know storage: a table of every friend-of-friend pair would hold "
        f"~{table_rows / 1e6:.0f} M rows ({per_person:.0f} per person) and take ~"
        f"{8 * FRIENDSHIPS // PEOPLE} upserts per new friendship (each friend of either side "
        f"gains a mutual friend, both ways); the query reads ~{per_person:.0f} index entries "
        "for the person asking instead"
    )
    if shutil.which("wrk") is None:
        print("people you may know speed: SKIPPED, wrk is not installed (apt-get install -y wrk)")
        return 0 if ok else 1
    keys = _sessions()
    tmp = Path(tempfile.mkdtemp(prefix="agora-bench-"))
    script = tmp / "people.lua"
    script.write_text(LUA % ", ".join(f'"{key}"' for key in keys))
    env = site_env(
        tmp,
        DATABASE_URL=url,
        SECRET_KEY=secret,
        # Each of the SESSIONS people at production's rate (config/settings.py), as deployed:
        # a person asks ~1/300 of what is served, far from it (wrk fails the run on a 429).
        # Counted in leases of 12 (shop.core.throttling), as a busy shopper is.
        API_THROTTLE_ANON="100000000/second",
        API_THROTTLE_USER="600/minute",
    )
    redis_url = _redis_url()
    if redis_url:
        # The cache deployed: one Redis both workers share (otherwise each its own memory).
        env["REDIS_URL"] = redis_url
    try:
        cached = _measure(env, str(script), keys)
        uncached = _measure({**env, "PEOPLE_SUGGESTIONS_CACHE_SECONDS": "0"}, str(script), keys)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for name, (measured, p95) in (("cached ranking", cached), ("uncached", uncached)):
        ratio = measured.ratio("suggestions")
        rps, trivial = measured["suggestions"], measured["trivial"]
        if name == "cached ranking":
            ok &= ratio >= TARGET_SPEED
            verdict = f"{'meets' if ratio >= TARGET_SPEED else 'BELOW'} target {TARGET_SPEED}"
        else:  # what a ranking costs: the endpoint as deployed caches it per person
            verdict = "context only: the query run on every request"
        print(
            f"people you may know GET /api/v1/suggestions / trivial view, {name}: {ratio:.2f} "
            f"({verdict}; median of {measured.spread('suggestions')}; "
            f"{rps:.0f} vs {trivial:.0f} req/s, p95 "
            f"{p95:.1f} ms; {PEOPLE:,} people, {FRIENDSHIPS:,} friendships, {len(keys)} people "
            f"in turn, gunicorn 2 workers, wrk {CONNECTIONS} connections, cache "
            f"{'Redis' if redis_url else 'each worker its own memory'})"
        )
    measured = cached[0]
    reach = statistics.median(
        s / m for s, m in zip(measured.rounds["suggestions"], measured.rounds["me"], strict=True)
    )
    print(
        f"people you may know context: GET /api/v1/me (the same signed-in people, their session "
        f"and user read in one query, nothing else) / trivial view: {measured.ratio('me'):.2f} "
        f"({measured.spread('me')}); suggestions reach {reach:.0%} of that floor"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
