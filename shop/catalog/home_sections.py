"""The sections of a signed-in person's own home page, which other apps provide.

The shop never imports the social apps: the one that builds a personal home registers a
source from its AppConfig.ready(), as product decorators are registered
(shop.catalog.page_cache.product_decorator_register). For a signed-in visitor, `/` asks the
sources in order; the first that answers with a PersonalHome gives the page, cached per person
under its VERSION (page_cache, as every catalogue page: the frame is filled per request, the
cards are the shared ones). No source, or None (personalisation off, nothing computed yet):
the ordinary home, the one every visitor gets.

A source is `source(*, viewer) -> PersonalHome | None`. It must answer cheaply (a cache read;
a query on a miss): it runs on every signed-in request of `/`. SECTIONS is called only when
the page is not cached; it returns the sections in the order shown, each with the sentence
saying why, and must answer in a constant number of queries whatever the person's number of
friends, likes or purchases. It must never show what the viewer may not see.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class HomeSection:
    """One section of a personal home: a heading, why it is there, and its products
    (catalogue Products loaded as shop.catalog.selectors.product_list_by_ids loads them), each
    with an optional note of its own ("Because Ana liked it")."""

    key: str  # unique on the page: the section's id
    title: str
    reason: str
    products: tuple = ()
    notes: Mapping[int, str] = field(default_factory=dict)
    link_url: str = ""
    link_text: str = ""

    @property
    def items(self) -> list[tuple[object, str]]:
        """(product, its note) pairs, for the template."""
        return [(product, self.notes.get(product.pk, "")) for product in self.products]


@dataclass(frozen=True)
class PersonalHome:
    version: str
    sections: Callable[[], list[HomeSection]]
    why: str  # "Why am I seeing this?": what the page is built from, and how to turn it off
    settings_url: str = ""


HomeSource = Callable[..., PersonalHome | None]
_sources: list[HomeSource] = []


def home_source_register(source: HomeSource) -> None:
    """Add SOURCE, asked after those registered before it."""
    if source not in _sources:
        _sources.append(source)


def home_source_unregister(source: HomeSource) -> None:
    """Remove a source added by home_source_register (tests)."""
    if source in _sources:
        _sources.remove(source)


def home_personal(*, viewer) -> PersonalHome | None:
    """The personal home of VIEWER (a signed-in user) from the first source that has one."""
    for source in _sources:
        home = source(viewer=viewer)
        if home is not None:
            return home
    return None
