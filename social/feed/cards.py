"""What a feed card shows beside its snapshot: the per-viewer decorations other apps add to
product cards (a like button, "Bought by 2 friends": shop.catalog.page_cache's product
decorators, registered in their AppConfig.ready(); the feed never imports them)."""

from django.utils.safestring import mark_safe

from shop.catalog.page_cache import product_decorations


def entries_decorate(entries, *, viewer) -> None:
    """Give each available product of ENTRIES its decorations for VIEWER (a user or None)
    under "decoration": one call per registered decorator for the whole page."""
    if viewer is None:
        return
    ids = sorted(
        {
            product["product_id"]
            for entry in entries
            for product in entry.products
            if product["available"] and product["product_id"]
        }
    )
    decorations = product_decorations(viewer=viewer, product_ids=ids, place="card")
    for entry in entries:
        for product in entry.products:
            product["decoration"] = mark_safe(decorations.get(product["product_id"], ""))
