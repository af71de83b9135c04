"""The pages of "ask my friends about my list": the owner's "Ask my friends" (GET: what it
does, or why a private list cannot be asked about; POST: ask), and a friend's vote and
comment on a wish, and deleting a comment (its author, or the list's owner).

Every form works without JavaScript (a POST, then a redirect back to the wish with a flash
message); with htmx, voting, commenting and deleting swap the wish's answers block in place.
Thin: ask_services and ask_selectors do the work.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gifting.wishlists import ask_selectors, ask_services, selectors
from gifting.wishlists.forms import ItemCommentForm, ItemVoteForm
from shop.core.errors import DomainError

LIST_URL = "/wishlists/"


def _wish_url(wishlist, item_id: int | None = None) -> str:
    anchor = f"#wish-{item_id}" if item_id else ""
    return f"{LIST_URL}{wishlist.token}/{anchor}"


def _listed(request, token: str, item_id: int):
    """The list with TOKEN (404 unless the viewer may see it) and its item ITEM_ID."""
    wishlist = selectors.wishlist_get_by_token(viewer=request.user, token=token)
    item = selectors.wishlist_item_get(item_id=item_id)
    if item.wishlist_id != wishlist.pk:
        raise Http404("No such wish.")
    return wishlist, item


def _answer(request, *, wishlist, item, error: str = "", status: str = "") -> HttpResponse:
    """The wish's answers block for htmx, else a redirect to the wish with the message."""
    if request.htmx:
        answers = ask_selectors.item_answers_for(
            viewer=request.user, wishlist=wishlist, item_ids=[item.pk]
        ).get(item.pk) or ask_selectors.ItemAnswers(item_id=item.pk)
        return render(
            request,
            "wishlists/ask_item.html",
            {
                "wishlist": wishlist,
                "item": item,
                "answers": answers,
                "may_answer": wishlist.owner_id != request.user.pk,
                "error": error,
                "status": status,
                # A comment refused keeps what was typed, to be corrected.
                "text": request.POST.get("text", "") if error else "",
            },
        )
    if error:
        messages.error(request, error)
    elif status:
        messages.success(request, status)
    return redirect(_wish_url(wishlist, item.pk))


@login_required
@require_http_methods(["GET", "POST"])
def wishlist_ask(request, token: str):
    """GET: say what asking does (or why a private list cannot be asked about); POST: ask."""
    wishlist = selectors.wishlist_get_by_token(viewer=request.user, token=token)
    if wishlist.owner_id != request.user.pk:
        raise Http404("No such list.")
    if request.method == "POST":
        try:
            first = ask_services.wishlist_ask(wishlist=wishlist)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                "Your friends are asked: their votes and comments will show beside each wish."
                if first
                else "Asked again: friends who were told already are not told twice.",
            )
        return redirect(_wish_url(wishlist))
    return render(
        request,
        "wishlists/ask.html",
        {"wishlist": wishlist, "shared": ask_services.wishlist_friends_see(wishlist)},
    )


@login_required
@require_POST
def item_vote(request, token: str, item_id: int):
    """👍, 👎, or "none" to take one's vote back."""
    wishlist, item = _listed(request, token, item_id)
    form = ItemVoteForm(request.POST)
    if not form.is_valid():
        return _answer(request, wishlist=wishlist, item=item, error="Vote 👍 or 👎.")
    vote = form.cleaned_data["vote"]
    try:
        if vote == "none":
            ask_services.item_vote_remove(item=item, voter=request.user)
        else:
            ask_services.item_vote_set(
                item=item, voter=request.user, up=vote == "up", link_opened=True
            )
    except DomainError as error:
        return _answer(request, wishlist=wishlist, item=item, error=error.message)
    said = {"up": "You voted 👍.", "down": "You voted 👎.", "none": "Your vote is taken back."}
    return _answer(request, wishlist=wishlist, item=item, status=said[vote])


@login_required
@require_POST
def item_comment(request, token: str, item_id: int):
    wishlist, item = _listed(request, token, item_id)
    form = ItemCommentForm(request.POST)
    if not form.is_valid():
        return _answer(
            request, wishlist=wishlist, item=item, error=next(iter(form.errors.values()))[0]
        )
    try:
        ask_services.item_comment_add(
            item=item, author=request.user, text=form.cleaned_data["text"], link_opened=True
        )
    except DomainError as error:
        return _answer(request, wishlist=wishlist, item=item, error=error.message)
    return _answer(request, wishlist=wishlist, item=item, status="Your comment is posted.")


@login_required
@require_POST
def item_comment_delete(request, token: str, comment_id: int):
    wishlist = selectors.wishlist_get_by_token(viewer=request.user, token=token)
    comment = ask_selectors.item_comment_get(comment_id=comment_id)
    if comment.item.wishlist_id != wishlist.pk:
        raise Http404("No such comment.")
    item = comment.item
    try:
        ask_services.item_comment_delete(comment=comment, by=request.user)
    except DomainError as error:
        return _answer(request, wishlist=wishlist, item=item, error=error.message)
    return _answer(request, wishlist=wishlist, item=item, status="The comment is deleted.")
