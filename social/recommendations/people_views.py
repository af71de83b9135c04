""" "People you may know": the sections it adds to /friends/ and beside the feed, and its two
buttons, /friends/suggestions/<username>/add/ ("Add friend": the graph's friend request) and
.../dismiss/ ("Not now"). Thin: look the person up through the graph, call one service.

Without JavaScript a button is a POST that comes back to the page with a message; with htmx
the person's line is replaced by what happened, without a reload.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shop.core.errors import DomainError
from social.graph import selectors as graph_selectors
from social.graph import services as graph_services
from social.graph.models import FriendRequest
from social.recommendations import people_services
from social.recommendations.people_selectors import people_you_may_know

# How many people each place shows.
ON_FRIENDS_PAGE = 6
BESIDE_THE_FEED = 3
NO_ONE = "There is no one with this username."


def _section(*, viewer, request, limit: int, back: str, section_id: str) -> str | None:
    """The section, or None when nobody is suggested. BACK: the page's URL name."""
    suggestions = people_you_may_know(viewer=viewer, limit=limit)
    if not suggestions:
        return None
    return render_to_string(
        "social/recommendations/people_section.html",
        {"suggestions": suggestions, "back": reverse(back), "section_id": section_id},
        request=request,
    )


def friends_page_section(*, viewer, request=None) -> str | None:
    """ "People you may know" on /friends/ (social.graph.friends_sections)."""
    return _section(
        viewer=viewer,
        request=request,
        limit=ON_FRIENDS_PAGE,
        back="friends",
        section_id="people-you-may-know",
    )


def feed_aside(*, viewer, request=None) -> str | None:
    """ "People you may know" beside the feed (social.feed.asides)."""
    return _section(
        viewer=viewer,
        request=request,
        limit=BESIDE_THE_FEED,
        back="feed",
        section_id="people-you-may-know",
    )


def _back(request) -> str:
    """The page the button was on (its `next`, when it is one of ours), else /friends/."""
    target = request.POST.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("friends")


def _answer(request, *, person, text: str, error: bool = False):
    if request.htmx:
        return render(
            request,
            "social/recommendations/includes/suggestion_done.html",
            {"person": person, "text": text, "error": error},
        )
    (messages.error if error else messages.success)(request, text)
    return redirect(_back(request))


def _act(request, username: str, act):
    try:
        person = graph_selectors.person_get_for_actor(viewer=request.user, username=username)
    except Http404:
        if request.htmx:
            raise
        messages.error(request, NO_ONE)
        return redirect(_back(request))
    try:
        text = act(request.user, person)
    except DomainError as failure:
        return _answer(request, person=person, text=failure.message, error=True)
    return _answer(request, person=person, text=text)


def _add(me, person) -> str:
    friend_request = graph_services.friend_request_send(sender=me, to=person)
    if friend_request.status == FriendRequest.Status.ACCEPTED:
        return f"{person.public_name} had asked you already: you are now friends."
    return f"Friend request sent to {person.public_name}."


def _dismiss(me, person) -> str:
    people_services.suggestion_dismiss(user=me, person=person)
    return f"{person.public_name} will not be suggested again."


@login_required
@require_POST
def suggestion_add(request, username: str):
    return _act(request, username, _add)


@login_required
@require_POST
def suggestion_dismiss(request, username: str):
    return _act(request, username, _dismiss)
