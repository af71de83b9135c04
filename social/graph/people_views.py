"""People's pages: /people/?q= (find people), /people/<username>/ (a person's page), the
buttons on them (/people/<username>/<action>/) and /people/<username>/report/.

Thin: look the person up through the audience rule (profile_selectors, selectors), call one
service, go back with a message; a refused action says why. Someone blocked either way does
not exist here: the page is a 404, and an action answers "There is no one with this
username." (the same as for a name nobody has).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shop.core.errors import DomainError
from shop.core.forms import form_add_domain_error
from shop.core.pagination import page_number_parse, paginate
from shop.core.request import request_user
from social.graph import (
    people_selectors,
    profile_selectors,
    report_services,
    selectors,
    services,
)
from social.graph.errors import GraphError
from social.graph.forms import ReportForm
from social.graph.models import FriendRequest
from social.graph.profile_sections import profile_sections_render

PEOPLE_PAGE_SIZE = 20
NO_ONE = "There is no one with this username."


def _back(request, default: str) -> str:
    """The page the form came from (its `next`, when it is one of ours), else DEFAULT."""
    target = request.POST.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_GET
def people_search(request):
    query = (request.GET.get("q") or "").strip()
    error = ""
    if len(query) > people_selectors.SEARCH_MAX_LENGTH:
        error = f"Search with at most {people_selectors.SEARCH_MAX_LENGTH} characters."
        people = people_selectors.people_search(viewer=request.user, query="")
    else:
        people = people_selectors.people_search(viewer=request.user, query=query)
    page = paginate(
        people, number=page_number_parse(request.GET.get("page")), size=PEOPLE_PAGE_SIZE
    )
    context = {
        "query": query,
        "error": error,
        "page": page,
        "people": list(page.object_list),
        "page_range": (
            list(page.paginator.get_elided_page_range(page.number))
            if page.paginator.num_pages > 1
            else []
        ),
        "page_query": urlencode({"q": query}),
        "back": request.get_full_path(),
    }
    return render(request, "social/graph/people.html", context)


@require_GET
def person_page(request, username: str):
    viewer = request_user(request)
    profile = profile_selectors.person_profile_get(viewer=viewer, username=username)
    return render(
        request,
        "social/graph/person.html",
        {
            "profile": profile,
            "person": profile.person,
            "relationship": profile.relationship,
            "back": request.path,
            # What other apps add (the feed's activity): each its own <section>.
            "sections": profile_sections_render(viewer=viewer, person=profile.person),
        },
    )


# --- the buttons ------------------------------------------------------------------------------


def _pending(request_id: int | None, *, me, person, mine: bool) -> FriendRequest:
    """The pending request between ME and PERSON (sent by ME when MINE), or REQUEST_NOT_PENDING."""
    if request_id is None:
        raise DomainError(
            f"You have no request waiting for {person.public_name}'s answer."
            if mine
            else f"{person.public_name} has no request waiting for your answer.",
            code=GraphError.REQUEST_NOT_PENDING,
            field="request",
        )
    return selectors.friend_request_get_for_user(user=me, request_id=request_id)


def _add(me, person) -> str:
    friend_request = services.friend_request_send(sender=me, to=person)
    if friend_request.status == FriendRequest.Status.ACCEPTED:
        return f"{person.public_name} had asked you already: you are now friends."
    return f"Friend request sent to {person.public_name}."


def _cancel(me, person) -> str:
    relationship = people_selectors.relationship_get(viewer=me, person=person)
    friend_request = _pending(relationship.request_sent_id, me=me, person=person, mine=True)
    services.friend_request_cancel(friend_request=friend_request, user=me)
    return f"Request to {person.public_name} withdrawn."


def _accept(me, person) -> str:
    relationship = people_selectors.relationship_get(viewer=me, person=person)
    friend_request = _pending(relationship.request_received_id, me=me, person=person, mine=False)
    services.friend_request_accept(friend_request=friend_request, user=me)
    return f"You and {person.public_name} are now friends."


def _decline(me, person) -> str:
    relationship = people_selectors.relationship_get(viewer=me, person=person)
    friend_request = _pending(relationship.request_received_id, me=me, person=person, mine=False)
    services.friend_request_decline(friend_request=friend_request, user=me)
    return f"Request from {person.public_name} declined."


def _unfriend(me, person) -> str:
    services.friendship_delete(user=me, friend=person)
    return f"You and {person.public_name} are no longer friends."


def _follow(me, person) -> str:
    services.person_follow(follower=me, person=person)
    return f"You now follow {person.public_name}."


def _unfollow(me, person) -> str:
    services.person_unfollow(follower=me, person=person)
    return f"You no longer follow {person.public_name}."


def _block(me, person) -> str:
    services.person_block(blocker=me, person=person)
    return (
        f"You blocked {person.public_name}: neither of you sees the other any more, and they "
        "cannot ask to be friends. You can unblock them in your privacy settings."
    )


def _unblock(me, person) -> str:
    services.person_unblock(blocker=me, person=person)
    return f"You unblocked {person.public_name}."


ACTIONS = {
    "add-friend": _add,
    "cancel-request": _cancel,
    "accept": _accept,
    "decline": _decline,
    "unfriend": _unfriend,
    "follow": _follow,
    "unfollow": _unfollow,
    "block": _block,
    "unblock": _unblock,
}
# After these the person's page is a 404 for the actor: go where the change can be undone.
AWAY = {"block": "privacy_settings"}


@login_required
@require_POST
def person_act(request, username: str, action: str):
    act = ACTIONS.get(action)
    if act is None:
        raise Http404("No such action.")
    try:
        person = selectors.person_get_for_actor(viewer=request.user, username=username)
    except Http404:
        messages.error(request, NO_ONE)
        return redirect("people_search")
    back = _back(request, reverse("person_detail", kwargs={"username": person.username}))
    try:
        done = act(request.user, person)
    except DomainError as error:
        messages.error(request, error.message)
        if error.code == GraphError.PERSON_NOT_FOUND:
            return redirect("people_search")
        return redirect(back)
    messages.success(request, done)
    if action in AWAY:
        return redirect(AWAY[action])
    return redirect(back)


# --- reporting --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def person_report(request, username: str):
    person = selectors.person_get_for_viewer(viewer=request.user, username=username)
    if person.pk == request.user.pk:
        messages.error(request, "You cannot report yourself.")
        return redirect("person_detail", username=person.username)
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report_services.person_report(
                    reporter=request.user,
                    person=person,
                    reason=data["reason"],
                    text=data["text"],
                    block=data["block"],
                )
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                done = f"Thank you: your report about {person.public_name} is with our team."
                if data["block"]:
                    messages.success(request, f"{done} You also blocked them.")
                    return redirect("privacy_settings")
                messages.success(request, done)
                return redirect("person_detail", username=person.username)
    else:
        form = ReportForm()
    return render(request, "social/graph/report.html", {"form": form, "person": person})
