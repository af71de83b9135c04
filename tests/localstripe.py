"""localstripe, a Stripe-compatible server, for the tests of the Stripe path (integration, e2e).

One localstripe process serves the whole test session (each xdist worker its own) on a free
loopback port (it listens on every interface: it has no host option); the `localstripe`
fixture wipes its data and points the shop at it: the API (STRIPE_API_BASE) and its
stand-in for Stripe.js (STRIPE_JS_URL). What it does differently from Stripe:
/work/shared/notes/localstripe.md.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import stripe

LOCALSTRIPE = Path(sys.executable).with_name("localstripe")
SECRET_KEY = "sk_test_localstripe"
PUBLISHABLE_KEY = "pk_test_localstripe"
WEBHOOK_SECRET = "whsec_localstripe"
WEBHOOK_ID = "agora-tests"
START_TIMEOUT = 15
WEBHOOK_TIMEOUT = 15  # localstripe posts events about 1 s after the call; CI may be slower


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cannot_start(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"localstripe must run in CI: {reason}")
    pytest.skip(f"localstripe cannot start here: {reason}")


def localstripe_config(url: str, method: str = "POST", data: dict | None = None) -> None:
    """Call localstripe's own /_config endpoints (no key needed)."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method=method)
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200


@pytest.fixture(scope="session")
def localstripe_url(tmp_path_factory):
    """Start `localstripe --port <free port> --from-scratch`, wait until it answers, stop it."""
    if not LOCALSTRIPE.exists():
        _cannot_start(f"{LOCALSTRIPE} is missing (pip install localstripe==1.15.10)")
    folder = tmp_path_factory.mktemp("localstripe")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = folder / "localstripe.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(LOCALSTRIPE), "--port", str(port), "--from-scratch"],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=folder,
        )
    try:
        probe = urllib.request.Request(
            f"{url}/v1/customers", headers={"Authorization": f"Bearer {SECRET_KEY}"}
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                _cannot_start(f"it exited with {process.returncode}: {log_path.read_text()[-500:]}")
            try:
                with urllib.request.urlopen(probe, timeout=1):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    _cannot_start(f"no answer on {url} within {START_TIMEOUT} s")
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def localstripe(localstripe_url, settings):
    """Point the shop at localstripe, with its data wiped; yield an SDK client for checks."""
    localstripe_config(f"{localstripe_url}/_config/data", method="DELETE")
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_JS_URL = f"{localstripe_url}/js.stripe.com/v3/"
    # What config/settings.py adds to the Content-Security-Policy in Stripe mode, for localstripe.
    settings.CSP_EXTRA_SCRIPT_SRC = [localstripe_url]
    settings.CSP_EXTRA_FRAME_SRC = [localstripe_url]
    settings.CSP_EXTRA_CONNECT_SRC = [localstripe_url]
    return stripe.StripeClient(
        SECRET_KEY, base_addresses={"api": localstripe_url}, max_network_retries=0
    )


# --- what a client does at Stripe with its publishable key or the client secret -------------


def card_token_make(localstripe_url: str, number: str) -> dict:
    """Tokenise a card as Stripe.js's createToken does (publishable key; the card number goes
    to Stripe, never to the shop); return the token, whose card id is a payment method."""
    body = urllib.parse.urlencode(
        {
            "card[number]": number.replace(" ", ""),
            "card[exp_month]": "12",
            "card[exp_year]": "2034",
            "card[cvc]": "123",
            "key": PUBLISHABLE_KEY,
        }
    ).encode()
    request = urllib.request.Request(f"{localstripe_url}/v1/tokens", data=body, method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def intent_confirm_as_client(client: stripe.StripeClient, intent_id: str, payment_method: str):
    """Confirm an intent with a payment method, as a mobile SDK would with the client secret.

    localstripe cannot confirm with a payment_method (500), so it is set first, then the
    intent is confirmed; a decline answers 402 (stripe.CardError), as Stripe does.
    """
    client.v1.payment_intents.update(intent_id, params={"payment_method": payment_method})
    client.v1.payment_intents.confirm(intent_id)


def card_holder_authenticate(
    client: stripe.StripeClient, intent_id: str, client_secret: str, *, success: bool
) -> None:
    """Play the card holder in the 3-D Secure window, as localstripe's Stripe.js does."""
    client.raw_request(
        "post",
        f"/v1/payment_intents/{intent_id}/_authenticate",
        client_secret=client_secret,
        success="true" if success else "false",
    )


# --- webhooks to the live server --------------------------------------------------------------


@pytest.fixture
def webhook_to_live_server(localstripe_url, live_server):
    """Have localstripe post its events to our endpoint, signed with our secret.

    Registrations outlive DELETE /_config/data, so it is pointed at a closed port afterwards:
    events of later tests must not reach a live server they did not ask for.
    """
    endpoint = f"{live_server.url}/api/v1/payments/webhook/stripe"
    localstripe_config(
        f"{localstripe_url}/_config/webhooks/{WEBHOOK_ID}",
        data={"url": endpoint, "secret": WEBHOOK_SECRET},
    )
    yield endpoint
    localstripe_config(
        f"{localstripe_url}/_config/webhooks/{WEBHOOK_ID}",
        data={"url": "http://127.0.0.1:9/", "secret": WEBHOOK_SECRET},
    )


def webhook_event_wait(event_type: str, *, payment_id: str):
    """Return the stored event of `event_type` about the intent `payment_id` once applied.

    Applied, not merely stored: with SQLite in memory the live server shares the test's
    database connection, so a row can be read before the transaction storing it commits.
    """
    from shop.payments.models import WebhookEvent

    deadline = time.monotonic() + WEBHOOK_TIMEOUT
    while time.monotonic() < deadline:
        stored = WebhookEvent.objects.filter(
            gateway="stripe", type=event_type, processed_at__isnull=False
        )
        for event in stored:
            if event.payload["data"]["object"]["id"] == payment_id:
                return event
        time.sleep(0.1)
    pytest.fail(f"no applied {event_type} webhook for {payment_id} in {WEBHOOK_TIMEOUT} s")
