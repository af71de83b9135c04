"""Schemathesis over /api/schema/: no generated input makes any operation answer 5xx.

The schema is read from the WSGI application when this module is collected, so the test
covers every operation the API has at that moment, reads and writes (one test per
operation). Cases run in-process against pytest-django's test database, filled with a
small catalogue.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from config.wsgi import application
from tests.factories import (
    CategoryFactory,
    MerchantFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
)

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def connection_kept_open():
    """Keep Django from closing the test's database connection around each request.

    The cases go through the real WSGI handler, which closes connections at the start and
    end of a request; inside pytest-django's test transaction that would close it (on
    PostgreSQL) mid-test. Django's own test client disconnects the same receiver.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def catalogue(db):
    """A few published products (and a draft) in a two-level category tree."""
    outdoor = CategoryFactory(slug="outdoor")
    tents = CategoryFactory(slug="tents", parent=outdoor)
    merchant = MerchantFactory(slug="alpine")
    for index in range(3):
        product = ProductFactory(
            slug=f"tent-{index}", category=tents, merchant=merchant, with_variants=2
        )
        ProductImageFactory(product=product)
    ProductFactory(slug="draft", is_published=False)
    ProductFactory(slug="sofa", category=CategoryFactory(slug="home"), with_variants=0)


@pytest.fixture
def token_header(db) -> dict[str, str]:
    user = UserFactory(username="shopper")
    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,  # the same cases on every run, so CI results are reproducible
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # writes add to carts; no case depends on another
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_no_operation_answers_with_a_server_error(
    case, connection_kept_open, catalogue, token_header
):
    # Anonymous first, then signed in with a token: both paths through authentication.
    for headers in (None, token_header):
        response = case.call(headers=headers)

        case.validate_response(response, checks=[not_a_server_error])
