"""Reads of shares: the friends a person may share with, a person's own shares (by cursor),
one share for its sharer, a share by the token a link carries, and the share URLs of other
networks.

Who sees a share to friends: its sharer and its recipients, never anyone blocked either way
with the sharer (the feed's and notifications' own reads apply the same rule to the feed
item and the notification). A share's link is seen by whoever has it, as any product page.
"""

from dataclasses import dataclass
from functools import partial
from urllib.parse import quote
from urllib.parse import urlencode as _urlencode

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404

from shop.core.cursors import TimeCursor, next_cursor, rows_after
from social.graph.selectors import friend_ids_of, without_blocked
from social.likes.models import Share, ShareRecipient

User = get_user_model()

# Spaces as %20, not "+": mail clients show a "+" as it is.
urlencode = partial(_urlencode, quote_via=quote)

PAGE_SIZE = 20
SEARCH_MAX_LENGTH = 100


def share_friend_choices(*, viewer, query: str = "") -> QuerySet:
    """VIEWER's friends they may share with (active, not blocked either way), by name; QUERY
    keeps those whose name or username contains it. One query."""
    people = User.objects.filter(pk__in=friend_ids_of(user=viewer), is_active=True)
    query = (query or "").strip()[:SEARCH_MAX_LENGTH]
    if query:
        people = people.filter(Q(display_name__icontains=query) | Q(username__icontains=query))
    return without_blocked(people, viewer=viewer).order_by("display_name", "username", "pk")


def share_for_link(*, token: str, product_slug: str) -> Share | None:
    """The share whose link is TOKEN on the page of PRODUCT_SLUG, or None (an unknown or
    malformed token, or one of another product). One query."""
    if not isinstance(token, str) or not 8 <= len(token) <= 32:
        return None
    return (
        Share.objects.filter(token=token, product__slug=product_slug)
        .only("pk", "token", "sharer_id", "product_id")
        .first()
    )


def share_get_for_sharer(*, viewer, token: str) -> Share:
    """VIEWER's own share TOKEN with its product; Http404 for anyone else's (or none)."""
    share = (
        Share.objects.filter(token=token, sharer_id=viewer.pk).select_related("product").first()
        if isinstance(token, str) and len(token) <= 32
        else None
    )
    if share is None:
        raise Http404("No such share.")
    return share


def share_visible_to(*, viewer, share: Share) -> bool:
    """Whether VIEWER may see SHARE (a share to friends): its sharer, or a recipient not
    blocked either way with the sharer. One query at most."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    if viewer.pk == share.sharer_id:
        return True
    recipients = ShareRecipient.objects.filter(share_id=share.pk, user_id=viewer.pk)
    return without_blocked(recipients, viewer=viewer, person_field="share__sharer").exists()


@dataclass
class SharePage:
    shares: list[Share]
    next_cursor: str | None


def share_list_for_sharer(
    *, viewer, cursor: TimeCursor | None = None, size: int = PAGE_SIZE
) -> SharePage:
    """VIEWER's own shares, newest first, after CURSOR (None: the first page), each with its
    product and recipients loaded. Two queries whatever the page's size."""
    shares = rows_after(Share.objects.filter(sharer_id=viewer.pk), cursor)
    rows = list(
        shares.select_related("product")
        .prefetch_related("recipients")
        .order_by("-created_at", "-id")[: size + 1]
    )
    page, more = rows[:size], len(rows) > size
    return SharePage(shares=page, next_cursor=next_cursor(page, more=more))


@dataclass(frozen=True)
class NetworkLink:
    key: str
    label: str
    url: str


def share_network_links(*, url: str, title: str, image_url: str = "") -> list[NetworkLink]:
    """The share URLs of other networks for the page at URL (absolute) called TITLE: plain
    links (no script of theirs), email first."""
    text = f"{title} {url}"
    links = [
        NetworkLink("email", "Email", "mailto:?" + urlencode({"subject": title, "body": text})),
        NetworkLink(
            "x",
            "X (Twitter)",
            "https://twitter.com/intent/tweet?" + urlencode({"url": url, "text": title}),
        ),
        NetworkLink(
            "facebook",
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        ),
        NetworkLink("whatsapp", "WhatsApp", "https://wa.me/?" + urlencode({"text": text})),
    ]
    pin = {"url": url, "description": title}
    if image_url:
        pin["media"] = image_url
    links.append(
        NetworkLink(
            "pinterest", "Pinterest", "https://pinterest.com/pin/create/button/?" + urlencode(pin)
        )
    )
    return links
