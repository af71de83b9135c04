"""Every write of shares: sharing a product (as a link, to chosen friends in the shop, or to
another network), recording the visits that come through a share's link, and the orders
those visits lead to (the merchant's later analytics).

A share to friends goes only to the sharer's friends, never to anyone blocked either way
(whoever the form named); each of them gets a notification and a private feed item (an
activity shared by name: social.feed keeps it out of every other feed). A person shares at
most SHARES_PER_DAY times in 24 hours (counted under a lock of their row, so two requests at
once cannot both pass the last place).

Visits and orders are counted on the Share row by conditional UPDATEs (visit_count,
order_count), each counted once: a visit once per (share, visitor), where the visitor is a
hash of a random id kept in their session (it survives signing in), an order once per visit.
"""

import hashlib
import secrets
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from shop.core.errors import DomainError, RateLimitError
from shop.core.validators import id_is_valid, text_clean
from shop.core.visibility import Visibility
from social.likes.models import Share, ShareRecipient, ShareVisit

User = get_user_model()

SHARE_RECEIVED = "share_received"
NOTIFY_TOPIC = "likes.share.notify"
NETWORKS = ("email", "x", "facebook", "whatsapp", "pinterest", "native")
MESSAGE_MAX_LENGTH = Share._meta.get_field("message").max_length
RECIPIENTS_MAX = 50
# The session keys of a visitor who came through share links.
VISITOR_SESSION_KEY = "share_visitor"
ATTRIBUTION_PREFIX = "share"


class ShareError(StrEnum):
    INVALID_CHANNEL = "invalid_channel"
    INVALID_NETWORK = "invalid_network"
    NO_RECIPIENTS = "no_recipients"
    TOO_MANY_RECIPIENTS = "too_many_recipients"
    NOT_A_FRIEND = "not_a_friend"
    INVALID_MESSAGE = "invalid_message"
    PRODUCT_UNAVAILABLE = "product_unavailable"
    RATE_LIMITED = "rate_limited"


def shares_per_day() -> int:
    return int(getattr(settings, "SHARES_PER_DAY", 50))


def share_kinds_register() -> None:
    """Register the notification a friend gets when someone shares a product with them."""
    from social.notifications.kinds import Group, NotificationKind, notification_kind_register

    notification_kind_register(
        NotificationKind(
            key=SHARE_RECEIVED,
            label="A friend shares a product with me",
            text="{actor} shared {title} with you",
            group=Group.NONE,
            order=70,
        )
    )


def share_url(share: Share) -> str:
    """The path of SHARE's link: the product's page with ?s=<token>."""
    return f"{share.product.get_absolute_url()}?s={share.token}"


def share_absolute_url(share: Share) -> str:
    from urllib.parse import urljoin

    return urljoin(settings.SITE_URL, share_url(share))


def _rate_check(*, sharer) -> None:
    """Raise RATE_LIMITED when SHARER shared SHARES_PER_DAY times in the last 24 hours.
    Locks the sharer's row: the caller is atomic."""
    User.objects.select_for_update().filter(pk=sharer.pk).values_list("pk", flat=True).first()
    since = timezone.now() - timezone.timedelta(days=1)
    recent = Share.objects.filter(sharer_id=sharer.pk, created_at__gte=since)
    limit = shares_per_day()
    if recent.count() >= limit:
        oldest = recent.order_by("created_at").values_list("created_at", flat=True).first()
        wait = (oldest + timezone.timedelta(days=1) - timezone.now()).total_seconds()
        raise RateLimitError(
            f"You have shared {limit} times today, the most a day: try again tomorrow.",
            code=ShareError.RATE_LIMITED,
            retry_after=max(1.0, wait),
        )


