"""Invitations to review: a few days (settings.REVIEWS_INVITE_AFTER_DAYS) after an order line
is delivered, its buyer gets an email with a signed link straight to the review form. Once per
line (ReviewInvitation's unique line), whoever runs the task and however often; a buyer who
reviewed the product already is not asked.

The link carries the line and the buyer, signed with SECRET_KEY (salted for this use), so it
cannot be forged; the form only checks it (the buyer signs in as anyone does).
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from reviews.models import Review, ReviewInvitation
from shop.core.outbox import outbox_record

EMAIL_TOPIC = "reviews.invitation_email"

SALT = "reviews.invitation"
LINK_DAYS = 90
# A delivery is looked for in this window before its day comes (beat runs hourly; a stopped
# beat catches up on a week).
WINDOW = timedelta(days=7)
# Lines invited per run (beat's next run takes the rest).
BATCH = 500


def invitation_token(*, line_id: int, user_id: int) -> str:
    return signing.dumps({"l": line_id, "u": user_id}, salt=SALT, compress=True)


def invitation_read(*, token: str, user) -> bool:
    """Whether TOKEN is a valid invitation link of USER (not forged, not expired)."""
    if not token or len(token) > 200:
        return False
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=LINK_DAYS))
    except signing.BadSignature:
        return False
    return isinstance(data, dict) and data.get("u") == getattr(user, "pk", None)


def invitations_send(*, now=None) -> int:
    """Invite the buyers of lines delivered REVIEWS_INVITE_AFTER_DAYS ago (within WINDOW);
    return how many were invited now. Idempotent: a line is invited once."""
    from shop.orders.selectors import order_lines_delivered_between

    now = now or timezone.now()
    until = now - timedelta(days=settings.REVIEWS_INVITE_AFTER_DAYS)
    reviewed = Review.objects.filter(
        author_id=OuterRef("order__customer_id"), product_id=OuterRef("variant__product_id")
    )
    lines = (
        order_lines_delivered_between(since=until - WINDOW, until=until)
        .exclude(pk__in=ReviewInvitation.objects.values("order_line_id"))
        .exclude(Exists(reviewed))
    )
    sent = 0
    for line in lines[:BATCH]:
        customer = line.order.customer
        try:
            with transaction.atomic():
                invitation = ReviewInvitation.objects.create(
                    order_line_id=line.pk, user_id=customer.pk, product_id=line.product_id
                )
                # The email must not be lost if the broker is down: it waits in the outbox.
                outbox_record(topic=EMAIL_TOPIC, payload={"invitation_id": invitation.pk})
        except IntegrityError:
            continue  # another run invited it meanwhile
        sent += 1
    return sent


def invitation_email_send(*, invitation_id: int) -> bool:
    """Email the invitation (once: marked sent under its row's lock with the send); return
    whether an email went out now."""
    from django.template.loader import render_to_string

    from shop.core.tasks import email_message_send

    with transaction.atomic():
        invitation = (
            ReviewInvitation.objects.select_for_update()
            .select_related("user", "product")
            .filter(pk=invitation_id, emailed_at__isnull=True)
            .first()
        )
        if invitation is None or not invitation.user.is_active or not invitation.user.email:
            return False
        product = invitation.product
        token = invitation_token(line_id=invitation.order_line_id, user_id=invitation.user_id)
        context = {
            "person": invitation.user,
            "product": product,
            "url": f"{settings.SITE_URL}{product.get_absolute_url()}reviews/write/?invite={token}",
            "store_name": settings.STORE_NAME,
        }
        email_message_send(
            subject=f"How do you like {product.title}?",
            body=render_to_string("reviews/email/invitation.txt", context),
            html_body=render_to_string("reviews/email/invitation.html", context),
            to=[invitation.user.email],
        )
        invitation.emailed_at = timezone.now()
        invitation.save(update_fields=["emailed_at"])
    return True
