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
candidates; its answer, the ordered ids, is cached per person for CACHE_SECONDS. The people
it names, re-checked against every exclusion, with their mutual friends (count and names),
are cached beside it as the answer, under generations that the events moving them on
(people_ready.py) change: a dismissal, a request, a new or ended friendship (for the two and
their friends, whose friends of friends changed), a block, a name, a privacy setting. So what
changed shows at once, and a request costs one cache read. Why a cached query rather than a
table kept by Celery: bench/people_bench.py (see the report of issue 10).
"""

import hashlib
import random
from collections.abc import Callable
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
    viewer_signed_in,
)
from social.recommendations.models import Dismissal

User = get_user_model()

# How many ranked people are kept per person (more than any page shows: some are dropped at
# read time by a request or a dismissal until the ranking is made again).
RANKED_MAX = 30
# Mutual friends named with each suggestion ("Ana, Ben and Cy").
NAMES_SHOWN = 3
RANKING_KEY = "recs:people:v2:ranking:{user_id}"
ANSWER_KEY = "recs:people:v2:answer:{user_id}"
PERSON_GENERATION_KEY = "recs:people:v2:generation:{user_id}"
GENERATION_KEY = "recs:people:v2:generation"
# Generations outlive the answers filed under them (an evicted one starts afresh: a miss).
GENERATION_SECONDS = 7 * 24 * 3600


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
    if not viewer_signed_in(viewer):
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


# The fields a suggestion shows of a person (its card, the names of the mutual friends): the
# cached answer holds these, never a password hash nor an email.
PERSON_FIELDS = ("id", "username", "display_name", "avatar", "avatar_thumb")


def _fresh() -> int:
    """A new generation: a random number, so a generation evicted and started again never
    matches an answer cached under the old one."""
    return random.getrandbits(62)


def _generation_read(key: str, found: dict) -> int:
    """The generation at KEY (from FOUND, read with the answer), started if it is not there."""
    value = found.get(key)
    if value is None:
        value = _fresh()
        if not cache.add(key, value, GENERATION_SECONDS):
            value = cache.get(key, value)
    return value


def suggestions_forget(*, user_ids) -> None:
    """The ties of USER_IDS changed: their rankings and answers are made again on their next
    read (their generations move on; what a read computed meanwhile is never kept as theirs)."""
    cache.set_many(
        {PERSON_GENERATION_KEY.format(user_id=user_id): _fresh() for user_id in set(user_ids)},
        GENERATION_SECONDS,
    )


def suggestions_forget_everyone() -> None:
    """Something every answer may show changed (a person's name or picture, who may be
    suggested at all): every answer is made again; the rankings stay."""
    cache.set(GENERATION_KEY, _fresh(), GENERATION_SECONDS)


def _mutual_by_person(*, viewer, person_ids: list[int]) -> dict[int, tuple[int, list]]:
    """Per person of PERSON_IDS: (how many bridges they share with VIEWER, the first
    NAMES_SHOWN of them by name), in one query."""
    rows = (
        Friendship.objects.filter(
            user_id__in=person_ids, friend_id__in=suggestion_bridges(viewer=viewer)
        )
        .select_related("friend")
        .only("user_id", *(f"friend__{field}" for field in PERSON_FIELDS))
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


def _suggestions(*, viewer, ranked: list[int]) -> list[Suggestion]:
    """The people of RANKED still to be suggested, in order, each with the mutual friends: the
    people re-checked against every exclusion, their mutual friends counted and named through
    the audience rule (two queries). Someone left with no mutual friend VIEWER may see is
    dropped."""
    if not ranked:
        return []
    people = {
        person.pk: person
        for person in User.objects.filter(pk__in=ranked, is_active=True)
        .exclude(_excluded_q(viewer, "pk"))
        .only(*PERSON_FIELDS)
    }
    kept = [pk for pk in ranked if pk in people]
    mutual = _mutual_by_person(viewer=viewer, person_ids=kept) if kept else {}
    return [
        Suggestion(person=people[pk], mutual_count=mutual[pk][0], mutual_people=mutual[pk][1])
        for pk in kept
        if pk in mutual
    ]


@dataclass
class _Answer:
    """VIEWER's suggestions as read, the generations they were cached under and their stamp
    (a random number new with each answer built, kept beside it: what
    people_you_may_know_rendered checks its renderings against); both None when uncached."""

    generations: tuple | None
    stamp: int | None
    suggestions: list[Suggestion]


def _answer(viewer, seconds: int) -> _Answer:
    if seconds <= 0:
        ranked = suggestions_rank(viewer=viewer)
        return _Answer(None, None, _suggestions(viewer=viewer, ranked=ranked))
    keys = {
        "answer": ANSWER_KEY.format(user_id=viewer.pk),
        "ranking": RANKING_KEY.format(user_id=viewer.pk),
        "mine": PERSON_GENERATION_KEY.format(user_id=viewer.pk),
    }
    found = cache.get_many([*keys.values(), GENERATION_KEY])
    mine = _generation_read(keys["mine"], found)
    generations = (_generation_read(GENERATION_KEY, found), mine)
    answer = found.get(keys["answer"])
    if answer is not None and answer[0] == generations:
        return _Answer(generations, answer[1], answer[2])
    ranking = found.get(keys["ranking"])
    if ranking is not None and ranking[0] == mine:
        ranked = ranking[1]
    else:
        ranked = suggestions_rank(viewer=viewer)
        cache.set(keys["ranking"], (mine, ranked), seconds)
    suggestions = _suggestions(viewer=viewer, ranked=ranked)
    stamp = _fresh()
    cache.set_many(
        {keys["answer"]: (generations, stamp, suggestions), _stamp_key(viewer.pk): stamp},
        seconds,
    )
    return _Answer(generations, stamp, suggestions)


def _stamp_key(user_id: int) -> str:
    return f"{ANSWER_KEY.format(user_id=user_id)}:stamp"


def _render_key(user_id: int, slot: str) -> str:
    digest = hashlib.sha256(slot.encode()).hexdigest()[:24]
    return f"{ANSWER_KEY.format(user_id=user_id)}:render:{digest}"


def people_you_may_know(*, viewer, limit: int = 10) -> list[Suggestion]:
    """The first LIMIT people VIEWER may know, best first, each with the mutual friends.

    The answer is cached per person for CACHE_SECONDS, under two generations read with it in
    one cache call: VIEWER's own (moved on by every change of whom VIEWER may be suggested:
    requests, friendships, blocks, dismissals, VIEWER's friends' ties and lists) and
    everyone's (names, pictures, discoverability, erased accounts). A change shows at once;
    what a read computed while a change landed is filed under the generations read before
    it, so it is never served after. On a miss: two queries on the cached ranking (re-checked
    against every exclusion, the mutual friends recounted), three when it is ranked too.
    Nothing for a visitor.
    """
    if not viewer_signed_in(viewer) or limit <= 0:
        return []
    return _answer(viewer, cache_seconds()).suggestions[:limit]


def people_you_may_know_rendered(*, viewer, limit: int, name: str, render: Callable):
    """RENDER(the first LIMIT suggestions), cached beside VIEWER's answer under NAME and LIMIT:
    a representation (the API's) made once per answer rather than on every request. It is
    kept under the generations and the stamp of the answer it was made from, and served only
    while both are current: one cache read of small values (the rendering, the stamp, the two
    generations), never the answer's people. RENDER's result must depend on nothing of the
    request but VIEWER and what NAME says (never a CSRF token)."""
    if not viewer_signed_in(viewer) or limit <= 0:
        return render([])
    seconds = cache_seconds()
    if seconds <= 0:
        return render(_answer(viewer, seconds).suggestions[:limit])
    render_key = _render_key(viewer.pk, f"{name}:{limit}")
    mine_key = PERSON_GENERATION_KEY.format(user_id=viewer.pk)
    stamp_key = _stamp_key(viewer.pk)
    found = cache.get_many([render_key, stamp_key, mine_key, GENERATION_KEY])
    kept = found.get(render_key)
    if (
        kept is not None
        and found.get(stamp_key) == kept[1]
        and (found.get(GENERATION_KEY), found.get(mine_key)) == kept[0]
    ):
        return kept[2]
    answer = _answer(viewer, seconds)
    rendered = render(answer.suggestions[:limit])
    cache.set(render_key, (answer.generations, answer.stamp, rendered), seconds)
    return rendered
