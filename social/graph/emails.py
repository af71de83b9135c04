"""The graph's emails: an invitation to join, sent from Celery (tasks.invite_email_notify)."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from shop.core.tasks import email_message_send
from social.graph.models import Block, Invite


def invite_url(*, invite: Invite) -> str:
    """Return the absolute address of INVITE's link (/invite/<token>/)."""
    return settings.SITE_URL.rstrip("/") + reverse("invite_open", kwargs={"token": invite.token})


def invite_email_deliver(*, invite_id: int) -> bool:
    """Send the invitation INVITE_ID once; return whether an email went out now.

    The invite is locked and marked sent in the transaction that sends, so a task that runs
    twice sends one email. An address belonging to someone who blocked the inviter is
    withheld: nothing is sent, and the inviter is told nothing different.
    """
    with transaction.atomic():
        invite = (
            Invite.objects.select_for_update()
            .filter(pk=invite_id, kind=Invite.Kind.EMAIL, email_status=Invite.EmailStatus.QUEUED)
            .select_related("inviter")
            .first()
        )
        if invite is None:
            return False
        inviter = invite.inviter
        blocked = Block.objects.filter(
            Q(blocker__email__iexact=invite.email)
            | Q(blocker__emailaddress__email__iexact=invite.email),
            blocked_id=inviter.pk,
        ).exists()
        if blocked or not inviter.is_active:
            invite.email_status = Invite.EmailStatus.WITHHELD
            invite.save(update_fields=["email_status"])
            return False
        context = {
            "inviter": inviter,
            "invite_url": invite_url(invite=invite),
            "store_name": settings.STORE_NAME,
        }
        email_message_send(
            subject=f"{inviter.public_name} invites you to {settings.STORE_NAME}",
            body=render_to_string("social/graph/email/invite.txt", context),
            html_body=render_to_string("social/graph/email/invite.html", context),
            to=[invite.email],
        )
        invite.email_status = Invite.EmailStatus.SENT
        invite.sent_at = timezone.now()
        invite.save(update_fields=["email_status", "sent_at"])
    return True
