"""Inviting people to chip in: the organiser picks friends (told in the app, and by email per
their preferences) or types email addresses (sent a link through the outbox).

An email invitation's link is /pools/<token>/?invite=<invitation token>: opening it keeps the
invitation's token in the visitor's session for this pool, which lets them see it whatever its
visibility (selectors.pool_viewer_may_see). The recipient is never invited: the gift is a
surprise.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from gifting.pools.errors import PoolError
from gifting.pools.models import Pool, PoolInvitation
from gifting.pools.notifications import INVITED_KIND, pool_gift_name, pool_notify
from shop.core.errors import DomainError
from shop.core.outbox import outbox_record

INVITATION_EMAIL_TOPIC = "email.pools.invitation"
INVITES_MAX = 50  # at once: a pool is for friends, not a mailing list


def pool_invitation_url(pool: Pool, invitation: PoolInvitation) -> str:
    return f"{settings.SITE_URL}/pools/{pool.token}/?invite={invitation.token}"


def _emails_clean(emails, *, pool: Pool, organiser) -> list[str]:
    cleaned: dict[str, str] = {}
    recipient_email = (pool.recipient.email or "").lower() if pool.recipient_id else ""
    for raw in emails:
        email = (raw or "").strip()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(
                f"“{email[:80]}” is not an email address.",
                code=PoolError.INVALID_EMAIL,
                field="emails",
            ) from None
        if email.lower() == (organiser.email or "").lower():
            continue  # the organiser is in already
        if recipient_email and email.lower() == recipient_email:
            raise DomainError(
                "That is the recipient’s address: the gift is a surprise.",
                code=PoolError.INVALID_EMAIL,
                field="emails",
            )
        cleaned.setdefault(email.lower(), email)
    return list(cleaned.values())


def _friends_clean(friends, *, pool: Pool, organiser) -> list:
    """The users FRIENDS (users or ids), each checked: a friend of the organiser, not the
    recipient, not blocked either way. One query."""
    from social.graph.selectors import friends_of, without_blocked

    ids = {getattr(friend, "pk", friend) for friend in friends}
    if not ids:
        return []
    if pool.recipient_id in ids:
        raise DomainError(
            "The recipient cannot be invited: the gift is a surprise.",
            code=PoolError.INVALID_INVITEE,
            field="friends",
        )
    if not all(isinstance(pk, int) and not isinstance(pk, bool) for pk in ids):
        raise DomainError(
            "Choose among your friends.", code=PoolError.INVALID_INVITEE, field="friends"
        )
    allowed = list(
        without_blocked(friends_of(user=organiser), viewer=organiser).filter(
            pk__in=ids, is_active=True
        )
    )
    if len(allowed) != len(ids):
        raise DomainError(
            "You can invite only your friends.", code=PoolError.INVALID_INVITEE, field="friends"
        )
    return sorted(allowed, key=lambda user: user.pk)


def _create(**fields) -> PoolInvitation | None:
    """The invitation, or None if it exists already (duplicates are ignored)."""
    try:
        with transaction.atomic():
            return PoolInvitation.objects.create(**fields)
    except IntegrityError:
        return None


@transaction.atomic
def pool_invite(*, pool: Pool, by, friends=(), emails=()) -> list[PoolInvitation]:
    """Invite FRIENDS (the organiser's friends: users or ids) and EMAILS to chip in to POOL,
    on behalf of BY, its organiser (else PermissionDenied). Who was invited already is
    skipped. Friends are notified (INVITED_KIND); each email address is sent the pool's link
    with its invitation token, through the outbox after the commit. Returns the new
    invitations. Raises POOL_CLOSED, INVALID_INVITEE (field "friends"), INVALID_EMAIL
    (field "emails")."""
    if by is None or not getattr(by, "is_authenticated", False) or by.pk != pool.organiser_id:
        raise PermissionDenied("Only the organiser invites people to a pool.")
    if pool.state != Pool.State.OPEN:
        raise DomainError(
            "This pool is no longer taking contributions.",
            code=PoolError.POOL_CLOSED,
            field="friends",
        )
    friends, emails = list(friends or []), list(emails or [])
    if len(friends) + len(emails) > INVITES_MAX:
        raise DomainError(
            f"Invite at most {INVITES_MAX} people at once.",
            code=PoolError.INVALID_INVITEE,
            field="emails" if emails else "friends",
        )
    members = _friends_clean(friends, pool=pool, organiser=by)
    addresses = _emails_clean(emails, pool=pool, organiser=by)
    invitations = []
    for member in members:
        invitation = _create(pool=pool, invitee=member)
        if invitation is None:
            continue
        invitations.append(invitation)
        pool_notify(
            pool=pool,
            recipient=member,
            kind=INVITED_KIND,
            dedupe_key=f"invited:{member.pk}",
            actor=by,
        )
    already = {
        email.lower()
        for email in PoolInvitation.objects.filter(pool_id=pool.pk)
        .exclude(email="")
        .values_list("email", flat=True)
    }
    for email in addresses:
        if email.lower() in already:
            continue
        invitation = _create(pool=pool, email=email)
        if invitation is None:
            continue
        invitations.append(invitation)
        _invitation_email_record(pool=pool, invitation=invitation, by=by)
    return invitations


def _invitation_email_record(*, pool: Pool, invitation: PoolInvitation, by) -> None:
    """Queue the invitation's email (rendered now, sent by shop.core.tasks.email_message_send
    once the transaction commits, retried by the outbox while the broker is down)."""
    context = {
        "organiser": by.public_name,
        "gift": pool_gift_name(pool),
        "recipient": pool.recipient.public_name if pool.recipient_id else pool.recipient_name,
        "message": pool.message,
        "deadline": pool.deadline,
        "url": pool_invitation_url(pool, invitation),
        "store_name": settings.STORE_NAME,
    }
    outbox_record(
        topic=INVITATION_EMAIL_TOPIC,
        payload={
            "subject": f"{by.public_name} invites you to chip in for {context['gift']}",
            "body": render_to_string("pools/email/invitation.txt", context),
            "html_body": render_to_string("pools/email/invitation.html", context),
            "to": [invitation.email],
        },
    )
