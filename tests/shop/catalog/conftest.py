"""Fixtures of the catalogue's tests. For the admin: two merchants, a staff member of the
first, and clients logged in as that staff member and as the operator. For the storefront
pages: a small clothing catalogue."""

import pytest

from shop.catalog import services
from tests.factories import CategoryFactory, MerchantFactory, ProductFactory, UserFactory


@pytest.fixture
def fast_passwords(settings):
    """Log-ins in these tests hash with MD5: the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def merchant_a():
    return MerchantFactory(name="Alpha Outdoor", slug="alpha")


@pytest.fixture
def merchant_b():
    return MerchantFactory(name="Beta Home", slug="beta")


@pytest.fixture
def staff_a(merchant_a):
    user = UserFactory(username="alice")
    services.merchant_staff_add(merchant=merchant_a, user=user)
    return user


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


@pytest.fixture
def operator_client(client):
    client.force_login(UserFactory(username="operator", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def clothing():
    """The Clothing category with a Linen shirt from Maison Verte, beside a Wool tent in
    another category."""
    clothing = CategoryFactory(name="Clothing", slug="clothing")
    shop = MerchantFactory(name="Maison Verte", slug="maison-verte")
    ProductFactory(title="Linen shirt", category=clothing, merchant=shop, description="")
    ProductFactory(title="Wool tent", description="")
    return clothing
