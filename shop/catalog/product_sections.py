"""Sections other apps add to every product page, the same for every visitor.

The shop never imports the apps that add them: an app registers a section from its
AppConfig.ready(), as product decorators (page_cache.product_decorator_register) and home
sources (home_sections.home_source_register) are registered. A section is
`section(*, product) -> safe HTML`; the product page calls it when it builds its parts, which
are cached and shared by every visitor (page_cache), so a section must depend on nothing but
the product's own row (its slug, title, merchant) and run no query. What changes more often
(a count of questions) is loaded by the section itself from an address of its app, with htmx,
behind a plain link that works without JavaScript.
"""

from collections.abc import Callable

ProductSection = Callable[..., str]
_sections: list[ProductSection] = []


def product_section_register(section: ProductSection) -> None:
    """Add SECTION below the product page's details, after those registered before it."""
    if section not in _sections:
        _sections.append(section)


def product_section_unregister(section: ProductSection) -> None:
    """Remove a section added by product_section_register (tests)."""
    if section in _sections:
        _sections.remove(section)


def product_sections(*, product) -> list[str]:
    """The registered sections of PRODUCT's page, in order (safe HTML each)."""
    return [html for section in _sections if (html := section(product=product))]
