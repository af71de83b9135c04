"""One-click unsubscribe (RFC 8058): a signed token in every email's link and headers.

The token names the person and the kinds the email was about; it is signed with SECRET_KEY
(django.core.signing, salted for this use), so it needs no table, cannot be forged, and
never expires (an old email's link must still work).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "social.notifications.unsubscribe"
TOKEN_MAX_LENGTH = 600


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    kinds: list[str]


def unsubscribe_token(*, user_id: int, kinds: list[str]) -> str:
    return signing.dumps({"u": user_id, "k": sorted(set(kinds))}, salt=SALT, compress=True)


def unsubscribe_url(*, user_id: int, kinds: list[str]) -> str:
    """Return the absolute address of the unsubscribe link of KINDS for USER_ID."""
    path = reverse(
        "notifications_unsubscribe",
        kwargs={"token": unsubscribe_token(user_id=user_id, kinds=kinds)},
    )
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_read(token: str) -> Unsubscribe | None:
    """Return what TOKEN unsubscribes from, or None if it is not one of ours (tampered)."""
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict):
        return None
    user_id, kinds = value.get("u"), value.get("k")
    if not isinstance(user_id, int) or not isinstance(kinds, list):
        return None
    if not all(isinstance(kind, str) for kind in kinds):
        return None
    return Unsubscribe(user_id=user_id, kinds=kinds)


def unsubscribe_headers(*, url: str) -> dict[str, str]:
    """The headers that let a mail client unsubscribe in one click (RFC 2369, RFC 8058)."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