def _recipients_clean(*, sharer, recipient_ids) -> list:
    """The people of RECIPIENT_IDS, each a friend of SHARER not blocked either way.

    Raises NO_RECIPIENTS, TOO_MANY_RECIPIENTS, NOT_A_FRIEND (field "recipients").
    """
    from social.likes.share_selectors import share_friend_choices

    try:
        wanted = {int(pk) for pk in recipient_ids or ()}
    except (TypeError, ValueError):
        wanted = {-1}
    if any(not 0 < pk < 2**63 for pk in wanted):
        wanted = {-1}  # no one's id: refused below as not a friend
    if not wanted:
        raise DomainError(
            "Choose at least one friend to share with.",
            code=ShareError.NO_RECIPIENTS,
            field="recipients",
        )
    if len(wanted) > RECIPIENTS_MAX:
        raise DomainError(
            f"Share with at most {RECIPIENTS_MAX} friends at once.",
            code=ShareError.TOO_MANY_RECIPIENTS,
            field="recipients",
        )
    people = list(share_friend_choices(viewer=sharer).filter(pk__in=wanted))
    if len(people) != len(wanted):
        # Someone who is not (or no longer) a friend, or is blocked either way: the same
        # answer for all, so the form does not tell who blocked whom.
        raise DomainError(
            "You can only share with your friends.",
            code=ShareError.NOT_A_FRIEND,
            field="recipients",
        )
    return people


@transaction.atomic
def share_create(
    *,
    sharer,
    product,
    channel: str,
    recipient_ids=None,
    message: str = "",
    network: str = "",
) -> Share:
    """SHARER shares PRODUCT (published) on CHANNEL: a LINK, to FRIENDS (RECIPIENT_IDS, with
    an optional MESSAGE), or to another NETWORK (one of NETWORKS). Friends are told (a
    notification and a private feed item) once this commits.

    Raises INVALID_CHANNEL, INVALID_NETWORK (field "network"), PRODUCT_UNAVAILABLE (field
    "product"), INVALID_MESSAGE (field "message": too long, control characters), the
    recipients' errors, RATE_LIMITED.
    """
    if channel not in Share.Channel.values:
        raise DomainError(
            "Share as a link, to friends or to another network.",
            code=ShareError.INVALID_CHANNEL,
            field="channel",
        )
    if product is None or not product.is_published:
        raise DomainError(
            "This product is not available.", code=ShareError.PRODUCT_UNAVAILABLE, field="product"
        )
    network = (network or "").strip()
    if channel == Share.Channel.NETWORK and network not in NETWORKS:
        raise DomainError(
            f"Choose a network: {', '.join(NETWORKS)}.",
            code=ShareError.INVALID_NETWORK,
            field="network",
        )
    if channel != Share.Channel.NETWORK:
        network = ""
    message = (
        text_clean(
            message or "",
            field="message",
            label="message",
            max_length=MESSAGE_MAX_LENGTH,
            required=False,
            code=ShareError.INVALID_MESSAGE,
        )
        if channel == Share.Channel.FRIENDS
        else ""
    )
    people = []
    if channel == Share.Channel.FRIENDS:
        people = _recipients_clean(sharer=sharer, recipient_ids=recipient_ids)
    _rate_check(sharer=sharer)
    share = Share.objects.create(
        sharer=sharer, product=product, channel=channel, network=network, message=message
    )
    if people:
        ShareRecipient.objects.bulk_create([ShareRecipient(share=share, user=p) for p in people])
        _friends_tell(share=share, people=people)
    return share


def _friends_tell(*, share: Share, people: list) -> None:
    """Record the private feed item of a share to friends and, through the outbox once this
    commits, notify each of them (share_recipients_notify, from Celery)."""
    from shop.core.outbox import outbox_record
    from social.feed.models import Activity
    from social.feed.services import activity_record, product_snapshot

    product = share.product
    snapshot = product_snapshot(product, price=_price_of(product), currency=settings.STORE_CURRENCY)
    snapshot["url"] = share_url(share)
    if share.message:
        snapshot["message"] = share.message
    activity_record(
        verb=Activity.Verb.SHARE,
        actor=share.sharer,
        product=product,
        snapshot=snapshot,
        # Shared by name: only the recipients' feeds get it (and never a blocked person's).
        visibility=Visibility.PRIVATE,
        recipients=[p.pk for p in people],
        dedupe_key=f"share:{share.pk}",
    )
    outbox_record(topic=NOTIFY_TOPIC, payload={"share_id": share.pk})


