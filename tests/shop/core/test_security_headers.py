"""Every response carries the Content-Security-Policy, without 'unsafe-inline', and the pages
give it nothing inline to refuse: no <script> without src (JSON-LD data excepted), no style=."""

import re

import pytest
from django.template.loader import render_to_string

from shop.core.middleware import content_security_policy
from tests.factories import ProductFactory, ProductImageFactory, UserFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)


def _directives(policy: str) -> dict[str, list[str]]:
    return {
        name: sources
        for name, *sources in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.fixture
def product():
    product = ProductFactory(title="Brass lamp", with_variants=2)
    ProductImageFactory(product=product)  # the admin's list shows its thumbnail
    return product


@pytest.fixture
def operator_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_policy_allows_nothing_inline_and_only_this_site():
    directives = _directives(content_security_policy())

    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in content_security_policy()
    assert "'unsafe-eval'" not in content_security_policy()


def test_settings_add_origins_to_the_policy(settings):
    settings.CSP_EXTRA_SCRIPT_SRC = ["https://js.example.com"]
    settings.CSP_EXTRA_FRAME_SRC = ["https://frames.example.com"]
    settings.CSP_EXTRA_CONNECT_SRC = ["https://api.example.com"]
    settings.CSP_EXTRA_IMG_SRC = ["https://media.example.com"]

    directives = _directives(content_security_policy())

    assert directives["script-src"] == ["'self'", "https://js.example.com"]
    assert directives["frame-src"] == ["'self'", "https://frames.example.com"]
    assert directives["connect-src"] == ["'self'", "https://api.example.com"]
    assert directives["img-src"] == ["'self'", "data:", "https://media.example.com"]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/products/",
        "/cart/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/admin/login/",
        "/api/docs/",
        "/api/v1/products/",
        "/no-such-page/",
    ],
)
def test_pages_carry_the_policy_and_nothing_inline(client, product, url):
    response = client.get(url)

    assert response["Content-Security-Policy"] == content_security_policy()
    body = response.content.decode()
    assert not INLINE_SCRIPT.search(body), INLINE_SCRIPT.search(body).group(0)
    assert not INLINE_STYLE.search(body), INLINE_STYLE.search(body).group(0)


def test_the_product_page_keeps_its_json_ld_under_the_policy(client, product):
    body = client.get(product.get_absolute_url()).content.decode()

    assert '<script type="application/ld+json">' in body
    assert not INLINE_SCRIPT.search(body)
    assert not INLINE_STYLE.search(body)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/catalog/product/",
        "/admin/catalog/product/add/",
        "/admin/cart/discountcode/",
        "/admin/orders/order/",
        "/admin/payments/payment/",
    ],
)
def test_admin_pages_of_ours_put_nothing_inline(operator_client, product, url):
    response = operator_client.get(url)

    assert response.status_code == 200
    body = response.content.decode()
    assert not INLINE_SCRIPT.search(body), INLINE_SCRIPT.search(body).group(0)
    assert not INLINE_STYLE.search(body), INLINE_STYLE.search(body).group(0)


def test_the_server_error_page_is_styled_from_static_files():
    body = render_to_string("500.html")

    assert not INLINE_STYLE.search(body)
    assert "/static/css/agora.css" in body


def test_the_policy_can_be_report_only(client, settings):
    settings.CSP_REPORT_ONLY = True
    settings.CSP_REPORT_URI = "/csp-reports/"

    response = client.get("/")

    assert "Content-Security-Policy" not in response
    assert response["Content-Security-Policy-Report-Only"].endswith("report-uri /csp-reports/")


def test_the_policy_can_be_turned_off(client, settings):
    settings.CSP_ENABLED = False

    assert "Content-Security-Policy" not in client.get("/")


def test_https_redirect_spares_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz/").status_code == 200
    response = client.get("/products/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/products/"


def test_hsts_is_sent_over_https_when_set(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    response = client.get("/", secure=True)

    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
