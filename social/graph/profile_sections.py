"""The sections other social apps add to a person's page (/people/<username>/): the feed's
activity now; wishlists and reviews later. graph is the ground the other apps stand on, so it
never imports them: they register a section from their AppConfig.ready(), as the catalogue's
product decorators are registered (shop.catalog.page_cache.product_decorator_register).

A section is `section(*, viewer, person) -> safe HTML or None`: VIEWER is the signed-in user
or None for a visitor, PERSON the page's person (already visible to VIEWER: blocked either
way is a 404 before any section is asked). It renders its own <section> with an h2, shows
only what the audience rule lets VIEWER see, and answers in a constant number of queries
whatever the number of rows. None (or "") leaves it out.
"""

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

ProfileSection = Callable[..., str | None]
_sections: list[ProfileSection] = []


def profile_section_register(section: ProfileSection) -> None:
    """Add SECTION to every person's page, after those registered before it."""
    if section not in _sections:
        _sections.append(section)


def profile_section_unregister(section: ProfileSection) -> None:
    """Remove a section added by profile_section_register (tests)."""
    if section in _sections:
        _sections.remove(section)


def profile_sections_render(*, viewer, person) -> list[SafeString]:
    """The HTML of every registered section for VIEWER on PERSON's page, in order, without
    the empty ones."""
    rendered = []
    for section in _sections:
        html = section(viewer=viewer, person=person)
        if html:
            rendered.append(mark_safe(html))  # a section returns safe HTML (its contract)
    return rendered
