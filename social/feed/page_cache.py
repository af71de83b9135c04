"""The feed page's cache: a viewer's first page of /feed/, rendered once and served from the
cache until something it shows changes, with the per-request parts filled in.

What the first page shows is decided by three things, all read on every request BEFORE the
page is built (a version read after the rows could label old rows with a new version):

1. The viewer's *feed version* in the database, one small query (compiled once per
   connection): the newest item of their feed (a new item from a fan-out moves it, so the
   fan-out writes nothing more), the newest pulled activity (big accounts' activities are
   never fanned out) and whether the feed is being rebuilt (then nothing is cached).
2. The viewer's *generation* in the cache (`feed:viewer:<id>`), moved after the commit of
   every write that changes which items the viewer may see or has, other than a new newest
   item: items removed (unfriend, unfollow, block either way), items copied in that are
   older than the newest (a new friend or follow, a rebuild), activities deleted (an unlike,
   an account erased) or given a new visibility (a privacy change) -- the owners of those
   activities' feed items move -- and an actor's name changed. Pulled activities deleted or
   changed move `feed:pulled`, which every page carries.
3. The catalogue version (a product deleted shows "No longer available"; base.html's menus).

The cached page is the whole HTML of /feed/ cut at its slots, which are filled per request:
base.html's shell (account nav, flash messages), the CSRF token, each entry's "5 minutes
ago", the "N new" poll's moment, the product decorations of other apps (like buttons: cached
per viewer on their side, shop.catalog.page_cache.product_decorations), the registered entry
extras (an ask's answer form) and the asides (social.feed.asides: "People you may know",
rendered per request). Likes, asks and answers therefore need no invalidation here.

Like the catalogue's, a write never deletes entries: it moves a version after its commit; a
missing version starts at the clock in nanoseconds. A page read is also kept in the
process's memory under its key and versions (shop.core.cache.ProcessMemo), so a page read
again is not unpickled again. A Redis that is down is a miss (shop.core.cache): the page is
built per request. Without Redis the cache is per process.
"""

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache, partial

from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import get_language

from shop.catalog import cache_versions
from shop.catalog.nav_cache import account_nav_render
from shop.catalog.page_cache import product_decorations
from shop.core.cache import ProcessMemo
from shop.core.compiled_reads import compiled_row
from shop.core.context_processors import site
from shop.core.csrf import csrf_token_get
from social.feed import selectors
from social.feed.asides import feed_asides_render
from social.feed.models import Activity, FeedItem, FeedState

SECONDS = 5 * 60
# Moved when the cached value's shape or the templates' slots change.
_FORMAT = 1
PULLED_KEY = "feed:pulled"
ASIDES_TEMPLATE = "social/feed/includes/asides.html"

# Slots are HTML comments: nothing a person typed can produce one (autoescaping turns "<"
# into "&lt;").
_SLOTS = re.compile(r"<!--(?:agora:shell:(q|nav|messages)|feed:(\w+)(?::(\d+))?)-->")
_INDENTED_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")


def _viewer_key(user_id: int) -> str:
    return f"feed:viewer:{user_id}"


# --- what moves the versions ----------------------------------------------------------------


def _bump(keys: list[str]) -> None:
    if keys:
        cache.set_many(dict.fromkeys(keys, time.time_ns()), SECONDS * 2)


def feed_viewers_changed(*, user_ids: Iterable[int]) -> None:
    """Have the feed pages of USER_IDS built anew once the current transaction commits."""
    keys = [_viewer_key(pk) for pk in sorted(set(user_ids))]
    transaction.on_commit(partial(_bump, keys))


def feed_activities_changed(*, activities: QuerySet) -> None:
    """ACTIVITIES (a queryset of Activity) are about to be deleted or to change: have every
    feed page that may show them built anew after the commit. Call it BEFORE the write (the
    feed items it reads go with a deletion). Two queries."""
    owners = (
        FeedItem.objects.filter(activity_id__in=activities.values("pk"))
        .order_by()
        .values_list("owner_id", flat=True)
        .distinct()
    )
    feed_viewers_changed(user_ids=list(owners))
    if activities.filter(pulled=True).exists():
        transaction.on_commit(partial(_bump, [PULLED_KEY]))


