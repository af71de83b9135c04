"""Passwords are hashed with Argon2id (shop.accounts.hashers); older hashes still log in and are
re-hashed at that log-in. The rest of the suite hashes with MD5 for speed (tests/conftest.py),
so these tests put the production list back."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher, make_password

import config.settings as production
from shop.accounts.hashers import StoreArgon2PasswordHasher
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ARGON2_PREFIX = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    return production.PASSWORD_HASHERS


def test_production_hashes_new_passwords_with_the_store_argon2_hasher(production_hashers):
    assert production_hashers[0] == "shop.accounts.hashers.StoreArgon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in production_hashers[1:]
    assert "django.contrib.auth.hashers.MD5PasswordHasher" not in production_hashers

    encoded = make_password(DEFAULT_PASSWORD)

    assert encoded.startswith(ARGON2_PREFIX)
    assert isinstance(identify_hasher(encoded), StoreArgon2PasswordHasher)


@pytest.mark.parametrize("login", ["email", "username"])
def test_a_pbkdf2_password_logs_in_and_is_rehashed_with_argon2(client, production_hashers, login):
    user = UserFactory()
    user.password = make_password(DEFAULT_PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = client.post(
        "/accounts/login/", {"login": getattr(user, login), "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    user.refresh_from_db()
    assert user.password.startswith(ARGON2_PREFIX)
    assert user.check_password(DEFAULT_PASSWORD)


def test_an_argon2_hash_with_other_costs_is_rehashed_with_ours(client, production_hashers):
    # Django's own Argon2 costs (100 MiB, 8 lanes): what a change of our costs looks like.
    user = UserFactory()
    user.password = Argon2PasswordHasher().encode(DEFAULT_PASSWORD, Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    assert not user.password.startswith(ARGON2_PREFIX)

    client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})

    user.refresh_from_db()
    assert user.password.startswith(ARGON2_PREFIX)


@pytest.mark.parametrize("login", ["email", "username"])
@pytest.mark.parametrize("password", [DEFAULT_PASSWORD, "not-the-password-9"])
def test_a_log_in_checks_the_password_once(client, login, password, monkeypatch):
    """A slow hasher runs once per attempt, right or wrong, by email or by username."""
    from django.contrib.auth.hashers import MD5PasswordHasher

    user = UserFactory(username="ana", email="ana@example.com")
    checks = []
    original = MD5PasswordHasher.verify

    def verify(self, password, encoded):
        checks.append(password)
        return original(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", verify)

    client.post("/accounts/login/", {"login": getattr(user, login), "password": password})

    assert checks == [password]
