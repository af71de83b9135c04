"""The header's navigation entries that other apps add: Feed, Friends, the bell, Wishlists, Pools.

The shop never imports the apps that add entries: each calls nav_entry_register() from its
AppConfig.ready(). components/account_nav.html shows them; it is a shell slot of base.html
(shop.catalog.page_cache fills it per request, even in cached pages, with only the request,
the user and the CSRF token), so what is personal about an entry (its badge count) is read
there, for the visitor, on every page.

Entries are for signed-in visitors: everything social is theirs. Where one shows is its
places (an entry may have several):

- NavPlace.HEADER: the header bar at every width, as its icon with the badge; the label is
  the icon's accessible name (and tooltip). For one or two entries, like the bell: a 375 px
  phone has room for about two besides the cart and the account button.
- NavPlace.DRAWER: the visitor's navigation (Feed, Friends, Wishlists, Pools). On wide screens
  it sits in the header bar beside the cart, icon and label; on narrow ones, where the bar
  has no room, at the top of the account menu, which opens as a drawer there.
- NavPlace.ACCOUNT: the account menu, with "Your orders" and "Edit profile", at every width.

A badge is a callable `badge(*, viewer) -> int`, called once per page for each signed-in
visitor (never for anonymous ones): it must answer in a constant number of queries (one, or
none from a cache), whatever the viewer's numbers. Zero shows no badge. A badge that is a
count of the viewer's rows (shop.core.compiled_reads.PersonCount) is read with the others
of its kind in one query for them all; on a page asked for with GET or HEAD, that query is
the session's own (shop.accounts.session_reads reads nav_person_counts() as more columns of
the session's row): a signed-in page costs no query of its own for its badges. A page that
answers a POST (a form shown again with its errors, after a write that may have moved a
badge) reads them afresh.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from shop.core.compiled_reads import PersonCount, compiled_counts
from shop.core.icons import ICONS


class NavPlace(StrEnum):
    HEADER = "header"
    DRAWER = "drawer"
    ACCOUNT = "account"


Badge = Callable[..., int]  # or a PersonCount, which is one


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str
    url: str
    places: frozenset[NavPlace]
    icon: str | None = None
    badge: Badge | None = None
    # The badge's words for a screen reader, after the label: "Notifications, 3 unread".
    badge_label: str = "{count} new"
    order: int = 100


@dataclass(frozen=True)
class NavItem:
    """An entry as one visitor sees it: its badge count read for them."""

    entry: NavEntry
    count: int = 0

    @property
    def label(self) -> str:
        return self.entry.label

    @property
    def url(self) -> str:
        return self.entry.url

    @property
    def icon(self) -> str | None:
        return self.entry.icon

    @property
    def count_text(self) -> str:
        """The badge as drawn: the count, capped so it fits the icon ("99+")."""
        return "99+" if self.count > 99 else str(self.count)

    @property
    def badge_words(self) -> str:
        """The badge for a screen reader, said after the label: "3 unread" ("" for none)."""
        return self.entry.badge_label.format(count=self.count) if self.count else ""


@dataclass(frozen=True)
class NavMenu:
    """A visitor's entries, by place, in order."""

    header: list[NavItem] = field(default_factory=list)
    drawer: list[NavItem] = field(default_factory=list)
    account: list[NavItem] = field(default_factory=list)


_entries: dict[str, NavEntry] = {}
# Where shop.accounts.session_reads leaves, on the user it read, the counts it read with them.
_COUNTS_READ_ATTR = "_nav_counts_read"


def nav_entry_register(
    *,
    key: str,
    label: str,
    url: str,
    places: Iterable[NavPlace | str] = (NavPlace.DRAWER,),
    icon: str | None = None,
    badge: Badge | None = None,
    badge_label: str = "{count} new",
    order: int = 100,
) -> NavEntry:
    """Add an entry to the header's navigation (or replace the one registered under `key`).

    Call it from an AppConfig.ready(). `icon` names one of shop.core.icons.ICONS; an entry in
    NavPlace.HEADER needs one (the bar shows only the icon). Entries sort by `order`, then by
    label. Raises ValueError for an unknown place or icon, or a header entry without an icon.
    """
    places = frozenset(NavPlace(place) for place in places)
    if not places:
        raise ValueError(f"Navigation entry {key!r} has no place to show.")
    if icon is not None and icon not in ICONS:
        raise ValueError(f"Navigation entry {key!r}: no icon named {icon!r}.")
    if NavPlace.HEADER in places and icon is None:
        raise ValueError(f"Navigation entry {key!r} is in the header bar: it needs an icon.")
    entry = NavEntry(
        key=key,
        label=label,
        url=url,
        places=places,
        icon=icon,
        badge=badge,
        badge_label=badge_label,
        order=order,
    )
    _entries[key] = entry
    return entry


def nav_entry_unregister(*, key: str) -> None:
    """Remove the entry registered under `key`, if any (tests)."""
    _entries.pop(key, None)


def _entries_sorted() -> list[NavEntry]:
    return sorted(_entries.values(), key=lambda entry: (entry.order, entry.label))


def nav_person_counts() -> tuple[PersonCount, ...]:
    """The badges that are counts of the viewer's rows, which a read of the viewer's row may
    bring along (shop.accounts.session_reads), then nav_counts_read_attach."""
    return tuple(entry.badge for entry in _entries_sorted() if isinstance(entry.badge, PersonCount))


def nav_counts_read_attach(user, counts: Mapping[str, int]) -> None:
    """Keep on USER (the row just read) their COUNTS (by PersonCount name), read with it."""
    setattr(user, _COUNTS_READ_ATTR, counts)


def nav_counts_read(user) -> Mapping[str, int] | None:
    """The counts read with USER's row (nav_counts_read_attach), or None."""
    return getattr(user, _COUNTS_READ_ATTR, None)


def nav_counts_read_for(request, user) -> Mapping[str, int] | None:
    """The counts read with USER's row, if this REQUEST may show them: a GET or a HEAD, which
    shows what it read (a POST may have moved a badge since: its page reads them again)."""
    if request is None or request.method not in ("GET", "HEAD"):
        return None
    return nav_counts_read(user)


def nav_menu_for(*, viewer, counts_read: Mapping[str, int] | None = None) -> NavMenu:
    """Return the entries `viewer` sees, by place, each badge read once for them.

    COUNTS_READ: the viewer's PersonCount badges already read, by name (nav_counts_read_for);
    the others are read here, in one query. Anonymous visitors (viewer None or not
    authenticated) see none, and no badge is called.
    """
    if viewer is None or not viewer.is_authenticated or not _entries:
        return NavMenu()
    entries = _entries_sorted()
    known = counts_read or {}
    counts: dict[str, int] = {}
    to_read: list[NavEntry] = []
    for entry in entries:
        if isinstance(entry.badge, PersonCount):
            if entry.badge.name in known:
                counts[entry.key] = known[entry.badge.name]
            else:
                to_read.append(entry)
    if to_read:
        read = compiled_counts([entry.badge for entry in to_read], person_id=viewer.pk)
        counts.update(zip([entry.key for entry in to_read], read, strict=True))
    menu = NavMenu()
    for entry in entries:
        if entry.key in counts:
            count = counts[entry.key]
        else:
            count = entry.badge(viewer=viewer) if entry.badge is not None else 0
        item = NavItem(entry=entry, count=max(int(count or 0), 0))
        for place in entry.places:
            getattr(menu, place.value).append(item)
    return menu
