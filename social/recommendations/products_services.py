"""Every write of "products for you": co-purchase counts, browsing interest, and each person's
precomputed picks (ProductPick), with the state that says when to recompute them.

Nothing here runs per request but browse_record (cache only, no query). The picks are
computed by Celery (products_tasks) when a person's signals change: their likes and
purchases, their friends' likes, purchases and privacy, blocks, browsing. Each change marks
the person STALE (picks_mark_stale) and asks, at most once per DEBOUNCE_SECONDS, for the
stale people to be recomputed; beat does it every minute in any case, so ten likes in a
minute cost one computation.
"""

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from social.recommendations.models import (
    BrowseInterest,
    CoPurchase,
    CoPurchaseOrder,
    PickReason,
    PickState,
    ProductPick,
)

User = get_user_model()

PICKS = 48  # kept per person
TOGETHER = 20  # "often bought together" kept per product (read by the (product, -orders) index)
ORDER_PRODUCTS_MAX = 50  # an order's products counted into pairs (a bulk order is not a signal)
DEBOUNCE_SECONDS = 30
REFRESH_BATCH = 200
BROWSE_SECONDS = 30 * 24 * 3600
BROWSE_FLUSH_AFTER = 5 * 60
NEW_DAYS = 60
CANDIDATES = 200  # rows read per source

# What each source adds to a product's score (a product's reason is its strongest source).
WEIGHTS = {
    PickReason.FRIEND_BOUGHT: 4.0,
    PickReason.FRIEND_LIKED: 3.0,
    PickReason.BOUGHT_WITH: 3.0,
    PickReason.YOU_LIKED: 2.5,
    PickReason.MERCHANT_NEW: 2.0,
    PickReason.CATEGORY: 1.5,
    PickReason.POPULAR: 0.5,
    PickReason.NEW: 0.3,
}


# --- co-purchase ----------------------------------------------------------------------------


def together_version_key(product_id: int) -> str:
    return f"recs:together:v:{product_id}"


def _together_bump(product_ids: list[int]) -> None:
    if product_ids:
        cache.set_many({together_version_key(pk): time.time_ns() for pk in product_ids}, 24 * 3600)


def copurchase_order_count(*, order_id: int) -> bool:
    """Count the products of the paid order ORDER_ID into CoPurchase, each pair once per
    order whatever the number of runs (the CoPurchaseOrder row is written in the same
    transaction); return whether it was counted now. The buyer's picks become stale."""
    from shop.orders.models import Order, OrderLine
    from shop.orders.selectors import PURCHASED_STATUSES

    order = Order.objects.filter(pk=order_id).values("status", "customer_id").first()
    if order is None or order["status"] not in PURCHASED_STATUSES:
        return False
    try:
        with transaction.atomic():
            # A second run (or a concurrent one, which waits for this row's commit) fails here.
            CoPurchaseOrder.objects.create(order_id=order_id)
            product_ids = sorted(
                set(
                    OrderLine.objects.filter(order_id=order_id, variant__isnull=False)
                    .values_list("variant__product_id", flat=True)
                    .distinct()
                )
            )[:ORDER_PRODUCTS_MAX]
            _pairs_add(product_ids)
            transaction.on_commit(partial(_together_bump, product_ids))
            if order["customer_id"]:
                picks_mark_stale(user_ids=[order["customer_id"]], with_friends=True)
    except IntegrityError:
        return False
    return True


def _pairs_add(product_ids: list[int]) -> None:
    """Add one order to every ordered pair of PRODUCT_IDS, by upsert (no read-modify-write),
    rows in (product, other) order so two orders never lock pairs in opposite orders."""
    pairs = [(a, b) for a in product_ids for b in product_ids if a != b]
    if not pairs:
        return
    table = CoPurchase._meta.db_table
    values = ", ".join(["(%s, %s, 1)"] * len(pairs))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (product_id, other_id, orders) VALUES {values} "
            f"ON CONFLICT (product_id, other_id) DO UPDATE SET orders = {table}.orders + 1",
            [pk for pair in pairs for pk in pair],
        )


# --- browsing -------------------------------------------------------------------------------


def _browse_key(user_id: int) -> str:
    return f"recs:browse:{user_id}"


