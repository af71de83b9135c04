"""The graph's pages: /friends/ (friends, requests both ways, follows, invitations),
/settings/privacy/, and the invite link (/invite/<token>/). Thin: each POST calls one
service and goes back to the page with a message; a refused one says why."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shop.core.errors import DomainError
from shop.core.forms import form_add_domain_error
from shop.core.pagination import page_number_parse, paginate
from shop.core.validators import id_is_valid
from social.graph import invite_selectors, invite_services, selectors, services
from social.graph.emails import invite_url
from social.graph.forms import InviteEmailForm, PrivacySettingsForm
from social.graph.friends_sections import friends_sections_render
from social.graph.receivers import INVITE_SESSION_KEY

FRIENDS_PAGE_SIZE = 24
# Requests and follows shown at once on /friends/ (the counts say how many there are).
LIST_LIMIT = 50


def _id(value: int) -> int:
    """VALUE, if it could be a row's id; else a 404 (a bigger one would overflow the query)."""
    if not id_is_valid(value):
        raise Http404("No such page.")
    return value


def _friends_url(anchor: str = "") -> str:
    return reverse("friends") + (f"#{anchor}" if anchor else "")


@login_required
@require_GET
def friends_page(request):
    me = request.user
    friends = paginate(
        selectors.friendship_list(user=me),
        number=page_number_parse(request.GET.get("page")),
        size=FRIENDS_PAGE_SIZE,
    )
    received = selectors.friend_request_list_received(user=me)
    sent = selectors.friend_request_list_sent(user=me)
    follows = selectors.follow_list(user=me)
    link = invite_selectors.invite_link_get(user=me)
    context = {
        "friends": friends,
        "page_range": (
            list(friends.paginator.get_elided_page_range(friends.number))
            if friends.paginator.num_pages > 1
            else []
        ),
        "received": list(received[:LIST_LIMIT]),
        "received_count": received.count(),
        "sent": list(sent[:LIST_LIMIT]),
        "sent_count": sent.count(),
        "follows": list(follows[:LIST_LIMIT]),
        "follows_count": follows.count(),
        "invite_form": InviteEmailForm(),
        "invite_link": invite_url(invite=link) if link else "",
        # What other apps add ("People you may know"): each its own <section>.
        "sections": friends_sections_render(viewer=me, request=request),
    }
    return render(request, "social/graph/friends.html", context)


def _done(request, *, message: str, anchor: str):
    messages.success(request, message)
    return redirect(_friends_url(anchor))


def _refused(request, error: DomainError, *, anchor: str):
    messages.error(request, error.message)
    return redirect(_friends_url(anchor))


_ANSWERS = {
    "accept": (services.friend_request_accept, "You and {name} are now friends.", "friends"),
    "decline": (services.friend_request_decline, "Request from {name} declined.", "requests"),
    "cancel": (services.friend_request_cancel, "Request to {name} withdrawn.", "sent"),
}


@login_required
@require_POST
def friend_request_answer(request, request_id: int, action: str):
    if action not in _ANSWERS:
        raise Http404("No such answer.")
    answer, done, anchor = _ANSWERS[action]
    friend_request = selectors.friend_request_get_for_user(
        user=request.user, request_id=_id(request_id)
    )
    other = (
        friend_request.to_user
        if friend_request.from_user_id == request.user.pk
        else friend_request.from_user
    )
    try:
        answer(friend_request=friend_request, user=request.user)
    except DomainError as error:
        return _refused(request, error, anchor=anchor)
    return _done(request, message=done.format(name=other.public_name), anchor=anchor)


@login_required
@require_POST
def friendship_end(request, username: str):
    friend = selectors.person_get_for_actor(viewer=request.user, username=username)
    try:
        services.friendship_delete(user=request.user, friend=friend)
    except DomainError as error:
        return _refused(request, error, anchor="friends")
    return _done(
        request, message=f"You and {friend.public_name} are no longer friends.", anchor="friends"
    )


@login_required
@require_POST
def follow_end(request, follow_id: int):
    follow = selectors.follow_get_for_user(user=request.user, follow_id=_id(follow_id))
    name = follow.person.public_name if follow.person_id else follow.merchant.name
    services.follow_delete(follow=follow)
    return _done(request, message=f"You no longer follow {name}.", anchor="following")


@login_required
@require_POST
def invite_send(request):
    form = InviteEmailForm(request.POST)
    if form.is_valid():
        try:
            invite = invite_services.invite_email_send(
                inviter=request.user, email=form.cleaned_data["email"]
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            return _done(
                request,
                message=f"Invitation on its way to {invite.email}. You will be friends once "
                "they join and confirm their email.",
                anchor="invite",
            )
    errors = [message for messages_ in form.errors.values() for message in messages_]
    messages.error(request, " ".join(errors))
    return redirect(_friends_url("invite"))


@login_required
@require_POST
def invite_link_make(request):
    invite_services.invite_link_get_or_create(inviter=request.user)
    return _done(
        request,
        message="Here is your invite link: whoever joins through it becomes your friend.",
        anchor="invite",
    )


@login_required
@require_http_methods(["GET", "POST"])
def privacy_settings_edit(request):
    settings = selectors.privacy_settings_get(user=request.user)
    if request.method == "POST":
        form = PrivacySettingsForm(request.POST)
        if form.is_valid():
            try:
                services.privacy_settings_update(user=request.user, **form.cleaned_data)
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                messages.success(request, "Your privacy settings are saved.")
                return redirect("privacy_settings")
    else:
        form = PrivacySettingsForm.for_settings(settings)
    blocks = list(selectors.block_list(user=request.user)[:LIST_LIMIT])
    return render(request, "social/graph/privacy.html", {"form": form, "blocks": blocks})


@require_GET
def invite_open(request, token: str):
    """Keep the invite's token for the signup that follows, and send the visitor to it.

    A signed-in person is sent to the inviter's page instead (they can ask to be friends
    there). An unknown token is a 404.
    """
    invite = invite_selectors.invite_get_by_token(token=token)
    if invite is None:
        raise Http404("This invitation link does not work.")
    inviter = invite.inviter
    if request.user.is_authenticated:
        if request.user.pk != inviter.pk:
            messages.info(
                request, f"You already have an account: ask {inviter.public_name} to be friends."
            )
        return redirect("person_detail", username=inviter.username)
    request.session[INVITE_SESSION_KEY] = invite.token
    messages.info(
        request,
        f"{inviter.public_name} invited you. Sign up, confirm your email address, and you "
        "will be friends.",
    )
    return redirect("account_signup")
