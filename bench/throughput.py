"""Product-list throughput as a ratio to a trivial view, measured in one run.

Both URLs are served by the same gunicorn process group over the same database, middleware
and settings; wrk (a real HTTP load generator) drives each in turn, interleaved twice so drift
on a noisy machine hits both alike. The trivial view (/healthz/) returns a fixed small
response through the whole middleware stack. Target: ratio >= 0.5 for anonymous visitors
with 200 products, 24 per page.
"""

import os
import re
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
DURATION = os.environ.get("BENCH_SECONDS", "6")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "8")
TARGET = 0.5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url: str) -> float:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"wrk saw error responses from {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


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
    }
    env.pop("REDIS_URL", None)
    python = str(VENV_BIN / "python")
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [python, "manage.py", "demo_data"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
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
        trivial_url, list_url = f"{base}/healthz/", f"{base}/products/"
        for _ in range(20):  # warm both workers' caches and connections
            urllib.request.urlopen(list_url, timeout=10).read()
        trivial, listing = [], []
        for _ in range(2):
            trivial.append(wrk(trivial_url))
            listing.append(wrk(list_url))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        shutil.rmtree(tmp, ignore_errors=True)
    trivial_rps, list_rps = sum(trivial) / 2, sum(listing) / 2
    ratio = list_rps / trivial_rps
    verdict = "meets" if ratio >= TARGET else "BELOW"
    print(
        f"throughput /products/ (anonymous, 200 products, 24 per page) / trivial view: "
        f"{ratio:.2f} ({verdict} target {TARGET}; {list_rps:.0f} vs {trivial_rps:.0f} req/s, "
        f"gunicorn 2 workers, wrk {CONNECTIONS} connections)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