def browse_record(*, user_id: int, category_id: int | None, brand: str) -> None:
    """Count one product page seen by USER_ID, in the cache only (a page view writes no row).

    The counts wait in one cache entry per person (read and written back: two tabs at the
    same instant may lose a view, which a taste signal can afford) and are written to
    BrowseInterest by browse_flush, asked for at most once per BROWSE_FLUSH_AFTER. Never
    raises: the cache treats a Redis that is down as a miss.
    """
    key = _browse_key(user_id)
    counts = cache.get(key) or {}
    if category_id:
        counts[f"c:{category_id}"] = counts.get(f"c:{category_id}", 0) + 1
    if brand:
        counts[f"b:{brand[:80]}"] = counts.get(f"b:{brand[:80]}", 0) + 1
    cache.set(key, counts, BROWSE_SECONDS)
    if cache.add(f"recs:browse:flush:{user_id}", 1, BROWSE_FLUSH_AFTER):
        from shop.core.enqueue import task_enqueue
        from social.recommendations import products_tasks

        task_enqueue(products_tasks.browse_flush, user_id=user_id)


def browse_flush(*, user_id: int) -> int:
    """Add USER_ID's cached page views to BrowseInterest (upserts) and mark their picks stale;
    return how many counts were written."""
    key = _browse_key(user_id)
    counts = cache.get(key) or {}
    if not counts:
        return 0
    cache.delete(key)
    now = timezone.now()
    rows = []
    for name, views in counts.items():
        kind, _, value = name.partition(":")
        kind = BrowseInterest.Kind.CATEGORY if kind == "c" else BrowseInterest.Kind.BRAND
        rows.append((user_id, kind, value, int(views), now))
    table = BrowseInterest._meta.db_table
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (user_id, kind, value, views, updated_at) VALUES {values} "
                f"ON CONFLICT (user_id, kind, value) DO UPDATE SET "
                f"views = {table}.views + EXCLUDED.views, updated_at = EXCLUDED.updated_at",
                [part for row in rows for part in row],
            )
        picks_mark_stale(user_ids=[user_id])
    return len(rows)


# --- when picks are recomputed --------------------------------------------------------------


def home_version_key(user_id: int) -> str:
    return f"recs:home:{user_id}"


def _home_versions_forget(user_ids: list[int]) -> None:
    cache.delete_many([home_version_key(pk) for pk in user_ids])


def _refresh_soon() -> None:
    if cache.add("recs:picks:refresh-soon", 1, DEBOUNCE_SECONDS):
        from shop.core.enqueue import task_enqueue
        from social.recommendations import products_tasks

        task_enqueue(products_tasks.picks_refresh_stale)


def _people(user_ids: list[int], with_friends: bool) -> QuerySet | list[int]:
    if not with_friends:
        return list(user_ids)
    from social.graph.models import Friendship

    return list(
        Friendship.objects.filter(user_id__in=user_ids).values_list("friend_id", flat=True)
    ) + list(user_ids)


def picks_mark_stale(
    *, user_ids: list[int], with_friends: bool = False, hide_reasons: bool = False
) -> None:
    """Mark the picks of USER_IDS (and WITH_FRIENDS, of their friends) to be recomputed soon.

    HIDE_REASONS: something may have hidden a reason already shown (a block, an unfriending,
    a privacy change): their version moves at once, so the personal home and decorations
    cached under it are rebuilt (re-checking every named friend) on the next request.
    """
    people = sorted(set(_people(user_ids, with_friends)))
    if not people:
        return
    PickState.objects.bulk_create([PickState(user_id=pk) for pk in people], ignore_conflicts=True)
    states = PickState.objects.filter(user_id__in=people)
    if hide_reasons:
        states.update(stale=True, version=F("version") + 1)
        transaction.on_commit(partial(_home_versions_forget, people))
    else:
        states.filter(stale=False).update(stale=True)
    transaction.on_commit(_refresh_soon)


def picks_request(*, user_id: int) -> None:
    """Ask for USER_ID's first picks (a person never computed), at most once a minute; no
    query (a request may call it)."""
    if cache.add(f"recs:picks:asked:{user_id}", 1, 60):
        from shop.core.enqueue import task_enqueue
        from social.recommendations import products_tasks

        task_enqueue(products_tasks.picks_compute, user_id=user_id)


