"""The feed's pages: /feed/ (its first page, from the per-viewer page cache; "Show more"
loads the next by cursor, as htmx appending or as a plain link) and /feed/new-count/ (the
"N new" poll). Thin."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from social.feed import selectors
from social.feed.asides import feed_asides_render
from social.feed.cards import entries_decorate
from social.feed.page_cache import feed_page_response


@login_required
@require_GET
def feed_page(request):
    cursor = request.GET.get("cursor")
    if not cursor:
        return feed_page_response(request)
    page = selectors.feed_page(viewer=request.user, cursor=cursor)
    entries_decorate(page.entries, viewer=request.user)
    context = {"page": page, "since": timezone.now().isoformat(), "viewer_id": request.user.pk}
    if request.htmx:
        return render(request, "social/feed/includes/entries.html", context)
    # What other apps add beside the feed ("People you may know"), never cached with it.
    context["asides"] = feed_asides_render(viewer=request.user, request=request)
    return render(request, "social/feed/feed.html", context)


@login_required
@require_GET
def feed_new_count(request):
    since = selectors.since_parse(request.GET.get("since"))
    return JsonResponse({"count": selectors.feed_new_count(viewer=request.user, since=since)})
