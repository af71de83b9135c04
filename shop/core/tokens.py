"""Signed links: a token in a URL that opens one object to whoever holds it.

An order placed without an account is opened by the link in its emails (?token=); wishlists
and gift pools will be opened by theirs. The token is an HMAC of the object's key under
SECRET_KEY with a salt per kind of link, so it needs no table and cannot be guessed; a
wrong, malformed or oversized token is a 404 exactly like a missing object, so whether an
object exists stays private.
"""

from typing import TypeVar

from django.core import signing
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.crypto import constant_time_compare

from shop.core.validators import token_is_plausible

M = TypeVar("M", bound=Model)


def link_token(*, salt: str, key: str) -> str:
    """Return the token of the link that opens the object known by `key` (salted per kind)."""
    return signing.Signer(salt=salt).signature(key)


def link_token_matches(*, salt: str, key: str, token: str) -> bool:
    """Return whether `token` is the link token of `key` (a constant-time comparison)."""
    if not token_is_plausible(token):
        return False
    return constant_time_compare(link_token(salt=salt, key=key), token)


def owner_or_link_get(
    *,
    queryset: QuerySet[M],
    key_field: str,
    key: str,
    owner_field: str,
    user,
    token: str,
    salt: str,
    link_opens_owned: bool = False,
) -> M:
    """Return the object whose `key_field` is `key`, if `user` owns it or `token` opens it.

    With a token the token decides (the link holder may be signed in as anyone). Unless
    `link_opens_owned`, a link opens only objects without an owner: an order placed by an
    account is opened by signing in, never by a link, so a leaked or forged token exposes no
    account's data. Without a token, only `user`'s own objects (`owner_field`). Anything else
    raises Http404, whether or not the object exists.
    """
    if token:
        if not link_token_matches(salt=salt, key=key, token=token):
            raise Http404("No such page.")
        found = queryset.filter(**{key_field: key})
        if not link_opens_owned:
            found = found.filter(**{f"{owner_field}__isnull": True})
    elif user is not None and user.is_authenticated:
        found = queryset.filter(**{key_field: key, owner_field: user})
    else:
        raise Http404("No such page.")
    obj = found.first()
    if obj is None:
        raise Http404("No such page.")
    return obj
