"""The invite link (/invite/<token>/). The graph's pages come with the storefront's header."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from social.graph.receivers import INVITE_SESSION_KEY
from social.graph.selectors import invite_get_by_token


@require_GET
def invite_open(request, token: str):
    """Keep the invite's token for the signup that follows, and send the visitor to it.

    A signed-in person is sent to the inviter's page instead (they can ask to be friends
    there). An unknown token is a 404.
    """
    invite = invite_get_by_token(token=token)
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
