"""Reads of likes: my liked products (newest first, by cursor), the like state of products
for a viewer (count, liked by me), the friends a viewer is shown as having bought a product,
and "more like this" (similar products liked by the same people).

Who is shown is decided by the audience rule of social.graph (audience_filter), never here.
The social proof of many products at once ("Liked by Ana, Ben and 4 other friends") is in
social.likes.proof.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from shop.core.cursors import TimeCursor, next_cursor, rows_after
from social.likes.models import Like

User = get_user_model()

PAGE_SIZE = 24
MORE_LIKE_THIS = 4


# --- my likes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LikedProduct:
    like: Like
    product: object  # a catalogue Product as product_list_by_ids loads it (for its card)


@dataclass(frozen=True)
class LikesPage:
    items: list[LikedProduct]
    next_cursor: str | None


def like_page_for_user(
    *, user, cursor: TimeCursor | None = None, size: int = PAGE_SIZE
) -> LikesPage:
    """USER's likes of published products, newest first, SIZE per page, after CURSOR (from
    the next_cursor of the page before). Three queries whatever the size: the likes, their
    products, the products' images."""
    from shop.catalog.selectors import product_list_by_ids

    likes = Like.objects.filter(user_id=user.pk, product__is_published=True)
    rows = list(rows_after(likes, cursor).order_by("-created_at", "-id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    products = product_list_by_ids(product_ids=[like.product_id for like in rows])
    items = [
        LikedProduct(like=like, product=products[like.product_id])
        for like in rows
        if like.product_id in products
    ]
    return LikesPage(items=items, next_cursor=next_cursor(rows, more=more))


# --- the like state of products -------------------------------------------------------------


@dataclass(frozen=True)
class LikeState:
    product_id: int
    slug: str
    title: str
    count: int
    liked: bool  # by the viewer


def like_states_queryset(*, viewer, product_ids=None, slugs=None) -> QuerySet:
    """The published products of PRODUCT_IDS (or SLUGS) annotated with `likes` (the public
    count) and `liked` (by VIEWER, a user or None)."""
    from shop.catalog.models import Product

    queryset = Product.objects.filter(is_published=True)
    if product_ids is not None:
        queryset = queryset.filter(pk__in=product_ids)
    if slugs is not None:
        queryset = queryset.filter(slug__in=slugs)
    queryset = queryset.annotate(
        likes=Coalesce("like_count__count", Value(0), output_field=IntegerField())
    )
    if viewer is not None and viewer.is_authenticated:
        liked = Exists(Like.objects.filter(user_id=viewer.pk, product_id=OuterRef("pk")))
    else:
        liked = Value(False)
    return queryset.annotate(liked=liked).order_by()


def product_like_states(*, viewer, product_ids: list[int]) -> dict[int, LikeState]:
    """Each published product's public like count and whether VIEWER (a user or None)
    likes it, in one query whatever the number of ids."""
    return _states(like_states_queryset(viewer=viewer, product_ids=product_ids))


def product_ids_by_slugs(*, slugs: list[str]) -> list[int]:
    """The ids of the published products called SLUGS, in the order of SLUGS."""
    from shop.catalog.models import Product

    found = dict(
        Product.objects.filter(slug__in=slugs, is_published=True).values_list("slug", "pk")
    )
    return [found[slug] for slug in dict.fromkeys(slugs) if slug in found]


def _states(queryset) -> dict[int, LikeState]:
    return {
        pk: LikeState(product_id=pk, slug=slug, title=title, count=count, liked=bool(liked))
        for pk, slug, title, count, liked in queryset.values_list(
            "pk", "slug", "title", "likes", "liked"
        )
    }


def product_like_state(*, viewer, product) -> LikeState:
    return product_like_states(viewer=viewer, product_ids=[product.pk]).get(
        product.pk
    ) or LikeState(
        product_id=product.pk, slug=product.slug, title=product.title, count=0, liked=False
    )


def like_product_get(*, slug: str):
    """The product called SLUG for liking or unliking (published or not: an unpublished one
    can still be unliked); raises Http404 for none."""
    from django.http import Http404

    from shop.catalog.models import Product

    product = Product.objects.filter(slug=str(slug)[:220]).first()
    if product is None:
        raise Http404("No such product.")
    return product


# --- friends who bought a product -----------------------------------------------------------


def purchases_visible_to(*, viewer, product_ids):
    """The purchased order lines of PRODUCT_IDS by VIEWER's friends that VIEWER may see (each
    buyer's purchases setting; blocks either way hide them)."""
    from shop.orders.selectors import order_lines_purchased
    from social.graph.selectors import audience_filter, friend_ids_of

    lines = order_lines_purchased(product_ids=product_ids).filter(
        order__customer_id__in=friend_ids_of(user=viewer), order__customer__is_active=True
    )
    return audience_filter(
        lines,
        viewer=viewer,
        owner_field="order__customer",
        visibility_field="order__customer__privacy__purchases",
    )


def likes_visible_to(*, viewer, product_ids):
    """The likes of PRODUCT_IDS by VIEWER's friends that VIEWER may see (each liker's likes
    setting; blocks either way hide them)."""
    from social.graph.selectors import audience_filter, friend_ids_of

    likes = Like.objects.filter(
        product_id__in=product_ids,
        user_id__in=friend_ids_of(user=viewer),
        user__is_active=True,
    )
    return audience_filter(
        likes, viewer=viewer, owner_field="user", visibility_field="user__privacy__likes"
    )


def product_buyer_friends(*, viewer, product_id: int) -> QuerySet:
    """The friends VIEWER is shown as having bought PRODUCT_ID ("Bought by 2 friends")."""
    customers = purchases_visible_to(viewer=viewer, product_ids=[product_id]).values(
        "order__customer_id"
    )
    return User.objects.filter(pk__in=customers, is_active=True).order_by("pk")


# --- more like this -------------------------------------------------------------------------


def more_like_this(*, product, viewer=None, limit: int = MORE_LIKE_THIS) -> list:
    """A few published products in stock like PRODUCT: same category, brand or merchant,
    those liked most by the people who like PRODUCT first, then the newest. PRODUCT itself
    and what VIEWER already likes are left out. Three queries (ids, products, images)."""
    from shop.catalog.models import Product, Variant
    from shop.catalog.selectors import product_list_by_ids

    co_likers = Like.objects.filter(product_id=product.pk).values("user_id")
    co_likes = (
        Like.objects.filter(product_id=OuterRef("pk"), user_id__in=co_likers)
        .order_by()
        .values("product_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    alike = Q(category_id=product.category_id) | Q(merchant_id=product.merchant_id)
    if product.brand:
        alike |= Q(brand__iexact=product.brand)
    candidates = (
        Product.objects.filter(alike, is_published=True)
        .exclude(pk=product.pk)
        .filter(Exists(Variant.objects.filter(product_id=OuterRef("pk"), stock__gt=0)))
        .annotate(co=Coalesce(Subquery(co_likes, output_field=IntegerField()), Value(0)))
    )
    if viewer is not None and getattr(viewer, "is_authenticated", False):
        candidates = candidates.exclude(
            Exists(Like.objects.filter(user_id=viewer.pk, product_id=OuterRef("pk")))
        )
    ids = list(
        candidates.order_by("-co", "-created_at", "-id").values_list("pk", flat=True)[:limit]
    )
    found = product_list_by_ids(product_ids=ids)
    return [found[pk] for pk in ids if pk in found]
