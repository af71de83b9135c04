"""The sections other social apps add to /friends/: "People you may know" now. graph is the
ground the other apps stand on, so it never imports them: they register a section from their
AppConfig.ready(), as they do for a person's page (profile_sections.py).

A section is `section(*, viewer, request) -> safe HTML or None`: VIEWER is the signed-in
user whose page it is, REQUEST the request (for the CSRF token of its forms). It renders its
own <section> with an h2, shows only what the audience rule lets
VIEWER see, and answers in a constant number of queries whatever the number of rows. None
(or "") leaves it out.
"""

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

FriendsSection = Callable[..., str | None]
_sections: list[FriendsSection] = []


def friends_section_register(section: FriendsSection) -> None:
    """Add SECTION to /friends/, after those registered before it."""
    if section not in _sections:
        _sections.append(section)


def friends_section_unregister(section: FriendsSection) -> None:
    """Remove a section added by friends_section_register (tests)."""
    if section in _sections:
        _sections.remove(section)


def friends_sections_render(*, viewer, request=None) -> list[SafeString]:
    """The HTML of every registered section for VIEWER's /friends/, in order, without the
    empty ones."""
    rendered = []
    for section in _sections:
        html = section(viewer=viewer, request=request)
        if html:
            rendered.append(mark_safe(html))  # a section returns safe HTML (its contract)
    return rendered