def picks_refresh_stale(*, limit: int = REFRESH_BATCH) -> int:
    """Recompute the picks of up to LIMIT stale people; return how many. Safe to run twice
    at once (a person computed twice gets the same picks)."""
    user_ids = list(
        PickState.objects.filter(stale=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)[:limit]
    )
    for user_id in user_ids:
        picks_compute(user_id=user_id)
    return len(user_ids)


# --- computing picks ------------------------------------------------------------------------


@dataclass
class _Candidate:
    score: float = 0.0
    best: float = -1.0
    reason: str = ""
    person_id: int | None = None
    product_id: int | None = None
    label: str = ""
    key: str = ""
    sources: set = field(default_factory=set)

    def add(self, reason: str, weight: float, **why) -> None:
        self.score += weight
        self.sources.add(reason)
        if weight > self.best:
            self.best = weight
            self.reason = reason
            self.person_id = why.get("person_id")
            self.product_id = why.get("product_id")
            self.label = why.get("label", "")
            self.key = why.get("key", "")


def _available():
    """Published products with a variant in stock (a subquery)."""
    from shop.catalog.models import Product, Variant

    return Product.objects.filter(
        Exists(Variant.objects.filter(product_id=OuterRef("pk"), stock__gt=0)), is_published=True
    )


def _personalised(user_id: int) -> bool:
    from social.graph.models import PrivacySettings

    value = (
        PrivacySettings.objects.filter(user_id=user_id)
        .values_list("personalised", flat=True)
        .first()
    )
    return True if value is None else bool(value)


