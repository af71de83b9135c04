"""People you may know: friends of friends, ranked, for /friends/, the feed and
/api/v1/suggestions.

Ranked by the number of mutual friends, then by merchants both follow, then by products both
bought; never VIEWER, their friends, anyone with a friend request pending either way, blocked
either way, dismissed ("Not now"), inactive, or who turned discoverability off.

Privacy, through the graph's audience rule (social/graph/selectors.py), never decided here:
- a friend of a friend is reached only through a friend whose friends list VIEWER may see
  (their `friends_list` setting): a friend who keeps their list private is never the reason
  anyone is suggested, nor counted, nor named;
- the tie-breakers count a candidate's merchants followed only when their profile is shared
  with VIEWER, and their purchases only when their `purchases` setting lets VIEWER see them
  (a friend of a friend is a stranger to the rule: in practice, public). The ordering could
  otherwise tell, between two people with as many mutual friends, which one bought what
  VIEWER bought. Neither is ever shown as a reason: only the mutual friends are.

Storage: one indexed query (the (user, friend) index of Friendship, twice) ranks the
candidates; its answer, the ordered ids, is cached per person for CACHE_SECONDS. Everything
else is read fresh on every request, so a dismissal, a new friendship, a request or a block
shows at once whatever the cache holds: the people are re-checked against every exclusion,
and the mutual friends (count and names) are recounted, in two queries. The events that
change whom someone may be suggested also forget the cached ranking (people_ready.py), so new
friends of friends appear at once too. Why a cached query rather than a table kept by Celery:
bench/people_bench.py (see the report of issue 10).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, F, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce, Lower, RowNumber

from shop.orders.selectors import order_lines_purchased_by
from social.graph.models import Follow, Friendship
from social.graph.selectors import (
    audience_filter,
    blocked_with_q,
    friend_ids_of,
    pending_with_q,
    undiscoverable_q,
)
from social.recommendations.models import Dismissal

User = get_user_model()

# How many ranked people are kept per person (more than any page shows: some are dropped at
# read time by a request or a dismissal until the ranking is made again).
RANKED_MAX = 30
# Mutual friends named with each suggestion ("Ana, Ben and Cy").
NAMES_SHOWN = 3
CACHE_KEY = "recs:people:v1:{user_id}"


def cache_seconds() -> int:
    """How long a person's ranking is kept (settings.PEOPLE_SUGGESTIONS_CACHE_SECONDS;
    0: never cached, ranked on every request)."""
    return settings.PEOPLE_SUGGESTIONS_CACHE_SECONDS


@dataclass(frozen=True)
class Suggestion:
    """A person VIEWER may know, and why: the mutual friends (count, and the first few by
    name)."""

    person: object
    mutual_count: int
    mutual_people: list

    @property
    def mutual_more(self) -> int:
        """How many mutual friends are not named ("and N more")."""
        return max(0, self.mutual_count - len(self.mutual_people))


def _signed_in(viewer) -> bool:
    return viewer is not None and getattr(viewer, "is_authenticated", False)


def suggestion_bridges(*, viewer):
    """The ids of VIEWER's friends through whom friends of friends are found and named: the
    active friends whose friends list VIEWER may see (a subquery)."""
    friends = User.objects.filter(pk__in=friend_ids_of(user=viewer), is_active=True)
    return audience_filter(
        friends, viewer=viewer, owner_field="pk", visibility_field="privacy__friends_list"
    ).values("pk")


def _excluded_q(viewer, person_path: str) -> Q:
    """Rows whose person (at PERSON_PATH) must never be suggested to VIEWER."""
    return (
        Q(**{person_path: viewer.pk})
        | Q(**{f"{person_path}__in": friend_ids_of(user=viewer)})
        | pending_with_q(viewer, person_path)
        | blocked_with_q(viewer, person_path)
        | undiscoverable_q(person_path)
        | Q(
            **{
                f"{person_path}__in": Dismissal.objects.filter(user_id=viewer.pk).values(
                    "person_id"
                )
            }
        )
    )


def _merchants_shared(viewer):
    """Per candidate (OuterRef friend_id): the merchants VIEWER also follows, counted when the
    candidate's profile is shared with VIEWER."""
    mine = Follow.objects.filter(follower_id=viewer.pk, merchant__isnull=False).values(
        "merchant_id"
    )
    theirs = audience_filter(
        Follow.objects.filter(follower_id=OuterRef("friend_id"), merchant_id__in=mine),
        viewer=viewer,
        owner_field="follower",
        visibility_field="follower__privacy__profile",
    )
    counted = theirs.order_by().values("follower_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), Value(0))


def _products_shared(viewer):
    """Per candidate (OuterRef friend_id): the products VIEWER also bought, counted from the
    purchases the candidate lets VIEWER see."""
    mine = order_lines_purchased_by(customer_id=viewer.pk).values("variant__product_id")
    theirs = audience_filter(
        order_lines_purchased_by(customer_id=OuterRef("friend_id")).filter(
            variant__product_id__in=mine
        ),
        viewer=viewer,
        owner_field="order__customer",
        visibility_field="order__customer__privacy__purchases",
    )
    counted = (
        theirs.order_by()
        .values("order__customer_id")
        .annotate(n=Count("variant__product_id", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted), Value(0))


def suggestions_rank(*, viewer, limit: int = RANKED_MAX) -> list[int]:
    """Rank the people VIEWER may know, uncached: the ids of the first LIMIT, best first.

    One query: the halves of friendships leaving VIEWER's bridges (suggestion_bridges),
    grouped by the person they reach, without the excluded; ordered by mutual friends, then
    merchants both follow, products both bought, and the id (a stable order).
    """
    if not _signed_in(viewer):
        return []
    ranked = (
        Friendship.objects.filter(user_id__in=suggestion_bridges(viewer=viewer))
        .filter(friend__is_active=True)
        .exclude(_excluded_q(viewer, "friend_id"))
        .order_by()
        .values("friend_id")
        .annotate(
            mutual=Count("user_id"),
            merchants=_merchants_shared(viewer),
            products=_products_shared(viewer),
        )
        .order_by("-mutual", "-merchants", "-products", "friend_id")
        .values_list("friend_id", flat=True)[:limit]
    )
    return list(ranked)


def suggestions_ranked_ids(*, viewer) -> list[int]:
    """VIEWER's ranking from the cache, or ranked now and cached. A cache that fails is a
    miss (shop.core.cache)."""
    seconds = cache_seconds()
    if seconds <= 0:
        return suggestions_rank(viewer=viewer)
    key = CACHE_KEY.format(user_id=viewer.pk)
    ranked = cache.get(key)
    if ranked is None:
        ranked = suggestions_rank(viewer=viewer)
        cache.set(key, ranked, seconds)
    return ranked


def suggestions_forget(*, user_ids) -> None:
    """Forget the cached rankings of USER_IDS (their ties changed)."""
    cache.delete_many([CACHE_KEY.format(user_id=user_id) for user_id in set(user_ids)])


def _mutual_by_person(*, viewer, person_ids: list[int]) -> dict[int, tuple[int, list]]:
    """Per person of PERSON_IDS: (how many bridges they share with VIEWER, the first
    NAMES_SHOWN of them by name), in one query."""
    rows = (
        Friendship.objects.filter(
            user_id__in=person_ids, friend_id__in=suggestion_bridges(viewer=viewer)
        )
        .select_related("friend")
        .annotate(
            total=Window(Count("pk"), partition_by=[F("user_id")]),
            place=Window(
                RowNumber(),
                partition_by=[F("user_id")],
                order_by=[Lower("friend__display_name"), Lower("friend__username"), "friend_id"],
            ),
        )
        .filter(place__lte=NAMES_SHOWN)
        .order_by("user_id", "place")
    )
    found: dict[int, tuple[int, list]] = {}
    for row in rows:
        total, people = found.get(row.user_id, (row.total, []))
        people.append(row.friend)
        found[row.user_id] = (total, people)
    return found


def people_you_may_know(*, viewer, limit: int = 10) -> list[Suggestion]:
    """The first LIMIT people VIEWER may know, best first, each with the mutual friends.

    Two queries on a cached ranking (three when it is ranked now), whatever the numbers:
    the people, re-checked against every exclusion (so what changed since the ranking shows
    at once); their mutual friends, recounted and named through the audience rule. Someone
    left with no mutual friend VIEWER may see is dropped. Nothing for a visitor.
    """
    if not _signed_in(viewer) or limit <= 0:
        return []
    ranked = suggestions_ranked_ids(viewer=viewer)
    if not ranked:
        return []
    people = {
        person.pk: person
        for person in User.objects.filter(pk__in=ranked, is_active=True).exclude(
            _excluded_q(viewer, "pk")
        )
    }
    kept = [pk for pk in ranked if pk in people]
    mutual = _mutual_by_person(viewer=viewer, person_ids=kept) if kept else {}
    suggestions = []
    for pk in kept:
        if pk not in mutual:
            continue
        count, names = mutual[pk]
        suggestions.append(Suggestion(person=people[pk], mutual_count=count, mutual_people=names))
        if len(suggestions) == limit:
            break
    return suggestions
