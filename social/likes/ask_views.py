"""The pages of "ask my friends": the ask form (/asks/new/?product=<id>), an ask
(/asks/<id>/: the tally and answers for its asker, the answer form for a friend asked), the
list of mine and those asked of me (/asks/), and the forms that answer and withdraw.

Every form works without JavaScript (it posts, the view redirects with the outcome as a
message); with htmx, answering swaps the answer block in place. The answer and withdraw
forms are also shown in the product page's personal layer, which is rendered without a
request (no CSRF token): those two views accept a token-less POST from this site's own pages
(shop.core.csrf.csrf_protect_cached_form). Thin: the services decide.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shop.catalog.selectors import product_list_by_ids
from shop.core.csrf import csrf_protect_cached_form
from shop.core.cursors import TimeCursor
from shop.core.errors import DomainError
from social.likes import ask_selectors as selectors
from social.likes import ask_services as services
from social.likes.ask_forms import AskAnswerForm, AskForm


def _next(request: HttpRequest, default: str) -> str:
    """The page to go back to (a `next` field of ours), else DEFAULT."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _product(value) -> object:
    try:
        product_id = int(value)
    except (TypeError, ValueError):
        raise Http404("No such product.") from None
    if not 0 < product_id < 2**31:
        raise Http404("No such product.")
    product = product_list_by_ids(product_ids=[product_id]).get(product_id)
    if product is None:
        raise Http404("No such product.")
    return product


@login_required
@require_http_methods(["GET", "POST"])
def ask_new(request: HttpRequest) -> HttpResponse:
    """Ask friends "Should I buy this?" about ?product=<id> (from the product page or the cart)."""
    product = _product(request.POST.get("product") or request.GET.get("product"))
    choices = selectors.ask_friend_choices(viewer=request.user, product_id=product.pk)
    back = _next(request, product.get_absolute_url())
    form = AskForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            put = services.ask_create(
                asker=request.user,
                product=product,
                friends=form.cleaned_data["friends"],
                all_friends=form.cleaned_data["all_friends"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            names = [person.public_name for person in put.asked]
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            messages.success(
                request,
                f"You asked {shown}: should you buy {product.title}? "
                "Their answers will show on the product page and in your cart.",
            )
            return redirect(back)
    return render(
        request,
        "likes/ask_new.html",
        {"product": product, "form": form, "choices": choices, "next": back},
    )


@login_required
@require_GET
def ask_detail(request: HttpRequest, ask_id: int) -> HttpResponse:
    view = selectors.ask_get_for_viewer(viewer=request.user, ask_id=ask_id, with_recipients=True)
    return render(
        request,
        "likes/ask_detail.html",
        {"view": view, "form": AskAnswerForm(initial=_initial(view)), "next": request.path},
    )


def _initial(view) -> dict:
    answer = view.my_answer
    if answer is None:
        return {}
    return {"answer": "yes" if answer.yes else "no", "comment": answer.comment}


@login_required
@require_GET
def ask_list(request: HttpRequest) -> HttpResponse:
    views, next_cursor = selectors.ask_list_for_viewer(
        viewer=request.user, cursor=TimeCursor.decode(request.GET.get("cursor"))
    )
    return render(
        request,
        "likes/ask_list.html",
        {"views": views, "next_cursor": next_cursor, "first_page": not request.GET.get("cursor")},
    )


@require_POST
@csrf_protect_cached_form
@login_required
def ask_answer(request: HttpRequest, ask_id: int) -> HttpResponse:
    """A friend's Yes / No and comment, from the ask's page, the feed, a notification's target
    or the product page."""
    ask = selectors.ask_for_answering(viewer=request.user, ask_id=ask_id)
    form = AskAnswerForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.ask_answer(
                ask=ask,
                friend=request.user,
                yes=form.cleaned_data["answer"] == "yes",
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = next(iter(form.errors.values()))[0]
    if not error:
        said = "Yes" if form.cleaned_data["answer"] == "yes" else "No"
        text = f"Your answer is sent to {ask.asker.public_name}: {said}."
    if request.htmx:
        view = selectors.ask_get_for_viewer(viewer=request.user, ask_id=ask.pk)
        return render(
            request,
            "likes/ask_answer_block.html",
            {
                "view": view,
                "form": form if error else AskAnswerForm(initial=_initial(view)),
                "error": error,
                "status": "" if error else text,
                "next": _next(request, reverse("ask_detail", args=[ask.pk])),
                "form_id": request.POST.get("form_id", f"ask-{ask.pk}"),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, text)
    return redirect(_next(request, reverse("ask_detail", args=[ask.pk])))


@require_POST
@csrf_protect_cached_form
@login_required
def ask_close(request: HttpRequest, ask_id: int) -> HttpResponse:
    """The asker withdraws their question."""
    ask = selectors.ask_for_answering(viewer=request.user, ask_id=ask_id)
    try:
        services.ask_close(ask=ask, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Your question about {ask.product.title} is closed.")
    return redirect(_next(request, reverse("ask_detail", args=[ask.pk])))