def feed_actor_changed(*, actor_id: int) -> None:
    """ACTOR_ID's name or account changed: every feed that holds their activities rebuilds."""
    feed_activities_changed(activities=Activity.objects.filter(actor_id=actor_id))


# --- the version of a viewer's feed ---------------------------------------------------------


@dataclass(frozen=True)
class FeedVersion:
    newest_id: int | None
    pulled_id: int | None
    rebuilding: bool


def _version_query(user_id: int) -> QuerySet:
    newest = FeedItem.objects.filter(owner_id=OuterRef("pk")).order_by(
        "-created_at", "-activity_id"
    )
    pulled = Activity.objects.filter(pulled=True).order_by("-created_at", "-id")
    # FeedState.rebuilding, in SQL.
    rebuilding = FeedState.objects.filter(
        user_id=OuterRef("pk"), rebuild_requested_at__isnull=False
    ).filter(Q(rebuilt_at__isnull=True) | Q(rebuilt_at__lt=F("rebuild_requested_at")))
    return (
        get_user_model()
        .objects.filter(pk=user_id)
        .annotate(
            newest_id=Subquery(newest.values("activity_id")[:1]),
            pulled_id=Subquery(pulled.values("pk")[:1]),
            rebuilding=Exists(rebuilding),
        )
        .values_list("newest_id", "pulled_id", "rebuilding")
    )


def feed_version_get(*, user_id: int) -> FeedVersion | None:
    """The version of USER_ID's feed in the database (None for no such person). One query."""
    row = compiled_row(name="feed.version", model=FeedItem, build=_version_query, person_id=user_id)
    if row is None:
        return None
    return FeedVersion(newest_id=row[0], pulled_id=row[1], rebuilding=bool(row[2]))


def _versions(user_id: int, found: dict) -> tuple:
    """The cache versions a page of USER_ID is built under (those missing are started)."""
    viewer_key = _viewer_key(user_id)
    missing = [key for key in (viewer_key, PULLED_KEY) if key not in found]
    if missing:
        started = dict.fromkeys(missing, time.time_ns())
        cache.set_many(started, SECONDS * 2)
        found = {**found, **started}
    catalog = found.get(cache_versions.CATALOG_VERSION_KEY)
    if catalog is None:
        catalog = cache_versions.catalog_version()
    return found[viewer_key], found[PULLED_KEY], catalog


# --- the page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtraSlot:
    """Where an entry's registered extra goes, with what the extra is given of its activity."""

    activity_id: int
    verb: str
    snapshot: dict

    @property
    def pk(self) -> int:
        """The activity's id: an extra is handed the slot in place of the activity, since
        it reads only the id, verb and snapshot (building Activity rows cost ~0.2 ms a page)."""
        return self.activity_id


@dataclass(frozen=True)
class CachedFeedPage:
    versions: tuple
    pieces: tuple  # str, or (slot kind, number) tuples
    extras: tuple[ExtraSlot, ...]


def _page_build(viewer, *, versions: tuple) -> CachedFeedPage:
    page = selectors.feed_page(viewer=viewer, fill_extras=False)
    context = {
        "page": page,
        "feed_slots": True,
        "viewer_id": viewer.pk,
        "shell_slots": True,
        "extra_verbs": selectors.feed_entry_extra_verbs(),
        **site(None),
    }
    html = _INDENTED_LINES.sub("\n", render_to_string("social/feed/feed.html", context))
    pieces: list = []
    position = 0
    for match in _SLOTS.finditer(html):
        pieces.append(html[position : match.start()])
        shell, kind, number = match.groups()
        pieces.append(("shell", shell) if shell else (kind, int(number) if number else 0))
        position = match.end()
    pieces.append(html[position:])
    extras = tuple(
        ExtraSlot(activity_id=e.first.pk, verb=e.verb, snapshot=e.first.snapshot)
        for e in page.entries
        if e.verb in context["extra_verbs"]
    )
    return CachedFeedPage(
        versions=versions, pieces=tuple(p for p in pieces if p != ""), extras=extras
    )


