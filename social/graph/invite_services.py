"""Invitations to join: a person's personal link, and invitations by email (sent from Celery
through the outbox). What happens when someone signs up through one is services.py's
(referral_record, referral_befriend: they change friendships)."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from shop.core.errors import DomainError
from shop.core.outbox import outbox_record
from shop.core.validators import text_clean
from social.graph.errors import GraphError
from social.graph.models import Invite
from social.graph.services import daily_limit_check

INVITES_PER_DAY = 50
INVITE_EMAIL_TOPIC = "email.graph.invite"


def invite_link_get_or_create(*, inviter) -> Invite:
    """Return INVITER's personal invite link, making it the first time."""
    found = Invite.objects.filter(inviter_id=inviter.pk, kind=Invite.Kind.LINK).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Invite.objects.create(inviter=inviter, kind=Invite.Kind.LINK)
    except IntegrityError:  # made by a request of the same person a moment earlier
        return Invite.objects.get(inviter_id=inviter.pk, kind=Invite.Kind.LINK)


@transaction.atomic
def invite_email_send(*, inviter, email: str) -> Invite:
    """Invite EMAIL to join, on INVITER's behalf; the email leaves from Celery after the
    commit (through the outbox: a broker that is down delays it, never loses it).

    Whether the address already has an account is never said (that would tell anyone who
    is a member); an account that blocked the inviter simply receives nothing.
    Raises DomainError INVALID_EMAIL, SELF_NOT_ALLOWED or ALREADY_INVITED (all on `email`),
    and RateLimitError RATE_LIMITED past INVITES_PER_DAY.
    """
    email = text_clean(
        email,
        field="email",
        label="email address",
        max_length=Invite._meta.get_field("email").max_length,
        code=GraphError.INVALID_EMAIL,
    )
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(
            "Enter a valid email address.", code=GraphError.INVALID_EMAIL, field="email"
        ) from None
    if email.lower() == (inviter.email or "").lower():
        raise DomainError(
            "That is your own address.", code=GraphError.SELF_NOT_ALLOWED, field="email"
        )
    already = DomainError(
        f"You have already invited {email}.", code=GraphError.ALREADY_INVITED, field="email"
    )
    invites = Invite.objects.filter(inviter_id=inviter.pk, kind=Invite.Kind.EMAIL)
    if invites.filter(email__iexact=email).exists():
        raise already
    daily_limit_check(invites, limit=INVITES_PER_DAY, what="invitations")
    try:
        with transaction.atomic():
            invite = Invite.objects.create(
                inviter=inviter,
                kind=Invite.Kind.EMAIL,
                email=email,
                email_status=Invite.EmailStatus.QUEUED,
            )
    except IntegrityError:
        raise already from None
    outbox_record(topic=INVITE_EMAIL_TOPIC, payload={"invite_id": invite.pk})
    return invite
