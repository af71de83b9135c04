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

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.serve import CONNECTIONS, ROOT, VENV_BIN, rates, served, signed_in, site_env

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


def main() -> int:
    if shutil.which("wrk") is None:
        print("throughput: SKIPPED, wrk is not installed (apt-get install -y wrk)")
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="agora-bench-"))
    env = site_env(
        tmp,
        # wrk is one visitor asking thousands of times a second: the API's throttles (their
        # cost included) must not answer 429.
        API_THROTTLE_ANON="100000000/second",
        API_THROTTLE_USER="100000000/second",
    )
    python = str(VENV_BIN / "python")
    run = {"cwd": ROOT, "env": env, "check": True}
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], **run)
    subprocess.run([python, "manage.py", "demo_data"], **run, stdout=subprocess.DEVNULL)
    session, slug = subprocess.run(
        [python, "-c", SIGN_IN_SCRIPT], **run, capture_output=True, text=True
    ).stdout.split()
    render = subprocess.run(
        [python, "-m", "bench.render_time"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    signed_in_time = subprocess.run(
        [python, "-m", "bench.signed_in_time"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    try:
        with served(env) as base:
            page, cookie = signed_in(f"{base}/products/", session)
            if b"Log out" not in page:
                raise SystemExit("throughput: the signed-in session did not sign in")
            cases = [
                ("/products/ anonymous", f"{base}/products/", "", 0.5),
                ("/products/ signed in", f"{base}/products/", cookie, 0.3),
                ("product page anonymous", f"{base}/products/{slug}/", "", 0.3),
                ("product page signed in", f"{base}/products/{slug}/", cookie, 0.3),
                ("GET /api/v1/products/", f"{base}/api/v1/products/", "", 0.3),
                ("GET /api/v1/products/<slug>", f"{base}/api/v1/products/{slug}", "", 0.3),
            ]
            measured = rates({name: (url, cookie) for name, url, cookie, _ in cases})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    trivial_rps = measured["trivial"]
    ok = True
    for name, *_, target in cases:
        rps = measured[name]
        ratio = measured.ratio(name)
        ok &= ratio >= target
        verdict = "meets" if ratio >= target else "BELOW"
        print(
            f"throughput {name} / trivial view: {ratio:.2f} ({verdict} target {target}; "
            f"median of {measured.spread(name)}; {rps:.0f} vs {trivial_rps:.0f} req/s, 200 "
            f"products, gunicorn 2 workers, "
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
