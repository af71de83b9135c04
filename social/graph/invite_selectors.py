"""Reads of invitations: the ones a person emailed, their personal link, and the invite a
link's token names (at signup)."""

from django.db.models import Exists, OuterRef, QuerySet

from shop.core.validators import token_is_plausible
from social.graph.models import Invite, Referral


def invite_list(*, user) -> QuerySet[Invite]:
    """The invitations USER sent by email, newest first, each with whether it was used."""
    return (
        Invite.objects.filter(inviter_id=user.pk, kind=Invite.Kind.EMAIL)
        .annotate(accepted=Exists(Referral.objects.filter(invite_id=OuterRef("pk"))))
        .order_by("-created_at", "-id")
    )


def invite_link_get(*, user) -> Invite | None:
    """Return USER's personal invite link, or None if they have not made one."""
    return Invite.objects.filter(inviter_id=user.pk, kind=Invite.Kind.LINK).first()


def invite_get_by_token(*, token: str) -> Invite | None:
    """Return the invite whose link holds TOKEN, if its inviter is still active."""
    if not isinstance(token, str) or not token_is_plausible(token, max_length=64):
        return None
    return (
        Invite.objects.filter(token=token, inviter__is_active=True)
        .select_related("inviter")
        .first()
    )
