"""Every write to the social graph: requests, friendships, follows, blocks, privacy, invites.

Every change to what ties two people (a request, a friendship, a follow between people, a
block) first locks both people's rows in id order (_pair_lock), so two changes to one pair
happen one after the other: two people asking each other at the same moment end as one
friendship, a block and an accept racing end blocked and not friends. The database holds
the rest (one pending request per pair, one row per friendship half, follow and block).
"""

from datetime import timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from shop.core.errors import DomainError, RateLimitError
from shop.core.validators import text_clean
from shop.core.visibility import Visibility
from social.graph import events
from social.graph.errors import GraphError
from social.graph.invite_selectors import invite_get_by_token
from social.graph.models import (
    PROFILE_CHOICES,
    SHARING_CHOICES,
    Block,
    Follow,
    FriendRequest,
    Friendship,
    PrivacySettings,
    Referral,
)
from social.graph.selectors import privacy_settings_get

User = get_user_model()

# Per person and rolling day: enough for anyone making friends, too few to spam with.
FRIEND_REQUESTS_PER_DAY = 50
RATE_WINDOW = timedelta(days=1)


PENDING = FriendRequest.Status.PENDING


def _pair_lock(first_id: int, second_id: int) -> None:
    """Lock two people's rows, lowest id first, until the transaction ends.

    FOR NO KEY UPDATE: it waits for another change to the same pair but lets rows that
    refer to these people (an order, a cart) be written meanwhile. SQLite has no row locks;
    its writers queue for the database (BEGIN IMMEDIATE), which serialises them just as well.
    """
    list(
        User.objects.select_for_update(no_key=True)
        .filter(pk__in=sorted({first_id, second_id}))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _pair(first_id: int, second_id: int, *, a: str, b: str) -> Q:
    """A Q matching rows between two people, either way (fields A and B)."""
    return Q(**{a: first_id, b: second_id}) | Q(**{a: second_id, b: first_id})


def _not_self(actor, person, *, field: str, doing: str) -> None:
    if actor.pk == person.pk:
        raise DomainError(
            f"You cannot {doing} yourself.", code=GraphError.SELF_NOT_ALLOWED, field=field
        )


def _reachable_check(actor, person, *, field: str) -> None:
    """Raise unless ACTOR may reach PERSON: PERSON_BLOCKED when the actor blocked them,
    PERSON_NOT_FOUND when they blocked the actor or left (the same answer as for a username
    that does not exist: nobody learns they were blocked). Call with the pair locked."""
    blocks = set(
        Block.objects.filter(
            _pair(actor.pk, person.pk, a="blocker_id", b="blocked_id")
        ).values_list("blocker_id", flat=True)
    )
    if actor.pk in blocks:
        raise DomainError(
            f"You have blocked {person.public_name}; unblock them first.",
            code=GraphError.PERSON_BLOCKED,
            field=field,
        )
    if person.pk in blocks or not person.is_active:
        raise DomainError(
            "There is no one with this username.", code=GraphError.PERSON_NOT_FOUND, field=field
        )


def daily_limit_check(
    recent, *, limit: int, what: str, code: GraphError = GraphError.RATE_LIMITED
) -> None:
    """Raise RateLimitError when RECENT (a person's rows with a created_at) holds LIMIT rows
    or more from the last day; it says when the next one will be allowed."""
    now = timezone.now()
    window = recent.filter(created_at__gt=now - RATE_WINDOW).order_by("-created_at")
    times = list(window.values_list("created_at", flat=True)[:limit])
    if len(times) < limit:
        return
    retry_after = (times[-1] + RATE_WINDOW - now).total_seconds()
    raise RateLimitError(
        f"You have sent {limit} {what} in the last 24 hours, the most we allow; "
        "please try again later.",
        code=code,
        retry_after=max(retry_after, 1.0),
    )


def _on_commit_send(signal, **kwargs) -> None:
    transaction.on_commit(partial(signal.send_robust, sender=events.SENDER, **kwargs))


# --- friend requests and friendships ----------------------------------------------------------


@transaction.atomic
def friend_request_send(*, sender, to, message: str = "") -> FriendRequest:
    """Ask TO to be friends with SENDER, with an optional short MESSAGE.

    If TO has already asked SENDER, their request is accepted instead (and returned,
    ACCEPTED): the two are friends. Raises DomainError SELF_NOT_ALLOWED, PERSON_BLOCKED,
    PERSON_NOT_FOUND, ALREADY_FRIENDS, ALREADY_REQUESTED or INVALID_MESSAGE, and
    RateLimitError RATE_LIMITED past FRIEND_REQUESTS_PER_DAY.
    """
    message = text_clean(
        message,
        field="message",
        label="message",
        max_length=FriendRequest.MESSAGE_MAX_LENGTH,
        required=False,
        code=GraphError.INVALID_MESSAGE,
    )
    _not_self(sender, to, field="to", doing="send a friend request to")
    _pair_lock(sender.pk, to.pk)
    _reachable_check(sender, to, field="to")
    if Friendship.objects.filter(user_id=sender.pk, friend_id=to.pk).exists():
        raise DomainError(
            f"You and {to.public_name} are already friends.",
            code=GraphError.ALREADY_FRIENDS,
            field="to",
        )
    pending = FriendRequest.objects.filter(
        _pair(sender.pk, to.pk, a="from_user_id", b="to_user_id"), status=PENDING
    ).first()
    if pending is not None and pending.from_user_id == sender.pk:
        raise DomainError(
            f"You have already asked {to.public_name}; they have not answered yet.",
            code=GraphError.ALREADY_REQUESTED,
            field="to",
        )
    if pending is not None:
        return _friend_request_accept_locked(friend_request=pending)
    daily_limit_check(
        FriendRequest.objects.filter(from_user_id=sender.pk),
        limit=FRIEND_REQUESTS_PER_DAY,
        what="friend requests",
    )
    friend_request = FriendRequest.objects.create(from_user=sender, to_user=to, message=message)
    _on_commit_send(events.friend_request_sent, request_id=friend_request.pk)
    return friend_request


def _friend_request_decide(*, friend_request: FriendRequest, status: str) -> None:
    """Move a pending request to STATUS; raise REQUEST_NOT_PENDING if it was answered or
    withdrawn meanwhile (a conditional UPDATE: only one of two racing answers wins)."""
    now = timezone.now()
    updated = FriendRequest.objects.filter(pk=friend_request.pk, status=PENDING).update(
        status=status, decided_at=now
    )
    if not updated:
        raise DomainError(
            "This friend request has already been answered or withdrawn.",
            code=GraphError.REQUEST_NOT_PENDING,
        )
    friend_request.status, friend_request.decided_at = status, now


def _friendship_create(*, first_id: int, second_id: int) -> None:
    """Write both halves of a friendship (the pair is locked; a half already there stays)."""
    now = timezone.now()
    Friendship.objects.bulk_create(
        [
            Friendship(user_id=first_id, friend_id=second_id, created_at=now),
            Friendship(user_id=second_id, friend_id=first_id, created_at=now),
        ],
        ignore_conflicts=True,
    )


def _friend_request_accept_locked(*, friend_request: FriendRequest) -> FriendRequest:
    _friend_request_decide(friend_request=friend_request, status=FriendRequest.Status.ACCEPTED)
    _friendship_create(first_id=friend_request.from_user_id, second_id=friend_request.to_user_id)
    _on_commit_send(events.friend_request_accepted, request_id=friend_request.pk)
    return friend_request


def _answer_check(friend_request: FriendRequest, *, user, side: str) -> None:
    owner_id = friend_request.to_user_id if side == "to" else friend_request.from_user_id
    if owner_id != user.pk:
        who = "the person it was sent to" if side == "to" else "the person who sent it"
        raise DomainError(
            f"Only {who} can do this with a friend request.", code=GraphError.NOT_YOURS
        )


@transaction.atomic
def friend_request_accept(*, friend_request: FriendRequest, user) -> FriendRequest:
    """USER, to whom FRIEND_REQUEST was sent, accepts it: the two become friends.

    Raises DomainError NOT_YOURS or REQUEST_NOT_PENDING.
    """
    _answer_check(friend_request, user=user, side="to")
    _pair_lock(friend_request.from_user_id, friend_request.to_user_id)
    return _friend_request_accept_locked(friend_request=friend_request)


@transaction.atomic
def friend_request_decline(*, friend_request: FriendRequest, user) -> FriendRequest:
    """USER, to whom FRIEND_REQUEST was sent, declines it. The sender is not told.

    Raises DomainError NOT_YOURS or REQUEST_NOT_PENDING.
    """
    _answer_check(friend_request, user=user, side="to")
    _friend_request_decide(friend_request=friend_request, status=FriendRequest.Status.DECLINED)
    _on_commit_send(events.friend_request_closed, request_id=friend_request.pk)
    return friend_request


@transaction.atomic
def friend_request_cancel(*, friend_request: FriendRequest, user) -> FriendRequest:
    """USER withdraws the FRIEND_REQUEST they sent.

    Raises DomainError NOT_YOURS or REQUEST_NOT_PENDING.
    """
    _answer_check(friend_request, user=user, side="from")
    _friend_request_decide(friend_request=friend_request, status=FriendRequest.Status.CANCELLED)
    _on_commit_send(events.friend_request_closed, request_id=friend_request.pk)
    return friend_request


@transaction.atomic
def friendship_delete(*, user, friend) -> None:
    """End the friendship of USER and FRIEND (both halves, together). Follows stay.

    Raises DomainError NOT_FRIENDS.
    """
    _pair_lock(user.pk, friend.pk)
    deleted, _ = Friendship.objects.filter(
        _pair(user.pk, friend.pk, a="user_id", b="friend_id")
    ).delete()
    if not deleted:
        raise DomainError(
            f"You and {friend.public_name} are not friends.",
            code=GraphError.NOT_FRIENDS,
            field="person",
        )
    _on_commit_send(events.friendship_ended, user_id=user.pk, friend_id=friend.pk)


@transaction.atomic
def friendships_import(*, pairs: list[tuple[int, int]]) -> int:
    """Make each pair of people (by id) friends at once, as if one had asked and the other
    accepted, in a handful of queries whatever the number: for the demo and imports.

    Pairs of one person, already friends, or blocked either way are skipped; a request
    pending between a pair is accepted with it. No pair locks are taken: use it for people
    not acting at the same time (otherwise friend_request_send and accept).
    Returns how many friendships were made.
    """
    wanted = {(min(a, b), max(a, b)) for a, b in pairs if a != b}
    ids = {person for pair in wanted for person in pair}
    between = {"user_id__in": ids, "friend_id__in": ids}
    existing = set(Friendship.objects.filter(**between).values_list("user_id", "friend_id"))
    blocked = {
        (min(a, b), max(a, b))
        for a, b in Block.objects.filter(blocker_id__in=ids, blocked_id__in=ids).values_list(
            "blocker_id", "blocked_id"
        )
    }
    new = sorted(wanted - existing - blocked)
    if not new:
        return 0
    now = timezone.now()
    pending = FriendRequest.objects.filter(
        from_user_id__in=ids, to_user_id__in=ids, status=PENDING
    ).values_list("pk", "from_user_id", "to_user_id")
    new_set = set(new)
    answered = [pk for pk, a, b in pending if (min(a, b), max(a, b)) in new_set]
    FriendRequest.objects.filter(pk__in=answered).update(
        status=FriendRequest.Status.ACCEPTED, decided_at=now
    )
    Friendship.objects.bulk_create(
        [
            Friendship(user_id=user_id, friend_id=friend_id, created_at=now)
            for a, b in new
            for user_id, friend_id in ((a, b), (b, a))
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    return len(new)


# --- follows ----------------------------------------------------------------------------------


@transaction.atomic
def person_follow(*, follower, person) -> Follow:
    """FOLLOWER follows PERSON, whose profile must be public (no approval asked).

    Raises DomainError SELF_NOT_ALLOWED, PERSON_BLOCKED, PERSON_NOT_FOUND,
    PROFILE_NOT_PUBLIC or ALREADY_FOLLOWING.
    """
    _not_self(follower, person, field="person", doing="follow")
    _pair_lock(follower.pk, person.pk)
    _reachable_check(follower, person, field="person")
    if privacy_settings_get(user=person).profile != Visibility.PUBLIC:
        raise DomainError(
            f"{person.public_name}'s profile is for friends only: ask to be friends instead.",
            code=GraphError.PROFILE_NOT_PUBLIC,
            field="person",
        )
    if Follow.objects.filter(follower_id=follower.pk, person_id=person.pk).exists():
        raise DomainError(
            f"You already follow {person.public_name}.",
            code=GraphError.ALREADY_FOLLOWING,
            field="person",
        )
    follow = Follow.objects.create(follower=follower, person=person)
    _on_commit_send(events.follow_created, follow_id=follow.pk)
    return follow


def merchant_follow(*, follower, merchant) -> Follow:
    """FOLLOWER follows MERCHANT. Raises DomainError ALREADY_FOLLOWING."""
    already = DomainError(
        f"You already follow {merchant.name}.",
        code=GraphError.ALREADY_FOLLOWING,
        field="merchant",
    )
    if Follow.objects.filter(follower_id=follower.pk, merchant_id=merchant.pk).exists():
        raise already
    try:
        with transaction.atomic():
            follow = Follow.objects.create(follower=follower, merchant=merchant)
    except IntegrityError:  # the same follow, from another tab, a moment earlier
        raise already from None
    _on_commit_send(events.follow_created, follow_id=follow.pk)
    return follow


def follow_delete(*, follow: Follow) -> None:
    """Stop following (a person or a merchant)."""
    deleted, _ = Follow.objects.filter(pk=follow.pk).delete()
    if deleted:
        _follow_ended_send(
            follower_id=follow.follower_id,
            person_id=follow.person_id,
            merchant_id=follow.merchant_id,
        )


def _follow_ended_send(*, follower_id: int, person_id=None, merchant_id=None) -> None:
    _on_commit_send(
        events.follow_ended, follower_id=follower_id, person_id=person_id, merchant_id=merchant_id
    )


def person_unfollow(*, follower, person) -> None:
    """FOLLOWER stops following PERSON. Raises DomainError NOT_FOLLOWING."""
    deleted, _ = Follow.objects.filter(follower_id=follower.pk, person_id=person.pk).delete()
    if not deleted:
        raise DomainError(
            f"You do not follow {person.public_name}.",
            code=GraphError.NOT_FOLLOWING,
            field="person",
        )
    _follow_ended_send(follower_id=follower.pk, person_id=person.pk)


def merchant_unfollow(*, follower, merchant) -> None:
    """FOLLOWER stops following MERCHANT. Raises DomainError NOT_FOLLOWING."""
    deleted, _ = Follow.objects.filter(follower_id=follower.pk, merchant_id=merchant.pk).delete()
    if not deleted:
        raise DomainError(
            f"You do not follow {merchant.name}.",
            code=GraphError.NOT_FOLLOWING,
            field="merchant",
        )
    _follow_ended_send(follower_id=follower.pk, merchant_id=merchant.pk)


# --- blocks -----------------------------------------------------------------------------------


@transaction.atomic
def person_block(*, blocker, person) -> Block:
    """BLOCKER blocks PERSON: their friendship, pending requests (either way) and follows
    (either way) end, and from now on each is invisible to the other. Blocking again changes
    nothing and returns the block.

    Raises DomainError SELF_NOT_ALLOWED.
    """
    _not_self(blocker, person, field="person", doing="block")
    _pair_lock(blocker.pk, person.pk)
    block, created = Block.objects.get_or_create(blocker=blocker, blocked=person)
    if created:
        Friendship.objects.filter(_pair(blocker.pk, person.pk, a="user_id", b="friend_id")).delete()
        FriendRequest.objects.filter(
            _pair(blocker.pk, person.pk, a="from_user_id", b="to_user_id"), status=PENDING
        ).update(status=FriendRequest.Status.CANCELLED, decided_at=timezone.now())
        Follow.objects.filter(_pair(blocker.pk, person.pk, a="follower_id", b="person_id")).delete()
        _on_commit_send(events.person_blocked, blocker_id=blocker.pk, blocked_id=person.pk)
    return block


@transaction.atomic
def person_unblock(*, blocker, person) -> None:
    """BLOCKER unblocks PERSON. What the block ended stays ended.

    Raises DomainError NOT_BLOCKED.
    """
    _pair_lock(blocker.pk, person.pk)
    deleted, _ = Block.objects.filter(blocker_id=blocker.pk, blocked_id=person.pk).delete()
    if not deleted:
        raise DomainError(
            f"You have not blocked {person.public_name}.",
            code=GraphError.NOT_BLOCKED,
            field="person",
        )
    _on_commit_send(events.person_unblocked, blocker_id=blocker.pk, blocked_id=person.pk)


# --- privacy ----------------------------------------------------------------------------------

_CHOICES = {
    "profile": PROFILE_CHOICES,
    "friends_list": SHARING_CHOICES,
    "purchases": SHARING_CHOICES,
    "likes": SHARING_CHOICES,
    "wishlists": Visibility.choices,
}


def _visibility_clean(value: object, *, field: str) -> str:
    allowed = [choice for choice, _ in _CHOICES[field]]
    if value not in allowed:
        raise DomainError(
            f"Choose one of: {', '.join(allowed)}.",
            code=GraphError.INVALID_VISIBILITY,
            field=field,
        )
    return str(value)


@transaction.atomic
def privacy_settings_update(
    *,
    user,
    profile: str | None = None,
    friends_list: str | None = None,
    purchases: str | None = None,
    likes: str | None = None,
    wishlists: str | None = None,
    reviews_show_name: bool | None = None,
    discoverable: bool | None = None,
    personalised: bool | None = None,
) -> PrivacySettings:
    """Change USER's privacy settings; a setting left None keeps its value.

    Raises DomainError INVALID_VISIBILITY (on the setting's name) for a visibility the
    setting does not take (a profile is friends or public; lists are private, friends or
    public; wishlists take any).
    """
    changes: dict[str, object] = {}
    for field, value in (
        ("profile", profile),
        ("friends_list", friends_list),
        ("purchases", purchases),
        ("likes", likes),
        ("wishlists", wishlists),
    ):
        if value is not None:
            changes[field] = _visibility_clean(value, field=field)
    for field, value in (
        ("reviews_show_name", reviews_show_name),
        ("discoverable", discoverable),
        ("personalised", personalised),
    ):
        if value is not None:
            changes[field] = bool(value)
    settings, _ = PrivacySettings.objects.select_for_update().get_or_create(user=user)
    changed = [field for field, value in changes.items() if getattr(settings, field) != value]
    for field, value in changes.items():
        setattr(settings, field, value)
    if changes:
        settings.save()
    if changed:
        _on_commit_send(events.privacy_changed, user_id=user.pk, fields=changed)
    return settings


# --- referrals (invitations: invite_services.py) -----------------------------------------------


def referral_record(*, newcomer, token: str) -> Referral | None:
    """Record that NEWCOMER signed up through the invite whose link holds TOKEN.

    Called at signup. Nothing happens for an unknown token, one's own link, or a newcomer
    already recorded (the first invite used wins). If the newcomer's email is already
    verified, they become friends with the inviter at once (referral_befriend).
    """
    from allauth.account.models import EmailAddress

    invite = invite_get_by_token(token=token)
    if invite is None or invite.inviter_id == newcomer.pk:
        return None
    referral, created = Referral.objects.get_or_create(
        newcomer=newcomer, defaults={"inviter_id": invite.inviter_id, "invite": invite}
    )
    if created and EmailAddress.objects.filter(user_id=newcomer.pk, verified=True).exists():
        referral_befriend(newcomer=newcomer)
    return referral if created else None


@transaction.atomic
def referral_befriend(*, newcomer) -> bool:
    """Make NEWCOMER (whose email is now verified) and their inviter friends, once.

    Nothing happens without a referral still waiting, or if either has blocked the other
    (the referral then stays as it is, a record of who brought whom). A pending request
    between them is accepted with it. Returns whether they became friends now.
    """
    referral = Referral.objects.filter(newcomer_id=newcomer.pk, befriended_at=None).first()
    if referral is None:
        return False
    _pair_lock(referral.inviter_id, newcomer.pk)
    referral = Referral.objects.filter(pk=referral.pk, befriended_at=None).first()
    if (
        referral is None
        or Block.objects.filter(
            _pair(referral.inviter_id, newcomer.pk, a="blocker_id", b="blocked_id")
        ).exists()
    ):
        return False
    if not User.objects.filter(pk=referral.inviter_id, is_active=True).exists():
        return False
    FriendRequest.objects.filter(
        _pair(referral.inviter_id, newcomer.pk, a="from_user_id", b="to_user_id"), status=PENDING
    ).update(status=FriendRequest.Status.ACCEPTED, decided_at=timezone.now())
    _friendship_create(first_id=referral.inviter_id, second_id=newcomer.pk)
    referral.befriended_at = timezone.now()
    referral.save(update_fields=["befriended_at"])
    _on_commit_send(events.invite_accepted, referral_id=referral.pk)
    return True
