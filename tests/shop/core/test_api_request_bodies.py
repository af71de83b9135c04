"""Hostile JSON bodies get the JSON error format, never a 500 or an HTML page.

A body nested ~1000 levels deep overflowed Python's decoder (RecursionError, a 500 on every
JSON endpoint); a body over DATA_UPLOAD_MAX_MEMORY_SIZE got Django's HTML 400 page.
"""

import json

import pytest
from django.test import Client

from shop.core.parsers import JSON_MAX_DEPTH, json_depth_exceeds
from shop.payments.gateways.fake import fake_webhook_sign
from shop.payments.models import WebhookEvent

pytestmark = pytest.mark.django_db

NESTED = "[" * 1000 + "]" * 1000
WEBHOOK = "/api/v1/payments/webhook/fake"
SECRET = "whsec_test_bodies"
JSON_ENDPOINTS = [
    "/api/v1/checkout",
    "/api/v1/cart/items",
    "/api/v1/cart/discount",
    "/api/v1/discount-codes/check",
]


@pytest.fixture
def client():
    """A client that answers with the error response a server would send, not the exception."""
    return Client(raise_request_exception=False)


@pytest.fixture(autouse=True)
def _webhook_secret(settings):
    settings.PAYMENT_GATEWAY = "fake"
    settings.PAYMENT_FAKE_WEBHOOK_SECRET = SECRET


def _only_error(response) -> dict:
    (errors,) = response.json()["errors"].values()
    (error,) = errors
    return error


@pytest.mark.parametrize("url", JSON_ENDPOINTS)
def test_deeply_nested_json_is_a_400_in_the_json_error_format(client, url):
    response = client.post(url, NESTED, content_type="application/json")

    assert response.status_code == 400
    assert _only_error(response)["code"] == "json_too_deep"


@pytest.mark.parametrize("url", JSON_ENDPOINTS)
def test_json_just_past_the_depth_limit_is_refused_too(client, url):
    body = "[" * (JSON_MAX_DEPTH + 1) + "]" * (JSON_MAX_DEPTH + 1)

    response = client.post(url, body, content_type="application/json")

    assert response.status_code == 400
    assert _only_error(response)["code"] == "json_too_deep"


def test_a_signed_but_deeply_nested_webhook_is_a_400_and_stores_nothing(client):
    body = NESTED.encode()

    response = client.post(
        WEBHOOK,
        body,
        content_type="application/json",
        headers={"X-Fake-Signature": fake_webhook_sign(body, SECRET)},
    )

    assert response.status_code == 400
    assert _only_error(response)["code"] == "invalid_payload"
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize("url", [*JSON_ENDPOINTS, WEBHOOK])
def test_a_body_over_the_upload_limit_is_a_413_in_the_json_error_format(client, settings, url):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"code": "x" * 2048})

    response = client.post(url, body, content_type="application/json")

    assert response.status_code == 413
    error = _only_error(response)
    assert error["code"] == "request_too_large"
    assert "1 KB" in error["message"]


def test_depth_is_counted_without_recursion():
    deep: list = []
    for _ in range(10_000):
        deep = [deep]

    assert json_depth_exceeds(deep, max_depth=JSON_MAX_DEPTH)
    assert not json_depth_exceeds({"a": [{"b": [1, 2]}]}, max_depth=4)
    assert json_depth_exceeds({"a": [{"b": [1, 2]}]}, max_depth=3)