def share_recipients_notify(*, share_id: int) -> int:
    """Notify each recipient of the share SHARE_ID that its sharer shared the product with
    them (a link to the product with the share's token). Safe to run twice (one notification
    per recipient and share); notification_notify skips anyone blocked either way since.
    Returns how many were notified now."""
    from social.notifications.services import notification_notify

    share = Share.objects.select_related("sharer", "product").filter(pk=share_id).first()
    if share is None:
        return 0
    told = 0
    for row in ShareRecipient.objects.filter(share_id=share.pk).select_related("user"):
        told += (
            notification_notify(
                recipient=row.user,
                kind=SHARE_RECEIVED,
                actor=share.sharer,
                target_type="share",
                target_id=share.pk,
                url=share_url(share),
                data={"title": share.product.title, "message": share.message},
                dedupe_key=f"share:{share.pk}",
            )
            is not None
        )
    return told


def _price_of(product) -> int | None:
    price = getattr(product, "price_min", None)
    if price is not None:
        return price
    prices = [v.price for v in product.variants.all()]
    return min(prices) if prices else None


# --- visits and orders ------------------------------------------------------------------------


def share_visitor_key(session) -> str:
    """The visitor key of SESSION: a hash of a random id kept in it (created on first use),
    never the session key (which changes on signing in)."""
    raw = session.get(VISITOR_SESSION_KEY)
    if not isinstance(raw, str) or not raw:
        raw = secrets.token_urlsafe(18)
        session[VISITOR_SESSION_KEY] = raw
    return hashlib.sha256(raw.encode()).hexdigest()


def share_visit_record(*, share: Share, visitor_key: str, visitor=None) -> ShareVisit | None:
    """Record that VISITOR_KEY (VISITOR, when signed in) opened SHARE's link, once per
    (share, visitor), counting it on the share. Returns the visit (new or earlier), or None
    for the sharer's own visit (not counted)."""
    if visitor is not None and visitor.pk == share.sharer_id:
        return None
    found = ShareVisit.objects.filter(share_id=share.pk, visitor_key=visitor_key).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            visit = ShareVisit.objects.create(
                share_id=share.pk, visitor_key=visitor_key, visitor=visitor
            )
            Share.objects.filter(pk=share.pk).update(visit_count=F("visit_count") + 1)
    except IntegrityError:
        # The same visitor's twin request recorded it a moment earlier.
        return ShareVisit.objects.filter(share_id=share.pk, visitor_key=visitor_key).first()
    return visit


def share_attribution(*, share: Share, visit: ShareVisit) -> str:
    """The order attribution of VISIT (shop.orders.attribution): "share:<token>:<visit id>"."""
    return f"{ATTRIBUTION_PREFIX}:{share.token}:{visit.pk}"


def share_order_record(*, order_id: int, attribution: str) -> bool:
    """Record that order ORDER_ID came through the share visit ATTRIBUTION names (once per
    visit: a visit leads to its first order), counting it on the share. Returns whether it
    was recorded; an attribution that is not a share's, or names an unknown visit, is none."""
    prefix, _, rest = (attribution or "").partition(":")
    token, _, visit_id = rest.rpartition(":")
    if prefix != ATTRIBUTION_PREFIX or not token or not visit_id.isdigit():
        return False
    share_id = Share.objects.filter(token=token).values_list("pk", flat=True).first()
    if share_id is None or not id_is_valid(int(visit_id)):
        return False
    with transaction.atomic():
        # One table, no join: PostgreSQL re-checks "order IS NULL" on the row a twin delivery
        # just updated and skips it (a join would put the visit in a subquery it does not
        # re-read, and both deliveries would count).
        updated = ShareVisit.objects.filter(
            pk=int(visit_id), share_id=share_id, order__isnull=True
        ).update(order_id=order_id)
        if updated:
            Share.objects.filter(pk=share_id).update(order_count=F("order_count") + 1)
    return bool(updated)


def order_paid_record_share(sender, *, order_id: int, **kwargs) -> None:
    """A paid order that came through a share link: record it on the share's visit (the
    event may come twice: the visit keeps its first order, counted once)."""
    from shop.orders.selectors import order_for_email

    order = order_for_email(order_id=order_id)
    if order is None or not order.attribution:
        return
    share_order_record(order_id=order.pk, attribution=order.attribution)
