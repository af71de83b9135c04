"""What the throughput benchmarks share: the environment their site runs in, the site served
by gunicorn (2 workers) for the length of a `with`, wrk driving one address, and a signed-in
visitor's cookies (the session, and the CSRF cookie a browser sends back).

Every ratio is a page's requests/s over the trivial view's (/healthz/: a fixed response
through the whole middleware stack), both measured in the same run by the same server: in
ROUNDS short rounds, each measuring the trivial view then each page, the ratio being the
median of the rounds' own ratios. The machines we run on vary in speed from one minute to the
next (the trivial view alone between 1,800 and 2,750 req/s within minutes); a page and the
trivial view measured seconds apart see the same machine, and the median leaves out the round
a slow spell split. Every round's ratio is printed beside it.
"""

import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DURATION = os.environ.get("BENCH_SECONDS", "2")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "6"))
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "8")
WORKERS = 2


def site_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment of a benchmark's site: production settings with DEBUG off, a throwaway
    SQLite database in TMP (or BENCH_DATABASE_URL), persistent connections as
    docker-compose.yml runs the site, no Redis (each worker caches in its memory), EXTRA last."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"),
        "MEDIA_ROOT": str(tmp / "media"),
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        # DEBUG off refuses the public default key; sessions are signed with this one.
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-" + "x" * 50,
        "PYTHONPATH": str(ROOT),
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env


def postgres_admin_url(url: str) -> str:
    """The PostgreSQL URL's server, on its maintenance database (to create databases in)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def postgres_reachable(url: str) -> bool:
    """Whether URL is PostgreSQL's and its server answers."""
    if not url.startswith(("postgres://", "postgresql://")):
        return False
    import psycopg

    try:
        psycopg.connect(postgres_admin_url(url), connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


def vendor(env: dict[str, str]) -> str:
    return "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(env: dict[str, str]) -> Iterator[str]:
    """Serve the site with gunicorn in ENV; yield its base address once /healthz/ answers."""
    port = free_port()
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}",
         "-w", str(WORKERS), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def wrk(url: str, cookie: str = "", *, headers: dict[str, str] | None = None) -> float:
    """URL's requests/s under wrk (with COOKIE and HEADERS)."""
    out = wrk_output(url, cookie, headers=headers)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def wrk_output(
    url: str, cookie: str = "", *, script: str = "", headers: dict[str, str] | None = None
) -> str:
    """Run wrk on URL (with COOKIE and HEADERS, or a Lua SCRIPT's path: -s); its report."""
    sent = {**({"Cookie": cookie} if cookie else {}), **(headers or {})}
    headers = [arg for name, value in sent.items() for arg in ("-H", f"{name}: {value}")]
    lua = ["-s", script] if script else []
    out = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}s", *headers, *lua, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"wrk saw error responses from {url}:\n{out}")
    return out


def fetch(
    url: str, cookie: str = "", *, headers: dict[str, str] | None = None
) -> tuple[bytes, list[str]]:
    """URL's body and the cookies it sets."""
    sent = {**({"Cookie": cookie} if cookie else {}), **(headers or {})}
    request = urllib.request.Request(url, headers=sent)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read(), response.headers.get_all("Set-Cookie") or []


def signed_in(url: str, session: str) -> tuple[bytes, str]:
    """URL as the holder of SESSION sees it, and the cookies a browser sends from then on:
    the session and the CSRF cookie the first signed-in page set (its log-out form)."""
    cookie = f"sessionid={session}"
    page, cookies = fetch(url, cookie)
    csrf = next((c.split(";")[0] for c in cookies if c.startswith("csrftoken=")), "")
    return page, f"{cookie}; {csrf}" if csrf else cookie


class Measured(dict):
    """Each case's mean requests/s by name ("trivial" too), and what each round measured."""

    def __init__(self, rounds: dict[str, list[float]]):
        super().__init__({name: statistics.mean(values) for name, values in rounds.items()})
        self.rounds = rounds

    def ratios(self, name: str) -> list[float]:
        """Each round's requests/s of NAME over the trivial view's in that round."""
        return [
            rate / trivial
            for rate, trivial in zip(self.rounds[name], self.rounds["trivial"], strict=True)
        ]

    def ratio(self, name: str) -> float:
        """The median of NAME's rounds' ratios to the trivial view."""
        return statistics.median(self.ratios(name))

    def spread(self, name: str) -> str:
        """The rounds' ratios, as printed beside the median: "rounds 0.31 0.29 …"."""
        return "rounds " + " ".join(f"{ratio:.2f}" for ratio in self.ratios(name))


def rates(cases: dict[str, tuple], *, rounds: int = ROUNDS) -> Measured:
    """What each case (name: (url, cookie) or (url, cookie, headers)) and the trivial view
    ("trivial", at the address of the first case's site) serve: each warmed first, then in
    each of ROUNDS rounds wrk on the trivial view and then on each case, so that a case and
    the trivial view it is compared with are measured seconds apart."""
    first_url = next(iter(cases.values()))[0]
    base = re.match(r"https?://[^/]+", first_url).group(0)
    cases = {"trivial": (f"{base}/healthz/", ""), **cases}
    cases = {name: (*case, {})[:3] for name, case in cases.items()}
    for _ in range(20):  # both workers' caches and connections
        for url, cookie, headers in cases.values():
            fetch(url, cookie, headers=headers)
    measured: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, (url, cookie, headers) in cases.items():
            measured[name].append(wrk(url, cookie, headers=headers))
    return Measured(measured)
