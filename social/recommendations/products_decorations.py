"""The product page's "Often bought together" and "Your friends also liked", one decoration of
the page cache (shop.catalog.page_cache.product_decorator_register, place "below"), and the
count of the page view for the viewer's browsing interest (in the cache, no row written).

Cheap by construction, on every signed-in product page:
- "Often bought together" is the same for everyone: cached per product under its co-purchase
  version (moved when an order counts into it) and the catalogue's in-stock version;
- "Your friends also liked" is the viewer's precomputed picks liked by friends, cached per
  viewer and product under the viewer's picks version (moved by every recomputation and at
  once by a block, an unfriending or a privacy change), built in one query on a miss.
A page whose parts are cached costs three cache round trips and no query.
"""

from django.core.cache import cache
from django.db.models import Case, IntegerField, Value, When
from django.template.loader import render_to_string

from shop.catalog import cache_versions
from social.recommendations import products_selectors, products_services
from social.recommendations.models import PickReason

SECONDS = 15 * 60
TOGETHER_SHOWN = 3
FRIENDS_SHOWN = 4


def _together_build(product_id: int) -> dict | None:
    from shop.catalog.models import Product

    product = (
        Product.objects.filter(pk=product_id, is_published=True)
        .only("pk", "title", "slug", "category_id", "brand")
        .first()
    )
    if product is None:
        return None
    together = products_selectors.bought_together(product=product, limit=TOGETHER_SHOWN)
    html = ""
    if together.items:
        html = render_to_string("recommendations/bought_together.html", {"together": together})
    return {"html": html, "category_id": product.category_id, "brand": product.brand}


def _friends_build(*, viewer, product_id: int, category_id: int | None) -> str:
    same_category = Case(
        When(product__category_id=category_id, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    picks = list(
        products_selectors.picks_for_user(viewer=viewer, reasons=[PickReason.FRIEND_LIKED])
        .exclude(product_id=product_id)
        .order_by(same_category, "position")[:FRIENDS_SHOWN]
    )
    if not picks:
        return ""
    items = [(pick, products_selectors.pick_reason_text(pick)) for pick in picks]
    return render_to_string("recommendations/friends_also_liked.html", {"items": items})


def product_decorate(*, viewer, product_ids: list[int], place: str) -> dict[int, str]:
    """The page cache's decoration of a product page, below its buy box and details (place
    "below"; nothing on cards nor under the title)."""
    if place != "below" or len(product_ids) != 1:
        return {}
    product_id = product_ids[0]
    home_key = products_services.home_version_key(viewer.pk)
    together_key = products_services.together_version_key(product_id)
    versions = cache.get_many([home_key, together_key])
    together_version = versions.get(together_key, 0)
    in_stock = cache_versions.in_stock_version()
    entry_key = f"recs:together:{product_id}:{together_version}:{in_stock}"
    state = versions.get(home_key) or products_selectors.home_state(viewer=viewer)
    off = state == products_selectors.PERSONAL_OFF
    home = None if off or state == products_selectors.NOT_COMPUTED else state
    friends_key = f"recs:fal:{viewer.pk}:{product_id}:{home}:{in_stock}"
    found = cache.get_many([entry_key, friends_key])

    entry = found.get(entry_key)
    if entry is None:
        entry = _together_build(product_id)
        if entry is None:
            return {}
        cache.set(entry_key, entry, SECONDS)
    friends = found.get(friends_key) if home is not None else ""
    if friends is None:
        friends = _friends_build(
            viewer=viewer, product_id=product_id, category_id=entry["category_id"]
        )
        cache.set(friends_key, friends, SECONDS)
    if not off:
        products_services.browse_record(
            user_id=viewer.pk, category_id=entry["category_id"], brand=entry["brand"]
        )
    html = entry["html"] + friends
    return {product_id: html} if html else {}
