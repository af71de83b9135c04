"""Reads of the store pages."""

from django.http import Http404

from shop.pages.models import StorePage


def store_page_get(*, slug: str, include_drafts: bool = False) -> StorePage:
    """Return the published page at `slug` (or a draft too, for the operator); Http404 otherwise."""
    pages = (
        StorePage.objects.all() if include_drafts else StorePage.objects.filter(is_published=True)
    )
    try:
        return pages.get(slug=slug)
    except StorePage.DoesNotExist:
        raise Http404("No such page.") from None
