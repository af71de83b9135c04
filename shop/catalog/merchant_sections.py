"""Sections other apps add to a merchant's page, filled per request for every visitor.

The shop never imports the apps that add them (reviews' reputation: the rating, the
fulfilment record, "Friends who bought from this merchant"): an app registers a section from
its AppConfig.ready(), as product decorators are registered
(page_cache.product_decorator_register). A section is
`section(*, viewer, merchant_id) -> safe HTML`, VIEWER being None for a visitor. The
merchant page's parts are cached and shared (page_cache); they hold a slot
(`<!--agora:merchant:ID-->`) where page_cache puts the sections on each request. A section
must therefore answer cheaply and in a constant number of queries whatever the merchant's
numbers (a cache read; a query or two on a miss; one for what is the viewer's own), and never
show what the viewer may not see. A visitor's whole page is cached for everyone
(CATALOG_CACHE_SECONDS), sections included: what a visitor is shown may be that old.
"""

from collections.abc import Callable

MerchantSection = Callable[..., str]
_sections: list[MerchantSection] = []


def merchant_section_register(section: MerchantSection) -> None:
    """Add SECTION to merchant pages, after those registered before it."""
    if section not in _sections:
        _sections.append(section)


def merchant_section_unregister(section: MerchantSection) -> None:
    """Remove a section added by merchant_section_register (tests)."""
    if section in _sections:
        _sections.remove(section)


def merchant_sections(*, viewer, merchant_id: int) -> str:
    """The registered sections of MERCHANT_ID's page for VIEWER (None: a visitor), joined."""
    return "".join(section(viewer=viewer, merchant_id=merchant_id) for section in _sections)
