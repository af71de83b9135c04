#!/usr/bin/env python
"""`make screenshots`: the README's pictures of the demo shop, taken in a real browser.

Builds a throwaway shop (a SQLite database and media in a temporary directory, migrated, with
`demo_data` and `demo_discounts`), serves it with gunicorn on a free port (DEBUG off, a
throwaway SECRET_KEY, static files from whitenoise), and drives Debian's chromium through
Playwright as a visitor: the home page, a product page, the cart (after clicking "Add to
cart"), the first step of the checkout at 1280 px, and the home page at 375 px. The pictures
replace those in docs/screenshots/ (SHOTS names them); the server and the temporary directory
are gone afterwards. Running it again takes the same pictures of the same shop.
"""

from __future__ import annotations

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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
VENV_BIN = Path(sys.executable).parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
# Every picture the script writes, with the words the README shows for it (its alt text).
SHOTS = {
    "home-1280.png": "The home page at 1280 px",
    "product-1280.png": "A product page at 1280 px",
    "cart-1280.png": "The cart with one item at 1280 px",
    "checkout-1280.png": "The first step of the checkout at 1280 px",
    "home-375.png": "The home page on a phone (375 px)",
}
SERVER_START_SECONDS = 60
IN_VIEW = "[...document.images].filter(i => i.getBoundingClientRect().top < window.innerHeight)"
IMAGES_IN_VIEW_LOADED = f"() => {IN_VIEW}.every(image => image.complete)"
IMAGES_IN_VIEW_DECODED = f"() => Promise.all({IN_VIEW}.map(i => i.decode().catch(() => null)))"


class ScreenshotError(RuntimeError):
    """Something the person running `make screenshots` has to fix; the message says what."""


def chromium_path() -> str:
    executable = shutil.which("chromium")
    if executable is None:
        raise ScreenshotError(
            "chromium is not installed. On Debian or Ubuntu: apt-get install -y chromium"
        )
    return executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args: list[str], *, env: dict[str, str], what: str) -> None:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise ScreenshotError(f"{what} failed:\n{result.stdout[-2000:]}{result.stderr[-4000:]}")


def wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise ScreenshotError(f"the server stopped at start:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise ScreenshotError(
        f"the server did not answer {url} within {SERVER_START_SECONDS} s:\n"
        f"{log.read_text()[-4000:]}"
    )


@contextmanager
def demo_shop() -> Iterator[str]:
    """Serve a fresh demo shop from a temporary directory; yield its base URL."""
    tmp = Path(tempfile.mkdtemp(prefix="agora-screenshots-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp}/shop.sqlite3",
        "MEDIA_ROOT": str(tmp / "media"),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }
    # No broker, no shared cache: Celery runs eagerly, the cache is this process's memory.
    env.pop("REDIS_URL", None)
    python = str(VENV_BIN / "python")
    server = None
    try:
        print("screenshots: building the demo shop in", tmp, flush=True)
        run([python, "manage.py", "migrate", "--noinput", "-v0"], env=env, what="migrate")
        run([python, "manage.py", "demo_data"], env=env, what="demo_data")
        run([python, "manage.py", "demo_discounts"], env=env, what="demo_discounts")
        port = free_port()
        log = tmp / "server.log"
        with log.open("w") as out:
            server = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        base_url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base_url}/healthz/", server, log)
        yield base_url
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def take_screenshots(browser, base_url: str, out_dir: Path) -> list[Path]:
    """Take SHOTS of the shop at BASE_URL as a signed-out visitor; return the files written.

    The product is the first one the home page links to; the item is added to the cart by
    clicking "Add to cart", and the checkout is reached from the cart's checkout link.
    """
    from playwright.sync_api import expect

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def shot(page, name: str) -> None:
        page.wait_for_load_state("load")
        # Lazy images do not hold up the load event: wait until those in view are drawn.
        page.wait_for_function(IMAGES_IN_VIEW_LOADED)
        page.evaluate(IMAGES_IN_VIEW_DECODED)
        path = out_dir / name
        page.screenshot(path=str(path))
        written.append(path)

    context = browser.new_context(base_url=base_url, viewport=WIDE, device_scale_factor=1)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/")
        shot(page, "home-1280.png")

        # The first link to a product page (/products/<slug>/, not the list or a filter).
        hrefs = page.locator("main a[href]").evaluate_all("links => links.map(a => a.pathname)")
        product = next((h for h in hrefs if re.fullmatch(r"/products/[^/]+/", h)), None)
        if product is None:
            raise ScreenshotError(f"no link to a product on {page.url}")
        page.locator(f"main a[href$='{product}']").first.click()
        page.wait_for_url(re.compile(r"/products/[^/?]+/$"))
        shot(page, "product-1280.png")

        add = page.get_by_role("button", name=re.compile(r"add to cart", re.IGNORECASE)).first
        with page.expect_response(lambda r: "/cart/add/" in r.url and r.ok):
            add.click()
        page.goto("/cart/")
        checkout = page.get_by_role("link", name=re.compile(r"check ?out", re.IGNORECASE))
        expect(checkout.first).to_be_visible()
        shot(page, "cart-1280.png")

        checkout.first.click()
        page.wait_for_url(re.compile(r"/checkout/$"))
        shot(page, "checkout-1280.png")
    finally:
        context.close()

    context = browser.new_context(base_url=base_url, viewport=PHONE, device_scale_factor=1)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/")
        shot(page, "home-375.png")
    finally:
        context.close()
    return written


def shrink(path: Path) -> None:
    """Rewrite a PNG with a palette of 256 colours, dithered so that the pictures' gradients
    keep their look: about half the bytes."""
    from PIL import Image

    with Image.open(path) as image:
        rgb = image.convert("RGB")
    palette = rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    rgb.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG).save(path, optimize=True)


def main() -> int:
    # Stopped (Ctrl-C or a kill): still stop the server and remove the temporary directory.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        executable = chromium_path()
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ScreenshotError as error:
        print(f"screenshots: {error}", file=sys.stderr)
        return 1
    try:
        with demo_shop() as base_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                written = take_screenshots(browser, base_url, OUT)
            finally:
                browser.close()
    except ScreenshotError as error:
        print(f"screenshots: {error}", file=sys.stderr)
        return 1
    except PlaywrightError as error:
        print(f"screenshots: the browser could not go on: {error}", file=sys.stderr)
        return 1
    for path in written:
        shrink(path)
        print(f"screenshots: wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
