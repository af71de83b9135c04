"""csrf_token_get: the masked CSRF token of a page, as Django's get_token makes it, faster.

The token stands for the visitor's own secret, is masked afresh on every request (from an
even draw of the alphabet), is the same for every form of one response, marks the cookie to
be sent, and makes a secret (and its cookie) for a visitor who has none.
"""

from collections import Counter

import pytest
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CSRF_TOKEN_LENGTH,
    _unmask_cipher_token,
)
from django.test import RequestFactory

from shop.core.csrf import _csrf_mask_new, csrf_token_get

SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"


def request_with_cookie(secret: str | None = SECRET):
    request = RequestFactory().get("/")
    if secret is not None:
        request.META["CSRF_COOKIE"] = secret
    return request


def test_the_token_stands_for_the_visitors_secret_and_renews_its_cookie():
    request = request_with_cookie()

    token = csrf_token_get(request)

    assert len(token) == CSRF_TOKEN_LENGTH and set(token) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == SECRET
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_each_request_masks_afresh_and_one_request_keeps_its_token():
    first, second = request_with_cookie(), request_with_cookie()

    tokens = [csrf_token_get(first), csrf_token_get(first), csrf_token_get(second)]

    assert tokens[0] == tokens[1]
    assert tokens[0][:CSRF_SECRET_LENGTH] != tokens[2][:CSRF_SECRET_LENGTH]
    assert {_unmask_cipher_token(token) for token in tokens} == {SECRET}


def test_a_secret_rotated_within_the_request_gets_its_own_token():
    request = request_with_cookie()
    before = csrf_token_get(request)
    request.META["CSRF_COOKIE"] = "Z" * CSRF_SECRET_LENGTH  # as rotate_token on log-in

    after = csrf_token_get(request)

    assert _unmask_cipher_token(before) == SECRET
    assert _unmask_cipher_token(after) == "Z" * CSRF_SECRET_LENGTH


def test_a_visitor_without_a_secret_gets_a_new_one_and_its_cookie():
    request = request_with_cookie(None)

    token = csrf_token_get(request)

    assert len(request.META["CSRF_COOKIE"]) == CSRF_SECRET_LENGTH
    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


@pytest.mark.parametrize("odd", ["short", "!" * CSRF_SECRET_LENGTH])
def test_an_odd_secret_is_left_to_django(odd, monkeypatch):
    monkeypatch.setattr("shop.core.csrf.get_token", lambda request: f"django's {request.path}")

    assert csrf_token_get(request_with_cookie(odd)) == "django's /"


def test_the_mask_draws_every_character_of_the_alphabet_evenly():
    counts = Counter("".join(_csrf_mask_new() for _ in range(2000)))  # 64,000 characters

    expected = 2000 * CSRF_SECRET_LENGTH / len(CSRF_ALLOWED_CHARS)  # ~1032, sd ~32
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    assert all(abs(count - expected) < 5 * 32 for count in counts.values())
