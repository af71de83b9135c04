"""Reads behind a person's page (/people/<username>/, /api/v1/people/<username>) and the
header's Friends badge. Who may see what is the audience rule's (selectors.py); this module
only gathers what it allows.

A person's page exists for everyone but those blocked either way (person_get_for_viewer:
404, as if the person did not exist), whatever the person's settings: discoverability only
decides whether search finds them by name, and a page reached by its address shows at least
the name and avatar, enough to recognise someone and ask to be friends. The rest follows the
person's settings, through Relationship: the bio and "joined" with the whole profile
(`profile`), the friends count with the friends list (`friends_list`). The mutual friends are
the viewer's own friends, so a signed-in viewer sees them whatever the settings, as search
shows their number.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Window
from django.db.models.functions import Lower

from shop.core.compiled_reads import PersonCount
from social.graph.models import FriendRequest
from social.graph.people_selectors import Relationship, relationship_get
from social.graph.selectors import friend_ids_of, friends_count, person_get_for_viewer

User = get_user_model()


@dataclass(frozen=True)
class MutualFriends:
    people: list  # up to the limit asked, by name
    count: int  # all of them

    @property
    def more(self) -> int:
        """How many are not named ("and N more")."""
        return max(0, self.count - len(self.people))


def mutual_friends(*, viewer, person, limit: int = 3) -> MutualFriends:
    """Return the friends VIEWER and PERSON share: the first LIMIT by name, and how many there
    are, in one query whatever their number (none for a visitor or oneself)."""
    if not getattr(viewer, "is_authenticated", False) or viewer.pk == person.pk:
        return MutualFriends(people=[], count=0)
    shared = list(
        User.objects.filter(pk__in=friend_ids_of(user=viewer), is_active=True)
        .filter(pk__in=friend_ids_of(user=person))
        .annotate(total=Window(Count("pk")))
        .order_by(Lower("display_name"), Lower("username"), "pk")[:limit]
    )
    return MutualFriends(people=shared, count=shared[0].total if shared else 0)


@dataclass(frozen=True)
class Profile:
    """A person as one viewer sees their page."""

    person: object
    relationship: Relationship
    mutual: MutualFriends
    friends_count: int | None  # None: the friends list is not shared with the viewer

    @property
    def bio(self) -> str:
        return self.person.bio if self.relationship.sees_profile else ""


def person_profile_get(*, viewer, username: str, mutual_limit: int = 3) -> Profile:
    """Return the page of the person called USERNAME (any case) as VIEWER may see it.

    Raises Http404 for an unknown or inactive person, or one blocked either way with VIEWER.
    At most five queries, whatever the number of friends: the person, the blocks, the ties,
    the mutual friends, the friends count.
    """
    person = person_get_for_viewer(viewer=viewer, username=username)
    relationship = relationship_get(viewer=viewer, person=person)
    return Profile(
        person=person,
        relationship=relationship,
        mutual=mutual_friends(viewer=viewer, person=person, limit=mutual_limit),
        friends_count=(friends_count(user=person) if relationship.sees_friends_list else None),
    )


def friend_requests_waiting_count(*, viewer) -> int:
    """How many friend requests wait for VIEWER's answer: the header's Friends badge.

    One query on the partial index of pending requests by recipient (graph_request_received).
    """
    return REQUESTS_WAITING(viewer=viewer)


def _requests_waiting(user_id: int):
    return FriendRequest.objects.filter(to_user_id=user_id, status=FriendRequest.Status.PENDING)


# The Friends badge's count (the header reads it with the other badges in one query).
REQUESTS_WAITING = PersonCount(
    name="graph.requests_waiting", model=FriendRequest, build=_requests_waiting
)
