"""A merchant's public reputation, and the viewer's friends who bought from it.

The public part (the rating from its products' reviews, its fulfilment record) is the same
for everyone: read in two aggregate queries (shop.catalog.selectors.merchant_rating_totals,
shop.orders.selectors.merchant_fulfilment_record) and cached per merchant for SECONDS, so a
merchant page costs a cache read. A shipment shows on it at once (receivers.py forgets the
merchant's entry); a review within SECONDS.

"Friends who bought from this merchant" is the viewer's own: their friends whose purchases
the audience rule of social.graph lets them see (each buyer's purchases setting, blocks
either way), names and count in one query. A visitor, and a stranger, see no one.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Window
from django.http import Http404

from shop.catalog.selectors import merchant_get, merchant_rating_totals
from shop.orders.selectors import (
    FulfilmentRecord,
    merchant_fulfilment_record,
    order_lines_purchased_from,
)
from social.graph.selectors import audience_filter, friend_ids_of

User = get_user_model()

SECONDS = 10 * 60
FRIENDS_SHOWN = 5


@dataclass(frozen=True)
class Reputation:
    merchant_id: int
    rating_sum: int
    rating_count: int
    fulfilment: FulfilmentRecord

    @property
    def rating(self) -> float | None:
        """The average rating out of 5, to one decimal; None with no rating."""
        if not self.rating_count:
            return None
        return round(self.rating_sum / self.rating_count, 1)


def reputation_key(merchant_id: int) -> str:
    return f"reputation:{merchant_id}"


def merchant_reputation(*, merchant_id: int) -> Reputation | None:
    """MERCHANT_ID's rating and fulfilment record: a cache read, two queries on a miss (the
    merchant with its rating totals, the fulfilment aggregate). None for no such merchant."""
    key = reputation_key(merchant_id)
    reputation = cache.get(key)
    if reputation is None:
        totals = merchant_rating_totals(merchant_id=merchant_id)
        if totals is None:
            return None
        reputation = Reputation(
            merchant_id=merchant_id,
            rating_sum=totals.rating_sum,
            rating_count=totals.rating_count,
            fulfilment=merchant_fulfilment_record(
                merchant_id=merchant_id, days=totals.ships_within_days
            ),
        )
        cache.set(key, reputation, SECONDS)
    return reputation


def merchant_reputation_get(*, slug: str) -> tuple[object, Reputation]:
    """The merchant called SLUG and its reputation; Http404 for none."""
    merchant = merchant_get(slug=slug)
    reputation = merchant_reputation(merchant_id=merchant.pk)
    if reputation is None:  # deleted between the two reads
        raise Http404("No such merchant.")
    return merchant, reputation


@dataclass(frozen=True)
class FriendsWhoBought:
    people: tuple  # the first FRIENDS_SHOWN, by name
    count: int  # all of them

    @property
    def others(self) -> int:
        return self.count - len(self.people)


NOBODY = FriendsWhoBought(people=(), count=0)


def merchant_buyer_friends(
    *, viewer, merchant_id: int, limit: int = FRIENDS_SHOWN
) -> FriendsWhoBought:
    """VIEWER's friends who bought from MERCHANT_ID and let VIEWER see their purchases: the
    first LIMIT by name and the count of all, in one query. Nobody for a visitor."""
    if viewer is None or not viewer.is_authenticated:
        return NOBODY
    lines = order_lines_purchased_from(merchant_id=merchant_id).filter(
        order__customer_id__in=friend_ids_of(user=viewer), order__customer__is_active=True
    )
    lines = audience_filter(
        lines,
        viewer=viewer,
        owner_field="order__customer",
        visibility_field="order__customer__privacy__purchases",
    )
    people = list(
        User.objects.filter(pk__in=lines.values("order__customer_id"), is_active=True)
        .exclude(pk=viewer.pk)
        .annotate(total=Window(Count("pk")))
        .order_by("display_name", "username", "pk")[:limit]
    )
    if not people:
        return NOBODY
    return FriendsWhoBought(people=tuple(people), count=people[0].total)
