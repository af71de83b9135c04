"""A person's part of "download my data" and "delete my account" for products for you: what
they browse (categories and brands counted) and the products recommended to them, with why."""

from django.core.cache import cache

from social.recommendations.models import BrowseInterest, PickState, ProductPick
from social.recommendations.products_services import home_version_key


def products_export(user) -> dict:
    return {
        "browsing": [
            {"kind": row.kind, "value": row.value, "views": row.views}
            for row in BrowseInterest.objects.filter(user_id=user.pk).order_by("kind", "value")
        ],
        "recommended_products": [
            {"product": pick.product.slug, "reason": pick.reason, "score": pick.score}
            for pick in ProductPick.objects.filter(user_id=user.pk)
            .select_related("product")
            .order_by("position")
        ],
    }


def products_erase(user) -> None:
    BrowseInterest.objects.filter(user_id=user.pk).delete()
    ProductPick.objects.filter(user_id=user.pk).delete()
    # Picks naming the person (as the friend who liked or bought) are recomputed without them.
    ProductPick.objects.filter(reason_person_id=user.pk).delete()
    PickState.objects.filter(user_id=user.pk).delete()
    cache.delete_many([home_version_key(user.pk), f"recs:browse:{user.pk}"])
