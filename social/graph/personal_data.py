"""The graph's part of "download my data" and "delete my account" (shop.core.personal_data)."""

from functools import partial

from django.db import transaction
from django.db.models import Q

from social.graph import events
from social.graph.models import (
    Block,
    Follow,
    FriendRequest,
    Friendship,
    Invite,
    PrivacySettings,
    Referral,
    Report,
)
from social.graph.selectors import privacy_settings_get


def _when(value) -> str | None:
    return value.isoformat() if value else None


def graph_export(user) -> dict:
    """Return USER's friends, requests, follows, blocks, invites and privacy settings."""
    settings = privacy_settings_get(user=user)
    referral = Referral.objects.filter(newcomer_id=user.pk).select_related("inviter").first()
    return {
        "privacy": {
            "profile": settings.profile,
            "friends_list": settings.friends_list,
            "purchases": settings.purchases,
            "likes": settings.likes,
            "wishlists": settings.wishlists,
            "reviews_show_name": settings.reviews_show_name,
            "discoverable": settings.discoverable,
            "personalised": settings.personalised,
        },
        "friends": [
            {"username": f.friend.username, "since": _when(f.created_at)}
            for f in Friendship.objects.filter(user_id=user.pk).select_related("friend")
        ],
        "friend_requests_sent": [
            {
                "to": r.to_user.username,
                "message": r.message,
                "status": r.status,
                "sent_at": _when(r.created_at),
                "answered_at": _when(r.decided_at),
            }
            for r in FriendRequest.objects.filter(from_user_id=user.pk).select_related("to_user")
        ],
        "friend_requests_received": [
            {
                "from": r.from_user.username,
                "message": r.message,
                "status": r.status,
                "sent_at": _when(r.created_at),
                "answered_at": _when(r.decided_at),
            }
            for r in FriendRequest.objects.filter(to_user_id=user.pk).select_related("from_user")
        ],
        "follows": [
            {
                "person": f.person.username if f.person_id else None,
                "merchant": f.merchant.slug if f.merchant_id else None,
                "since": _when(f.created_at),
            }
            for f in Follow.objects.filter(follower_id=user.pk).select_related("person", "merchant")
        ],
        "blocks": [
            {"username": b.blocked.username, "since": _when(b.created_at)}
            for b in Block.objects.filter(blocker_id=user.pk).select_related("blocked")
        ],
        "invites": [
            {
                "kind": i.kind,
                "email": i.email,
                "created_at": _when(i.created_at),
                "sent_at": _when(i.sent_at),
            }
            for i in Invite.objects.filter(inviter_id=user.pk)
        ],
        "invited_by": (
            {"username": referral.inviter.username, "joined_at": _when(referral.created_at)}
            if referral
            else None
        ),
        # Reports the person made (not those about them: who reported whom stays private).
        "reports_made": [
            {
                "person": r.person.username,
                "reason": r.reason,
                "text": r.text,
                "created_at": _when(r.created_at),
            }
            for r in Report.objects.filter(reporter_id=user.pk).select_related("person")
        ],
        "people_you_brought": [
            {"username": r.newcomer.username, "joined_at": _when(r.created_at)}
            for r in Referral.objects.filter(inviter_id=user.pk).select_related("newcomer")
        ],
    }


def graph_erase(user) -> None:
    """Remove USER from the graph: friendships (each told as ended), requests, follows and
    blocks either way, their invites and referrals, their privacy settings, the reports they
    made or that name them (a deleted profile leaves nothing to moderate), and others' emailed
    invitations to any of their addresses (it runs before the account's part replaces them)."""
    from allauth.account.models import EmailAddress

    uid = user.pk
    addresses = {user.email.lower()} if user.email else set()
    addresses.update(
        email.lower()
        for email in EmailAddress.objects.filter(user_id=uid).values_list("email", flat=True)
    )
    if addresses:
        Invite.objects.filter(_email_is_one_of(addresses)).delete()
    friend_ids = list(Friendship.objects.filter(user_id=uid).values_list("friend_id", flat=True))
    Friendship.objects.filter(Q(user_id=uid) | Q(friend_id=uid)).delete()
    # Each ended friendship is told as an unfriending is (once the erasure commits): what the
    # former friends are shown (feeds, social proof, suggestions) forgets the person at once.
    for friend_id in friend_ids:
        transaction.on_commit(
            partial(
                events.friendship_ended.send_robust,
                sender=events.SENDER,
                user_id=uid,
                friend_id=friend_id,
            )
        )
    FriendRequest.objects.filter(Q(from_user_id=uid) | Q(to_user_id=uid)).delete()
    Follow.objects.filter(Q(follower_id=uid) | Q(person_id=uid)).delete()
    Block.objects.filter(Q(blocker_id=uid) | Q(blocked_id=uid)).delete()
    Referral.objects.filter(Q(newcomer_id=uid) | Q(inviter_id=uid)).delete()
    Invite.objects.filter(inviter_id=uid).delete()
    PrivacySettings.objects.filter(user_id=uid).delete()
    Report.objects.filter(Q(reporter_id=uid) | Q(person_id=uid)).delete()


def _email_is_one_of(addresses: set[str]) -> Q:
    query = Q()
    for address in addresses:
        query |= Q(email__iexact=address)
    return query
