"""Reads of the social graph, and the one rule of who may see what: the audience rule.

THE AUDIENCE RULE. A person (the owner) shares a datum at a visibility (private, friends,
link, public: shop.core.visibility). A viewer may see it when:

- the viewer is the owner: always;
- either has blocked the other: never, at any visibility (a block hides everything both ways);
- PUBLIC: anyone, signed in or not;
- FRIENDS: the owner's friends;
- LINK: the owner's friends, and whoever opened the object's own link (its token was checked
  by the object's app, which passes link_opened=True); a list of many objects is never
  opened by a link, so in the queryset form LINK is seen by friends only;
- PRIVATE: the owner only.

A friend of a friend is a stranger to this rule. The rule has two forms that must agree
(tests/social/graph/test_access_matrix.py drives both): audience_allows() for one datum, and
audience_filter() for a queryset of many, in one query (subqueries, no per-row Python).
Every selector of every social app asks one of them; no view, serializer or template
filters by visibility or block by hand. What ties a viewer to a person (Relationship) and
people search are read in people_selectors, through this rule.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import (
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Coalesce
from django.http import Http404

from shop.accounts.selectors import user_get_by_username
from shop.core.visibility import Visibility
from social.graph.models import (
    Block,
    Follow,
    FriendRequest,
    Friendship,
    PrivacySettings,
    Referral,
)

User = get_user_model()

PUBLIC = Visibility.PUBLIC.value
FRIENDS = Visibility.FRIENDS.value
LINK = Visibility.LINK.value
PRIVATE = Visibility.PRIVATE.value


def viewer_signed_in(viewer) -> bool:
    """Return whether VIEWER is a signed-in person (not None, not a visitor)."""
    return viewer is not None and getattr(viewer, "is_authenticated", False)


# --- the audience rule ------------------------------------------------------------------------


def audience_decide(
    *,
    visibility: str,
    is_owner: bool,
    signed_in: bool,
    blocked: bool,
    is_friend: bool,
    link_opened: bool = False,
) -> bool:
    """Apply the audience rule to what is already known of a viewer and an owner.

    The one place the rule is written in Python; audience_allows and Relationship.allows
    load the facts and call it, audience_filter says the same in SQL.
    """
    if visibility not in Visibility.values:
        return False
    if is_owner:
        return True
    if blocked or visibility == PRIVATE:
        return False
    if visibility == PUBLIC:
        return True
    if visibility == LINK and link_opened:
        return True
    return signed_in and is_friend


def audience_allows(*, viewer, owner, visibility: str, link_opened: bool = False) -> bool:
    """Return whether VIEWER (a user, or None for a visitor) may see OWNER's datum shared at
    VISIBILITY. LINK_OPENED: the viewer came through the datum's own link (its app checked
    the token). At most one query (none for the owner or a visitor)."""
    if not viewer_signed_in(viewer):
        return audience_decide(
            visibility=visibility,
            is_owner=False,
            signed_in=False,
            blocked=False,
            is_friend=False,
            link_opened=link_opened,
        )
    if viewer.pk == owner.pk:
        return audience_decide(
            visibility=visibility, is_owner=True, signed_in=True, blocked=False, is_friend=False
        )
    if visibility not in Visibility.values or visibility == PRIVATE:
        return False
    blocked, is_friend = _ties(viewer_id=viewer.pk, owner_id=owner.pk)
    return audience_decide(
        visibility=visibility,
        is_owner=False,
        signed_in=True,
        blocked=blocked,
        is_friend=is_friend,
        link_opened=link_opened,
    )


def _ties(*, viewer_id: int, owner_id: int) -> tuple[bool, bool]:
    """Return (blocked either way, friends) of two people, in one query."""
    row = (
        User.objects.filter(pk=owner_id)
        .annotate(
            blocked=Exists(
                Block.objects.filter(
                    Q(blocker_id=viewer_id, blocked_id=OuterRef("pk"))
                    | Q(blocker_id=OuterRef("pk"), blocked_id=viewer_id)
                )
            ),
            is_friend=Exists(
                Friendship.objects.filter(user_id=viewer_id, friend_id=OuterRef("pk"))
            ),
        )
        .values_list("blocked", "is_friend")
        .first()
    )
    return row if row is not None else (True, False)


def audience_filter(
    queryset: QuerySet,
    *,
    viewer,
    owner_field: str = "owner",
    visibility_field: str = "visibility",
) -> QuerySet:
    """Keep the rows of QUERYSET that VIEWER may see, by the audience rule, in one query.

    OWNER_FIELD is the path to the owner ("user", "order__customer"; "pk" when the rows are
    the people themselves). VISIBILITY_FIELD is the path to the row's visibility, its own
    ("visibility") or its owner's setting ("user__privacy__likes"); an owner without a
    PrivacySettings row counts with the setting's default. Blocks either way hide a row
    whatever its visibility; LINK counts as FRIENDS (a list is not opened by a link).
    """
    owner = "pk" if owner_field in ("pk", "id") else owner_field
    queryset = queryset.alias(
        _audience_visibility=visibility_expression(queryset.model, visibility_field)
    )
    if not viewer_signed_in(viewer):
        return queryset.filter(_audience_visibility=PUBLIC)
    seen = Q(_audience_visibility=PUBLIC) | Q(
        _audience_visibility__in=[FRIENDS, LINK],
        **{f"{owner}__in": friend_ids_of(user=viewer)},
    )
    return queryset.filter(Q(**{owner: viewer.pk}) | (seen & ~blocked_with_q(viewer, owner)))


def visibility_expression(model, path: str):
    """Return the expression of the visibility at PATH from MODEL: the field itself, or, when
    it is reached through a relation whose row may be missing (a person's PrivacySettings),
    the field coalesced to its default."""
    current, field = model, None
    for part in path.split(LOOKUP_SEP):
        field = current._meta.get_field(part)
        if field.is_relation:
            current = field.related_model
    if field is None or field.is_relation:
        raise ValueError(f"{path!r} does not lead to a visibility field of {model.__name__}")
    if field.model is model or not field.has_default():
        return F(path)
    return Coalesce(F(path), Value(field.get_default()), output_field=CharField())


def blocked_with_q(viewer, owner_path: str) -> Q:
    """A Q matching rows whose owner (at OWNER_PATH) has blocked VIEWER or is blocked by them."""
    return Q(
        **{f"{owner_path}__in": Block.objects.filter(blocker_id=viewer.pk).values("blocked")}
    ) | Q(**{f"{owner_path}__in": Block.objects.filter(blocked_id=viewer.pk).values("blocker")})


def pending_with_q(viewer, person_path: str) -> Q:
    """A Q matching rows whose person (at PERSON_PATH) has a friend request pending with
    VIEWER, either way."""
    pending = FriendRequest.objects.filter(status=FriendRequest.Status.PENDING)
    return Q(
        **{f"{person_path}__in": pending.filter(from_user_id=viewer.pk).values("to_user_id")}
    ) | Q(**{f"{person_path}__in": pending.filter(to_user_id=viewer.pk).values("from_user_id")})


def undiscoverable_q(person_path: str) -> Q:
    """A Q matching rows whose person (at PERSON_PATH) turned discoverability off: found only
    by their exact username, never by name nor suggested to anyone."""
    return Q(
        **{
            f"{person_path}__in": PrivacySettings.objects.filter(discoverable=False).values(
                "user_id"
            )
        }
    )


def without_blocked(queryset: QuerySet, *, viewer, person_field: str = "pk") -> QuerySet:
    """Drop the rows of QUERYSET naming (at PERSON_FIELD) someone blocked either way with
    VIEWER: names in likes, "bought by", lists of friends. Visitors block no one."""
    if not viewer_signed_in(viewer):
        return queryset
    return queryset.exclude(blocked_with_q(viewer, person_field))


# --- people: who exists for whom (ties and search: people_selectors) --------------------------


def person_visible_to(*, viewer, person) -> bool:
    """Return whether PERSON exists for VIEWER: an active account, not blocked either way.

    A person who is not visible is "not found" everywhere (404 on the profile, absent from
    search and lists), so a blocked viewer cannot even tell they were blocked.
    """
    if not person.is_active:
        return False
    if not viewer_signed_in(viewer) or viewer.pk == person.pk:
        return True
    return not Block.objects.filter(
        Q(blocker_id=viewer.pk, blocked_id=person.pk)
        | Q(blocker_id=person.pk, blocked_id=viewer.pk)
    ).exists()


def person_get_for_viewer(*, viewer, username: str):
    """Return the person called USERNAME (any case) if they exist for VIEWER.

    Raises Http404 for an unknown, inactive or blocked-either-way person.
    """
    person = user_get_by_username(username=username)
    if not person_visible_to(viewer=viewer, person=person):
        raise Http404("No such person.")
    return person


def person_get_for_actor(*, viewer, username: str):
    """Return the person called USERNAME (any case) for VIEWER to act on: to ask, follow,
    block, unblock or unfriend.

    Raises Http404 for an unknown or inactive person, or one who has blocked VIEWER (they do
    not exist for VIEWER). Someone VIEWER has blocked is returned: VIEWER knows of them, and
    the service says what the block stops.
    """
    person = user_get_by_username(username=username)
    if (
        viewer_signed_in(viewer)
        and viewer.pk != person.pk
        and Block.objects.filter(blocker_id=person.pk, blocked_id=viewer.pk).exists()
    ):
        raise Http404("No such person.")
    return person


# --- friends ----------------------------------------------------------------------------------


def friend_ids_of(*, user) -> QuerySet:
    """The ids of USER's friends, as a subquery (one read of the (user, friend) index)."""
    return Friendship.objects.filter(user_id=user.pk).values("friend_id")


def friends_of(*, user) -> QuerySet:
    """USER's friends (people), for other apps' queries: `user__in=friends_of(user=me)`."""
    return User.objects.filter(pk__in=friend_ids_of(user=user))


def is_friend(*, user, other) -> bool:
    if user is None or other is None or user.pk == other.pk:
        return False
    return Friendship.objects.filter(user_id=user.pk, friend_id=other.pk).exists()


def friendship_list(*, user) -> QuerySet[Friendship]:
    """USER's friendships, newest first, each with the friend loaded."""
    return (
        Friendship.objects.filter(user_id=user.pk, friend__is_active=True)
        .select_related("friend")
        .order_by("-created_at", "-id")
    )


def person_friends_for_viewer(*, viewer, person) -> QuerySet[Friendship]:
    """PERSON's friendships as VIEWER may see them: the list is shown as PERSON's friends_list
    setting allows, without anyone blocked either way with VIEWER.

    Raises Http404 when PERSON does not exist for VIEWER (blocked either way, inactive),
    PermissionDenied when the list is not shared with them. One query when it is shown.
    """
    allowed = audience_filter(
        User.objects.filter(pk=person.pk, is_active=True),
        viewer=viewer,
        owner_field="pk",
        visibility_field="privacy__friends_list",
    ).exists()
    if not allowed:
        if not person_visible_to(viewer=viewer, person=person):
            raise Http404("No such person.")
        raise PermissionDenied(f"{person.public_name} shares their friends only with friends.")
    return without_blocked(friendship_list(user=person), viewer=viewer, person_field="friend")


def friends_count(*, user) -> int:
    return Friendship.objects.filter(user_id=user.pk, friend__is_active=True).count()


# --- requests, follows, blocks ----------------------------------------------------------------


def friend_request_list_received(*, user) -> QuerySet[FriendRequest]:
    """The requests waiting for USER's answer, newest first, each with both people."""
    return (
        FriendRequest.objects.filter(to_user_id=user.pk, status=FriendRequest.Status.PENDING)
        .select_related("from_user", "to_user")
        .order_by("-created_at", "-id")
    )


def friend_request_list_sent(*, user) -> QuerySet[FriendRequest]:
    """USER's requests still waiting for an answer, newest first, each with both people."""
    return (
        FriendRequest.objects.filter(from_user_id=user.pk, status=FriendRequest.Status.PENDING)
        .select_related("from_user", "to_user")
        .order_by("-created_at", "-id")
    )


def friend_request_get_for_user(*, user, request_id: int) -> FriendRequest:
    """Return the friend request REQUEST_ID if USER sent or received it; else Http404."""
    found = (
        FriendRequest.objects.filter(pk=request_id)
        .filter(Q(from_user_id=user.pk) | Q(to_user_id=user.pk))
        .select_related("from_user", "to_user")
        .first()
    )
    if found is None:
        raise Http404("No such friend request.")
    return found


def friend_request_get(*, request_id: int) -> FriendRequest | None:
    """Return friend request REQUEST_ID with both people, or None (for an event's receiver)."""
    return (
        FriendRequest.objects.filter(pk=request_id).select_related("from_user", "to_user").first()
    )


def follow_get(*, follow_id: int) -> Follow | None:
    """Return follow FOLLOW_ID with the follower and the person followed, or None."""
    return Follow.objects.filter(pk=follow_id).select_related("follower", "person").first()


def referral_get(*, referral_id: int) -> Referral | None:
    """Return referral REFERRAL_ID with the inviter and the newcomer, or None."""
    return Referral.objects.filter(pk=referral_id).select_related("inviter", "newcomer").first()


def follow_list(*, user) -> QuerySet[Follow]:
    """Whom USER follows (people and merchants), newest first, with each target loaded."""
    return (
        Follow.objects.filter(follower_id=user.pk)
        .filter(Q(person__isnull=True) | Q(person__is_active=True))
        .select_related("person", "merchant")
        .order_by("-created_at", "-id")
    )


def follow_get_for_user(*, user, follow_id: int) -> Follow:
    found = (
        Follow.objects.filter(pk=follow_id, follower_id=user.pk)
        .select_related("person", "merchant")
        .first()
    )
    if found is None:
        raise Http404("No such follow.")
    return found


def follower_count(*, person) -> int:
    return Follow.objects.filter(person_id=person.pk).count()


def block_list(*, user) -> QuerySet[Block]:
    """The people USER has blocked, newest first."""
    return (
        Block.objects.filter(blocker_id=user.pk)
        .select_related("blocked")
        .order_by("-created_at", "-id")
    )


def is_blocked_either_way(*, user, other) -> bool:
    return Block.objects.filter(
        Q(blocker_id=user.pk, blocked_id=other.pk) | Q(blocker_id=other.pk, blocked_id=user.pk)
    ).exists()


# --- privacy -------------------------------------------------------------------------------


def privacy_settings_get(*, user) -> PrivacySettings:
    """Return USER's privacy settings: their row, or the defaults (unsaved) if they have none."""
    found = PrivacySettings.objects.filter(user_id=user.pk).first()
    return found if found is not None else PrivacySettings(user=user)