# The pages this process read lately, by key and versions (not unpickled again; a page is
# some 50 KB). Bounded: a few MB.
_pages = ProcessMemo(size=128, seconds=SECONDS)


def _current(page_key: str, versions: tuple) -> CachedFeedPage | None:
    """The page cached under PAGE_KEY if it was built under VERSIONS."""
    cached = cache.get(page_key)
    return cached if cached is not None and cached.versions == versions else None


def feed_page_response(request: HttpRequest) -> HttpResponse:
    """Return /feed/ (its first page) for the signed-in REQUEST.user: from the cache when
    nothing it shows has changed, else built and cached (never while their feed is being
    rebuilt), and filled with this request's parts."""
    viewer = request.user
    version = feed_version_get(user_id=viewer.pk)
    page_key = (
        f"feed:page:{_FORMAT}:{viewer.pk}:{version.newest_id if version else 0}:"
        f"{version.pulled_id if version else 0}"
    )
    found = cache.get_many([_viewer_key(viewer.pk), PULLED_KEY, cache_versions.CATALOG_VERSION_KEY])
    versions = _versions(viewer.pk, found)
    cacheable = version is not None and not version.rebuilding
    cached = (
        _pages.read((page_key, versions), partial(_current, page_key, versions))
        if cacheable
        else None
    )
    if cached is None:
        cached = _page_build(viewer, versions=versions)
        if cacheable:
            cache.set(page_key, cached, SECONDS)
            _pages.put((page_key, versions), cached)
    return HttpResponse(_page_fill(cached, request=request, viewer=viewer))


def _page_fill(cached: CachedFeedPage, *, request: HttpRequest, viewer) -> str:
    decor_ids = sorted({number for kind, number in _slots(cached) if kind == "decor"})
    decorations = product_decorations(viewer=viewer, product_ids=decor_ids, place="card")
    extras = selectors.feed_extras_for(viewer=viewer, activities=list(cached.extras))
    messages = get_messages(request)
    token = csrf_token_get(request)
    filled = {
        ("shell", "q"): "",
        ("shell", "nav"): account_nav_render(request),
        ("shell", "messages"): (
            render_to_string("components/messages.html", {"messages": messages}) if messages else ""
        ),
        ("now", 0): timezone.now().isoformat(),
        ("csrf", 0): token,
        ("asides", 0): _asides_render(request=request, viewer=viewer),
    }
    now, language = timezone.now(), get_language()
    out = []
    for piece in cached.pieces:
        if type(piece) is str:
            out.append(piece)
            continue
        kind, number = piece
        if kind == "ago":
            out.append(_ago(datetime.fromtimestamp(number, UTC), now, language=language))
        elif kind == "decor":
            out.append(decorations.get(number, ""))
        elif kind == "extra":
            html = extras.get(number, "")
            out.append(f'<div class="feed-entry__extra">{html}</div>' if html else "")
        else:
            out.append(filled[piece])
    return "".join(out)


def _asides_render(*, request: HttpRequest, viewer) -> str:
    """The registered asides (social.feed.asides) for this request, or "" when none shows."""
    asides = feed_asides_render(viewer=viewer, request=request)
    return render_to_string(ASIDES_TEMPLATE, {"asides": asides}) if asides else ""


def _ago(when: datetime, now: datetime, *, language: str) -> str:
    """timesince(WHEN, NOW): "5 minutes", "2 hours, 3 minutes". Under four weeks it depends
    on the minutes between them only, so it is made once per number of minutes (a page has
    twenty; translating each anew cost more than the rest of the page). LANGUAGE: the
    request's, read once per page."""
    minutes = max(0, int((now - when).total_seconds() // 60))
    if minutes >= _MEMO_MINUTES:
        return timesince(when, now)
    return _ago_minutes(minutes, language)


_MEMO_MINUTES = 28 * 24 * 60
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=4096)
def _ago_minutes(minutes: int, language: str) -> str:
    return timesince(_EPOCH - timedelta(minutes=minutes), _EPOCH)


def _slots(cached: CachedFeedPage):
    return (piece for piece in cached.pieces if type(piece) is not str)