def picks_candidates(*, user) -> dict[int, _Candidate]:
    """Score every product worth recommending to USER from each source, with its reason.

    Friends' likes and purchases come through the audience rule (social.likes selectors:
    blocks either way and private settings hide them); what USER bought or likes is left out,
    and so is anything unpublished or out of stock. About a dozen queries, whatever USER's
    number of friends, likes or purchases (each source reads at most CANDIDATES rows).
    """
    from shop.catalog.models import Category, Product
    from shop.orders.selectors import order_lines_purchased
    from social.graph.models import Follow
    from social.likes.models import Like
    from social.likes.selectors import likes_visible_to, purchases_visible_to

    available = _available()
    available_ids = available.values("pk")
    bought = set(
        order_lines_purchased(product_ids=Product.objects.values("pk"))
        .filter(order__customer_id=user.pk)
        .values_list("variant__product_id", flat=True)
    )
    liked = dict(
        Like.objects.filter(user_id=user.pk)
        .order_by("-created_at")
        .values_list("product_id", "created_at")[:CANDIDATES]
    )
    own = bought | set(liked)
    found: dict[int, _Candidate] = defaultdict(_Candidate)

    # Friends: the newest friend named, each friend adding to the score.
    for product_id, person_id in (
        likes_visible_to(viewer=user, product_ids=available_ids)
        .order_by("created_at")
        .values_list("product_id", "user_id")[:CANDIDATES]
    ):
        found[product_id].add(
            PickReason.FRIEND_LIKED, WEIGHTS[PickReason.FRIEND_LIKED], person_id=person_id
        )
    for product_id, person_id in (
        purchases_visible_to(viewer=user, product_ids=available_ids)
        .order_by("order__created_at")
        .values_list("variant__product_id", "order__customer_id")[:CANDIDATES]
    ):
        found[product_id].add(
            PickReason.FRIEND_BOUGHT, WEIGHTS[PickReason.FRIEND_BOUGHT], person_id=person_id
        )

    # Co-purchase of what USER bought and likes.
    sources = list(bought)[:CANDIDATES] + list(liked)
    if sources:
        for product_id, other_id, orders in (
            CoPurchase.objects.filter(product_id__in=sources, other_id__in=available_ids)
            .order_by("-orders")
            .values_list("product_id", "other_id", "orders")[: CANDIDATES * 2]
        ):
            reason = PickReason.BOUGHT_WITH if product_id in bought else PickReason.YOU_LIKED
            weight = WEIGHTS[reason] * (1 + math.log(orders))
            found[other_id].add(reason, weight, product_id=product_id)

    # Tastes: the categories and brands USER browses, likes and buys.
    tastes: dict[tuple[str, str], float] = defaultdict(float)
    for kind, value, views in BrowseInterest.objects.filter(user_id=user.pk).values_list(
        "kind", "value", "views"
    ):
        tastes[(kind, value)] += math.log(1 + views)
    for category_id, brand in Product.objects.filter(pk__in=own).values_list(
        "category_id", "brand"
    ):
        tastes[(BrowseInterest.Kind.CATEGORY, str(category_id))] += 1.0
        if brand:
            tastes[(BrowseInterest.Kind.BRAND, brand)] += 0.5
    top = sorted(tastes.items(), key=lambda item: -item[1])[:3]
    if top:
        category_ids = [
            int(v) for (k, v), _ in top if k == BrowseInterest.Kind.CATEGORY and v.isdigit()
        ]
        names = dict(Category.objects.filter(pk__in=category_ids).values_list("pk", "name"))
        for (kind, value), weight in top:
            if kind == BrowseInterest.Kind.CATEGORY:
                if not value.isdigit() or int(value) not in names:
                    continue
                products = available.filter(category_id=int(value))
                label, key = names[int(value)], f"c{value}"
            else:
                products = available.filter(brand=value)
                label, key = value, f"b{value}"[:40]
            for product_id in products.order_by("-units_sold", "-created_at").values_list(
                "pk", flat=True
            )[:12]:
                found[product_id].add(
                    PickReason.CATEGORY,
                    WEIGHTS[PickReason.CATEGORY] * (1 + weight / 4),
                    label=label,
                    key=key,
                )

    # New from the merchants USER follows.
    since = timezone.now() - timezone.timedelta(days=NEW_DAYS)
    followed = Follow.objects.filter(follower_id=user.pk, merchant__isnull=False).values(
        "merchant_id"
    )
    for product_id, merchant_id, merchant_name in (
        available.filter(merchant_id__in=followed, created_at__gte=since)
        .order_by("-created_at")
        .values_list("pk", "merchant_id", "merchant__name")[:24]
    ):
        found[product_id].add(
            PickReason.MERCHANT_NEW,
            WEIGHTS[PickReason.MERCHANT_NEW],
            label=merchant_name,
            key=f"m{merchant_id}",
        )

    # Everyone's: best sellers and new products, to fill a cold start.
    for product_id in (
        available.filter(units_sold__gt=0)
        .order_by("-units_sold", "-id")
        .values_list("pk", flat=True)[:PICKS]
    ):
        found[product_id].add(PickReason.POPULAR, WEIGHTS[PickReason.POPULAR])
    for product_id in available.order_by("-created_at", "-id").values_list("pk", flat=True)[:12]:
        found[product_id].add(PickReason.NEW, WEIGHTS[PickReason.NEW])

    for product_id in own:
        found.pop(product_id, None)
    return found


def picks_compute(*, user_id: int) -> int:
    """Recompute USER_ID's picks (the PICKS best, each with its reason) and move their version;
    return how many. Nobody for a person who turned personalisation off (their picks go)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    candidates = {} if user is None or not _personalised(user_id) else picks_candidates(user=user)
    ranked = sorted(candidates.items(), key=lambda item: (-item[1].score, item[0]))[:PICKS]
    with transaction.atomic():
        PickState.objects.bulk_create([PickState(user_id=user_id)], ignore_conflicts=True)
        # The row lock orders two computations of one person; the second writes last.
        PickState.objects.select_for_update().filter(user_id=user_id).first()
        ProductPick.objects.filter(user_id=user_id).delete()
        ProductPick.objects.bulk_create(
            [
                ProductPick(
                    user_id=user_id,
                    product_id=product_id,
                    position=position,
                    score=round(candidate.score, 4),
                    reason=candidate.reason,
                    reason_person_id=candidate.person_id,
                    reason_product_id=candidate.product_id,
                    reason_label=candidate.label[:120],
                    reason_key=candidate.key[:40],
                )
                for position, (product_id, candidate) in enumerate(ranked)
            ]
        )
        PickState.objects.filter(user_id=user_id).update(
            stale=False, computed_at=timezone.now(), version=F("version") + 1
        )
        transaction.on_commit(partial(_home_versions_forget, [user_id]))
    return len(ranked)
