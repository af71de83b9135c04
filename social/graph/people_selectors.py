"""Reads of people for a viewer: what ties the viewer to a person (Relationship: the profile's
button and that person's audience) and people search (/people/?q=).

Who may see what is the audience rule's (selectors.audience_decide, audience_filter): a
Relationship loads the facts and asks it; this module decides nothing of its own.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.http import Http404

from social.graph.models import Block, Follow, FriendRequest, Friendship, PrivacySettings
from social.graph.selectors import (
    PUBLIC,
    audience_decide,
    friend_ids_of,
    privacy_settings_get,
    viewer_signed_in,
    visibility_expression,
    without_blocked,
)

User = get_user_model()

# People search: a query longer than any name or username finds nobody.
SEARCH_MAX_LENGTH = 150


@dataclass(frozen=True)
class Relationship:
    """What ties a viewer to a person, loaded at once: the facts behind the profile's button
    ("Add friend", "Cancel request", "Accept", "Friends ✓", "Follow") and behind the audience
    rule for that person's data."""

    signed_in: bool
    is_self: bool
    is_friend: bool = False
    blocked_by_viewer: bool = False  # the viewer has blocked the person
    blocks_viewer: bool = False  # the person has blocked the viewer
    request_sent_id: int | None = None  # the viewer's pending request to the person
    request_received_id: int | None = None  # the person's pending request to the viewer
    follows: bool = False  # the viewer follows the person
    profile: str = PrivacySettings._meta.get_field("profile").default
    friends_list: str = PrivacySettings._meta.get_field("friends_list").default

    @property
    def blocked(self) -> bool:
        return self.blocked_by_viewer or self.blocks_viewer

    def allows(self, visibility: str, *, link_opened: bool = False) -> bool:
        """Return whether the viewer may see the person's datum shared at VISIBILITY."""
        return audience_decide(
            visibility=visibility,
            is_owner=self.is_self,
            signed_in=self.signed_in,
            blocked=self.blocked,
            is_friend=self.is_friend,
            link_opened=link_opened,
        )

    @property
    def sees_profile(self) -> bool:
        """Whether the viewer sees the whole profile (bio, friends count), not only the name
        and avatar."""
        return self.allows(self.profile)

    @property
    def sees_friends_list(self) -> bool:
        return self.allows(self.friends_list)

    @property
    def can_follow(self) -> bool:
        return (
            self.signed_in
            and not self.is_self
            and not self.blocked
            and not self.follows
            and self.profile == PUBLIC
        )


def _privacy(field: str):
    return visibility_expression(User, f"privacy__{field}")


def relationship_get(*, viewer, person) -> Relationship:
    """Return what ties VIEWER (a user or None) to PERSON, in one query (none for a visitor
    or oneself)."""
    if not viewer_signed_in(viewer) or viewer.pk == person.pk:
        settings = privacy_settings_get(user=person)
        return Relationship(
            signed_in=viewer_signed_in(viewer),
            is_self=viewer_signed_in(viewer),
            profile=settings.profile,
            friends_list=settings.friends_list,
        )
    row = (
        with_relationship(User.objects.filter(pk=person.pk), viewer=viewer)
        .annotate(
            blocked_by_viewer=Exists(
                Block.objects.filter(blocker_id=viewer.pk, blocked_id=OuterRef("pk"))
            ),
            blocks_viewer=Exists(
                Block.objects.filter(blocker_id=OuterRef("pk"), blocked_id=viewer.pk)
            ),
            profile_visibility=_privacy("profile"),
            friends_list_visibility=_privacy("friends_list"),
        )
        .values(
            "is_friend",
            "blocked_by_viewer",
            "blocks_viewer",
            "request_sent_id",
            "request_received_id",
            "is_followed",
            "profile_visibility",
            "friends_list_visibility",
        )
        .first()
    )
    if row is None:
        raise Http404("No such person.")
    return Relationship(
        signed_in=True,
        is_self=False,
        is_friend=row["is_friend"],
        blocked_by_viewer=row["blocked_by_viewer"],
        blocks_viewer=row["blocks_viewer"],
        request_sent_id=row["request_sent_id"],
        request_received_id=row["request_received_id"],
        follows=row["is_followed"],
        profile=row["profile_visibility"],
        friends_list=row["friends_list_visibility"],
    )


def with_relationship(queryset: QuerySet, *, viewer) -> QuerySet:
    """Annotate each person of QUERYSET with their ties to VIEWER (is_friend,
    request_sent_id, request_received_id, is_followed (by VIEWER), mutual_friends), in the
    same query."""
    pending = FriendRequest.objects.filter(status=FriendRequest.Status.PENDING)
    return queryset.annotate(
        is_friend=Exists(Friendship.objects.filter(user_id=viewer.pk, friend_id=OuterRef("pk"))),
        request_sent_id=Subquery(
            pending.filter(from_user_id=viewer.pk, to_user_id=OuterRef("pk")).values("pk")[:1],
            output_field=IntegerField(),
        ),
        request_received_id=Subquery(
            pending.filter(from_user_id=OuterRef("pk"), to_user_id=viewer.pk).values("pk")[:1],
            output_field=IntegerField(),
        ),
        is_followed=Exists(Follow.objects.filter(follower_id=viewer.pk, person_id=OuterRef("pk"))),
        mutual_friends=_mutual_count(viewer=viewer),
    )


def _mutual_count(*, viewer):
    """The number of friends the row's person shares with VIEWER (a correlated subquery)."""
    shared = (
        Friendship.objects.filter(user_id=OuterRef("pk"), friend_id__in=friend_ids_of(user=viewer))
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(shared, output_field=IntegerField()), Value(0))


def people_search(*, viewer, query: str) -> QuerySet:
    """Return the people VIEWER finds with QUERY (/people/?q=), best match first.

    A person is found by part of their display name or username, or, when they turned
    discoverability off, only by their exact username (any case). Never VIEWER themselves,
    inactive accounts, nor anyone blocked either way. Each person carries their ties to
    VIEWER (with_relationship). An empty query finds nobody.
    """
    text = query.strip() if isinstance(query, str) else ""
    if not viewer_signed_in(viewer) or not text or len(text) > SEARCH_MAX_LENGTH or "\x00" in text:
        return User.objects.none()
    exact = Q(_username_lower=Lower(Value(text)))
    by_name = Q(_discoverable=True) & (
        Q(display_name__icontains=text) | Q(username__icontains=text)
    )
    people = (
        User.objects.filter(is_active=True)
        .exclude(pk=viewer.pk)
        .alias(
            _username_lower=Lower("username"),
            _discoverable=Coalesce(
                F("privacy__discoverable"), Value(True), output_field=BooleanField()
            ),
        )
        .filter(exact | by_name)
    )
    people = without_blocked(people, viewer=viewer)
    return (
        with_relationship(people, viewer=viewer)
        .annotate(
            _rank=Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("_rank", Lower("display_name"), Lower("username"), "pk")
    )
