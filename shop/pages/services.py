"""Writes of the store pages."""

from shop.pages.models import StorePage


def store_page_save(*, page: StorePage) -> StorePage:
    """Save a store page as the operator wrote it (validated by the admin form)."""
    page.save()
    return page
