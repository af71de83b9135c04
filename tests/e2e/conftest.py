"""Browser journeys: Playwright drives Debian's chromium against pytest-django's live server.

A failed test leaves a full-page screenshot in tests/e2e/artifacts/<test name>.png.
"""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# (arrange/assert) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it with apt-get")
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def watched_page(browser, *, base_url: str, allowed: tuple[str, ...], request):
    """Yield a fresh page at 1280×900 on BASE_URL; fail the test if the page asked for anything
    outside ALLOWED (URL prefixes) or the Content-Security-Policy refused anything."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Nothing may leave the machine: fail loudly on any request to another host.
    outside: list[str] = []
    allowed = (*allowed, "data:", "blob:", "about:")
    page.on("request", lambda req: None if req.url.startswith(allowed) else outside.append(req.url))
    # chromium logs every script, style or frame the policy refused.
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not outside, f"requests left the machine: {outside}"
    assert not violations, f"the Content-Security-Policy refused: {violations}"


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context at 1280×900; its base URL is the live server."""
    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as page:
        yield page


@pytest.fixture
def mobile_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 812})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def axe_violations(page) -> list[str]:
    """Run axe-core (bundled with axe-playwright-python, nothing fetched) on PAGE as it is now;
    return one line per violation: the rule, what it asks, and the elements that break it."""
    from axe_playwright_python.base import AXE_SCRIPT

    # axe stays on the page until the next navigation: inject it once per document.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in results["violations"]:
        nodes = "; ".join(" >> ".join(map(str, node["target"])) for node in violation["nodes"][:10])
        more = len(violation["nodes"]) - 10
        found.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} — {nodes}"
            + (f" and {more} more" if more > 0 else "")
        )
    return found


def assert_accessible(page) -> None:
    """Fail with every axe violation on PAGE (rule, help, elements), or pass if there is none."""
    found = axe_violations(page)
    assert not found, f"axe on {page.url}:\n" + "\n".join(found)


# --- what several journeys share ----------------------------------------------------------------

SCREENSHOT_VIEWPORTS = {375: {"width": 375, "height": 812}, 1280: {"width": 1280, "height": 900}}


def screenshots(page, name: str) -> None:
    """Leave full-page screenshots of PAGE at 375 and 1280 px, as artifacts/NAME-<width>.png, to
    be looked at; the page's own viewport is restored."""
    ARTIFACTS.mkdir(exist_ok=True)
    size = page.viewport_size
    for width, viewport in SCREENSHOT_VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(size)


@pytest.fixture
def brass_lamp(settings):
    """The shop the gift pools' journeys buy from (tests/e2e/test_pools*.py): the fake payment
    gateway, standard delivery at €4.90, and the Brass Lamp's Large option at €49.00 (five in
    stock), returned."""
    from tests.factories import ProductFactory, ShippingMethodFactory, VariantFactory

    settings.PAYMENT_GATEWAY = "fake"
    ShippingMethodFactory(code="standard", name="Standard delivery", price=490)
    lamp = ProductFactory(title="Brass Lamp", slug="brass-lamp", with_variants=0)
    return VariantFactory(product=lamp, name="Large", sku="LAMP-L", price=4_900, stock=5)
