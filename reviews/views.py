"""The pages of reviews: a product's reviews (/products/<slug>/reviews/, filters, sorts,
pages; also the fragment the product page loads by htmx), the write-or-edit form, and the
forms that vote, report and delete. Each works without JavaScript (it posts, the view
redirects back with a message); with htmx a vote swaps its block in place. Thin: the
selectors and services decide."""

import hashlib
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviews import list_cache, selectors, services
from reviews.errors import ReviewError
from reviews.forms import ReviewForm, ReviewReportForm
from reviews.invitations import invitation_read
from shop.catalog.selectors import product_brief_get
from shop.core.errors import DomainError
from shop.core.forms import form_add_domain_error
from shop.core.pagination import page_number_parse, paginate


def _reviews_url(product) -> str:
    return f"{product.get_absolute_url()}reviews/"


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _review_id(raw) -> int:
    try:
        review_id = int(raw)
    except (TypeError, ValueError):
        raise Http404("No such review.") from None
    if not 0 < review_id < 2**31:
        raise Http404("No such review.")
    return review_id


def _anonymous_list_cached(view):
    """A visitor's htmx list (what every product page loads) comes from reviews.list_cache,
    built once per version of the product's reviews and found by the slug, with no query;
    the page without htmx (its header, its forms) and a signed-in viewer's list are built
    each time."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str) -> HttpResponse:
        if request.user.is_authenticated or not request.htmx or request.method != "GET":
            return view(request, slug)
        query = urlencode(sorted(request.GET.items())).encode()
        variant = hashlib.sha256(query).hexdigest()[:32]
        cached, entry = list_cache.list_get(slug=slug, variant=variant)
        if cached is not None:
            response = HttpResponse(cached)
            patch_vary_headers(response, ["HX-Request"])
            return response
        response = view(request, slug)
        if response.status_code == 200:
            list_cache.list_set(entry, response.content)
        return response

    return wrapper


@require_GET
@_anonymous_list_cached
def product_reviews(request: HttpRequest, slug: str) -> HttpResponse:
    """A product's reviews for this viewer: ?stars=1-5, photos=1, verified=1, sort=helpful|
    newest|highest|lowest, page=. With htmx (the product page's section) only the list."""
    product = product_brief_get(slug=slug)
    viewer = request.user if request.user.is_authenticated else None
    filters = selectors.ReviewFilters.from_params(request.GET)
    reviews = selectors.reviews_for_product(product_id=product.pk, viewer=viewer, filters=filters)
    page = paginate(
        reviews, number=page_number_parse(request.GET.get("page")), size=selectors.PAGE_SIZE
    )
    query = {
        key: value
        for key, value in (
            ("stars", filters.stars or ""),
            ("photos", "1" if filters.with_photos else ""),
            ("verified", "1" if filters.verified else ""),
            ("sort", "" if filters.sort == selectors.DEFAULT_SORT else filters.sort),
        )
        if value
    }
    url = _reviews_url(product)
    here = f"{url}?{urlencode({**query, 'page': page.number})}"
    context = {
        "product": product,
        "summary": selectors.rating_summary(product),
        "filters": filters,
        "sorts": [(key, label) for key, (label, _) in selectors.SORTS.items()],
        "page": page,
        "page_range": list(page.paginator.get_elided_page_range(page.number))
        if page.paginator.num_pages > 1
        else [],
        "page_query": urlencode(query),
        "reviews_url": url,
        "here": here,
        "items": [(review, selectors.review_author_label(review)) for review in page.object_list],
        "viewer": viewer,
    }
    # One address, two answers (the list alone for htmx, else the page): a browser's cache
    # must not give one for the other.
    template = "reviews/reviews_list.html" if request.htmx else "reviews/product_reviews.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def review_write(request: HttpRequest, slug: str) -> HttpResponse:
    """Write a review of the product, or edit mine (?invite= a signed link of the email that
    invited me: it is only checked, the form is the same)."""
    product = product_brief_get(slug=slug)
    invited = invitation_read(token=request.GET.get("invite") or "", user=request.user)
    mine = selectors.review_of_author(author=request.user, product_id=product.pk)
    photos = list(mine.photos.all()) if mine else []
    initial = (
        {
            "rating": mine.rating,
            "title": mine.title,
            "body": mine.body,
            "feed_visibility": mine.feed_visibility,
        }
        if mine
        else None
    )
    form = ReviewForm(request.POST or None, request.FILES or None, initial=initial, photos=photos)
    if request.method == "POST" and form.is_valid():
        data = services.ReviewInput(
            rating=form.cleaned_data["rating"],
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            feed_visibility=form.cleaned_data["feed_visibility"],
        )
        try:
            if mine is None:
                services.review_create(
                    author=request.user,
                    product_id=product.pk,
                    data=data,
                    photos=form.cleaned_data["photos"],
                )
                messages.success(request, "Thank you: your review is on the product page.")
            else:
                services.review_update(
                    author=request.user,
                    review_id=mine.pk,
                    data=data,
                    photos_add=form.cleaned_data["photos"],
                    photos_remove=form.cleaned_data.get("photos_remove") or [],
                )
                messages.success(request, "Your review is updated.")
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            return redirect(f"{_reviews_url(product)}?sort=newest")
    return render(
        request,
        "reviews/review_form.html",
        {
            "product": product,
            "form": form,
            "mine": mine,
            "photos": photos,
            "invited": invited,
            "buyers_only": settings.REVIEWS_BUYERS_ONLY,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def review_delete(request: HttpRequest, review_id: int) -> HttpResponse:
    review_id = _review_id(review_id)
    try:
        services.review_delete(author=request.user, review_id=review_id)
    except DomainError:
        raise Http404("No such review.") from None
    messages.success(request, "Your review is deleted.")
    return redirect(_next(request, "/"))


@login_required
@require_POST
def review_vote(request: HttpRequest, review_id: int) -> HttpResponse:
    """Vote a review helpful (helpful=1) or not (helpful=0); helpful=clear takes it back;
    anything else counts nothing and says so."""
    review_id = _review_id(review_id)
    back = _next(request, "/")
    outcome = ""
    choice = request.POST.get("helpful")
    try:
        if choice == "clear":
            services.review_vote_delete(voter=request.user, review_id=review_id)
            outcome = "Your vote is taken back."
        elif choice in {"1", "0"}:
            services.review_vote(voter=request.user, review_id=review_id, helpful=choice == "1")
            outcome = "Thanks for your vote."
        else:  # not a button of the form: count nothing
            outcome = "Choose “Helpful” or “Not helpful”."
    except DomainError as exc:
        if exc.code == ReviewError.NOT_FOUND:
            raise Http404("No such review.") from None
        outcome = exc.message
    if request.htmx:
        review = selectors.review_for_vote_block(review_id=review_id, viewer=request.user)
        return render(
            request,
            "reviews/includes/votes.html",
            {"review": review, "viewer": request.user, "here": back, "outcome": outcome},
        )
    messages.info(request, outcome)
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def review_report(request: HttpRequest, review_id: int) -> HttpResponse:
    review_id = _review_id(review_id)
    try:
        review = selectors.review_get_for_viewer(review_id=review_id, viewer=request.user)
    except DomainError:
        raise Http404("No such review.") from None
    back = _next(request, _reviews_url(review.product))
    form = ReviewReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_report(
                reporter=request.user,
                review_id=review.pk,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, "Thank you: a moderator will look at this review.")
            return redirect(back)
    return render(
        request,
        "reviews/report_form.html",
        {"review": review, "form": form, "next": back},
        status=400 if form.is_bound and form.errors else 200,
    )
