"""Catalogue throughput as ratios to a trivial view, measured in one run.

Every URL is served by the same gunicorn process group over the same database, middleware
and settings (200 demo products, 24 per page, DEBUG off); wrk (a real HTTP load generator)
drives each in turn, the whole round twice so drift on a noisy machine hits all alike. The
trivial view (/healthz/) returns a fixed small response through the whole middleware stack.

Measured: /products/ and a product page, anonymous and signed in (a real session cookie, the
CSRF cookie a browser sends back), and the API's product list and detail. Targets: >= 0.5 for
the anonymous list, >= 0.3 for every other (issue 7). The render time of /products/ with
the cache off (bench/render_time.py) and the in-process CPU time of a signed-in page beside
an anonymous one (bench/signed_in_time.py) are printed as context.
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DURATION = os.environ.get("BENCH_SECONDS", "5")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "8")

# Run inside the bench's environment: a signed-in shopper's session and a product's slug.
SIGN_IN_SCRIPT = """
import django
django.setup()
from django.conf import settings
from django.test import Client
from shop.catalog.models import Product
from tests.factories import UserFactory
client = Client()
client.force_login(UserFactory(username="bench-shopper", display_name="Bench Shopper"))
print(client.cookies[settings.SESSION_COOKIE_NAME].value)
print(Product.objects.filter(is_published=True).order_by("-created_at", "-id")[5].slug)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url: str, cookie: str = "") -> float:
    return float(re.search(r"Requests/sec:\s+([\d.]+)", wrk_output(url, cookie)).group(1))


def wrk_output(url: str, cookie: str = "", *, script: str = "") -> str:
    """Run wrk on URL (with COOKIE, or a Lua SCRIPT's path: -s) and return its report."""
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
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


def fetch(url: str, cookie: str = "") -> tuple[bytes, list[str]]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read(), response.headers.get_all("Set-Cookie") or []


def main() -> int:
    if shutil.which("wrk") is None:
        print("throughput: SKIPPED, wrk is not installed (apt-get install -y wrk)")
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="agora-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"),
        "MEDIA_ROOT": str(tmp / "media"),
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
        # Persistent database connections, as docker-compose.yml runs the site.
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        # DEBUG off refuses the public default key; the session cookie is signed with this one.
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        # wrk is one visitor asking thousands of times a second: the API's throttles (their
        # cost included) must not answer 429.
        "API_THROTTLE_ANON": "100000000/second",
        "API_THROTTLE_USER": "100000000/second",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    python = str(VENV_BIN / "python")
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [python, "manage.py", "demo_data"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    session, slug = subprocess.run(
        [python, "-c", SIGN_IN_SCRIPT],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    render = subprocess.run(
        [python, "-m", "bench.render_time"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    signed_in_time = subprocess.run(
        [python, "-m", "bench.signed_in_time"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    port = free_port()
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        signed_in = f"sessionid={session}"
        # A browser sends back the CSRF cookie the first signed-in page set (its log-out form).
        _, cookies = fetch(f"{base}/products/", signed_in)
        csrf = next((c.split(";")[0] for c in cookies if c.startswith("csrftoken=")), "")
        signed_in = f"{signed_in}; {csrf}" if csrf else signed_in
        page, _ = fetch(f"{base}/products/", signed_in)
        if b"Log out" not in page:
            raise SystemExit("throughput: the signed-in session did not sign in")
        cases = [
            ("/products/ anonymous", f"{base}/products/", "", 0.5),
            ("/products/ signed in", f"{base}/products/", signed_in, 0.3),
            ("product page anonymous", f"{base}/products/{slug}/", "", 0.3),
            ("product page signed in", f"{base}/products/{slug}/", signed_in, 0.3),
            ("GET /api/v1/products/", f"{base}/api/v1/products/", "", 0.3),
            ("GET /api/v1/products/<slug>", f"{base}/api/v1/products/{slug}", "", 0.3),
        ]
        for _ in range(20):  # warm both workers' caches and connections
            for _, url, cookie, _ in cases:
                fetch(url, cookie)
        trivial: list[float] = []
        rates: dict[str, list[float]] = {name: [] for name, *_ in cases}
        for _ in range(2):
            trivial.append(wrk(f"{base}/healthz/"))
            for name, url, cookie, _ in cases:
                rates[name].append(wrk(url, cookie))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        shutil.rmtree(tmp, ignore_errors=True)
    trivial_rps = sum(trivial) / len(trivial)
    ok = True
    for name, *_, target in cases:
        rps = sum(rates[name]) / len(rates[name])
        ratio = rps / trivial_rps
        ok &= ratio >= target
        verdict = "meets" if ratio >= target else "BELOW"
        print(
            f"throughput {name} / trivial view: {ratio:.2f} ({verdict} target {target}; "
            f"{rps:.0f} vs {trivial_rps:.0f} req/s, 200 products, gunicorn 2 workers, "
            f"wrk {CONNECTIONS} connections)"
        )
    print(render.stdout.strip() or f"render time: FAILED\n{render.stderr[-2000:]}")
    print(
        signed_in_time.stdout.strip()
        or f"in-process signed-in time: FAILED\n{signed_in_time.stderr[-2000:]}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
