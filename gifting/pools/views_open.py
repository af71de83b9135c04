"""The pages that open a pool and give it its gift: /pools/new/ (from a friend's wish or a
product), /pools/new/amount/ (for an amount, the gift chosen later) and
/pools/<token>/choose/ (the organiser chooses or switches the gift from the shop's search).

Thin, as views.py: opening, choosing and the services do the work.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gifting.pools.forms import GiftChooseForm, PoolAmountForm, PoolOpenForm
from gifting.pools.models import Pool
from gifting.pools.views import pool_organised, pool_path
from shop.core.errors import DomainError
from shop.core.forms import form_add_domain_error, form_error_items
from shop.core.money import money_format

# The address fields listed one by one on the opening and choose pages (the country and the
# phone follow, each with its own markup).
ADDRESS_FIELDS_LISTED = ("full_name", "line1", "line2", "postal_code", "city")


# --- starting a pool --------------------------------------------------------------------------


def _link_opened(request, wishlist) -> bool:
    """Whether the request carries the wish's list token (?list=): the organiser came by the
    list's own link, which opens a LINK list (a guessed item id alone does not)."""
    source = request.POST if request.method == "POST" else request.GET
    token = source.get("list", "")
    return bool(token) and secrets.compare_digest(token.encode(), wishlist.token.encode())


def _what_for(request):
    """(wish, variant, variants) named by ?item= (with ?list=, the list's token, when the list
    was opened by its link) or ?product= / ?variant=; the wish's list must be one the organiser
    may see. Else 404."""
    from gifting.wishlists import selectors as wishlist_selectors
    from shop.catalog.selectors import variant_list_for_products

    source = request.POST if request.method == "POST" else request.GET
    item_id, variant_id = source.get("item", ""), source.get("variant", "")
    product_id = source.get("product", "")
    if item_id:
        item = wishlist_selectors.wishlist_item_get(item_id=item_id)
        wishlist = item.wishlist
        try:
            if _link_opened(request, wishlist):
                wishlist_selectors.wishlist_get_by_token(viewer=request.user, token=wishlist.token)
            else:
                wishlist_selectors.wishlist_get_for_viewer(
                    viewer=request.user, wishlist_id=wishlist.pk
                )
        except Http404:
            raise Http404("No such wish.") from None
        if wishlist.owner_id == request.user.pk:
            raise Http404("No such wish.")
        variant = (
            variant_list_for_products(product_ids=[item.variant.product_id])
            .filter(pk=item.variant_id)
            .select_related("product")
            .first()
        )
        if variant is None:
            raise Http404("No such wish.")
        return item, variant, []
    product_ids = []
    if variant_id.isdigit() and len(variant_id) < 19:
        from shop.catalog.models import Variant

        found = Variant.objects.filter(pk=int(variant_id)).values_list("product_id", flat=True)
        product_ids = list(found)
    elif product_id.isdigit() and len(product_id) < 19:
        product_ids = [int(product_id)]
    if product_ids:
        variants = list(
            variant_list_for_products(product_ids=product_ids)
            .select_related("product")
            .order_by("position", "id")
        )
        # The option named, else the first in stock (else the first).
        chosen = next((v for v in variants if str(v.pk) == variant_id), None)
        if chosen is None and not variant_id:
            chosen = next((v for v in variants if v.stock > 0), variants[0] if variants else None)
        if chosen is not None:
            return None, chosen, variants
    raise Http404("Choose a product or a wish to pool for.")


def _friends_for_recipient(user) -> list:
    from social.graph.selectors import friends_of, without_blocked

    return list(
        without_blocked(friends_of(user=user), viewer=user)
        .filter(is_active=True)
        .order_by("display_name", "username")
    )


@login_required
@require_http_methods(["GET", "POST"])
def pool_new(request):
    from shop.orders.selectors import shipping_method_list

    item, variant, variants = _what_for(request)
    kwargs = {
        "shipping_methods": list(shipping_method_list().order_by("position", "id")),
        "variants": variants,
        "friends": None if item is not None else _friends_for_recipient(request.user),
    }
    initial = {"variant": str(variant.pk)}
    form = PoolOpenForm(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            pool = _pool_open(request, form, item=item)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(
                request,
                "Your pool is open. Invite friends below, or share its link.",
            )
            return redirect(pool_path(pool))
    context = {
        "form": form,
        "item": item,
        "list_token": item.wishlist.token if item and _link_opened(request, item.wishlist) else "",
        "variant": variant,
        "errors": form_error_items(form),
        "address_fields": [form[name] for name in ADDRESS_FIELDS_LISTED] if item is None else [],
    }
    return render(request, "pools/new.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def pool_new_amount(request):
    """A pool for an amount: friends chip in first, the organiser chooses the gift later."""
    from gifting.pools import services

    form = PoolAmountForm(request.POST or None, friends=_friends_for_recipient(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            pool = services.pool_open(organiser=request.user, **form.options())
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(
                request,
                "Your pool is open. Invite friends below, or share its link; choose the gift "
                "whenever you like.",
            )
            return redirect(pool_path(pool))
    context = {"form": form, "errors": form_error_items(form)}
    return render(request, "pools/new_amount.html", context, status=400 if form.errors else 200)


def _pool_open(request, form: PoolOpenForm, *, item) -> Pool:
    from gifting.pools import opening
    from shop.orders.addresses import AddressInput

    options = form.options()
    if item is not None:
        return opening.pool_open_for_wish(
            organiser=request.user,
            item=item,
            link_opened=_link_opened(request, item.wishlist),
            **options,
        )
    data = form.cleaned_data
    return opening.pool_open_for_variant(
        organiser=request.user,
        variant=data["variant"],
        recipient=data.get("recipient"),
        recipient_name="" if data.get("recipient") else data.get("recipient_name", ""),
        address=AddressInput.from_mapping(data),
        **options,
    )


# --- choosing or switching the gift -----------------------------------------------------------


def _variant_chosen(raw: str):
    """The variant named by RAW (?variant= or the form's), with its product; None when none
    is named; 404 for an id that is no variant."""
    from shop.catalog.selectors import variant_get_with_product

    if not raw:
        return None
    variant = (
        variant_get_with_product(variant_id=int(raw)) if raw.isdigit() and len(raw) < 19 else None
    )
    if variant is None:
        raise Http404("No such gift.")
    return variant


def choose_query(q: str) -> str:
    """The query string searching the choose page for Q ("" for none)."""
    from urllib.parse import urlencode

    return urlencode({"q": q}) if q else ""


@login_required
@require_http_methods(["GET", "POST"])
def pool_choose(request, token: str):
    """The organiser's "Choose the gift" (a pool for an amount) or "Switch to another gift":
    search the shop (?q=, ?page=), pick an option (?variant=), see the pool's new target and
    what would go back to contributors for each shipping method, give the address if the pool
    has none, confirm (POST). Anyone but the organiser: 404."""
    from gifting.pools import choosing
    from shop.catalog.selectors import product_filters_parse
    from shop.core.pagination import page_number_parse
    from shop.orders.selectors import shipping_method_list

    pool = pool_organised(request, token)
    if not choosing.pool_gift_choosable(pool):
        messages.error(
            request,
            "The gift can be chosen only while the pool is open or expired and not refunded, "
            "or funded before it had a gift.",
        )
        return redirect(pool_path(pool))
    filters, _ = product_filters_parse({"q": request.GET.get("q", "")})
    q = filters.q
    source = request.POST if request.method == "POST" else request.GET
    variant = _variant_chosen(source.get("variant", ""))
    needs_address = choosing.pool_needs_address(pool)
    form = None
    if variant is not None:
        methods = list(shipping_method_list().order_by("position", "id"))
        outcomes = choosing.pool_gift_outcomes(pool=pool, variant=variant, shipping_methods=methods)
        initial = {"variant": variant.pk}
        if pool.shipping_method_id and any(m.pk == pool.shipping_method_id for m in methods):
            initial["shipping_method"] = str(pool.shipping_method_id)
        if needs_address:
            initial["country"] = _organiser_country(request.user)
        form = GiftChooseForm(
            request.POST or None,
            pool=pool,
            outcomes=outcomes,
            with_address=needs_address,
            initial=initial,
        )
        if request.method == "POST" and form.is_valid():
            collected = pool.collected
            try:
                pool = choosing.pool_gift_choose(
                    pool=pool,
                    by=request.user,
                    variant=variant,
                    shipping_method=form.cleaned_data["shipping_method"],
                    address=form.address(),
                )
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                messages.success(request, _gift_chosen_message(pool, collected=collected))
                return redirect(pool_path(pool))
    elif request.method == "POST":
        messages.error(request, "Choose a gift first: search the shop below.")
        return redirect(pool_path(pool, "choose/"))
    results = (
        choosing.pool_gift_search(q=q, page=page_number_parse(request.GET.get("page")))
        if q
        else None
    )
    context = {
        "pool": pool,
        "variant": variant,
        "form": form,
        "errors": form_error_items(form) if form is not None else [],
        "q": q,
        "query": choose_query(q),
        "results": results,
        "page_range": list(
            results.paginator.get_elided_page_range(results.number, on_each_side=1, on_ends=1)
        )
        if results is not None and results.paginator.num_pages > 1
        else [],
        "address_fields": [form[name] for name in ADDRESS_FIELDS_LISTED]
        if form is not None and needs_address
        else [],
    }
    failed = form is not None and bool(form.errors)
    return render(request, "pools/choose.html", context, status=400 if failed else 200)


def _organiser_country(user) -> str:
    """The country the address form starts at: the organiser's own (their default saved
    address's, one query), else none ("Choose a country")."""
    from shop.accounts.selectors import address_list_for_user

    return address_list_for_user(user=user).values_list("country", flat=True).first() or ""


def _gift_chosen_message(pool: Pool, *, collected: int) -> str:
    """What the organiser is told once the gift is chosen (COLLECTED: the pool's money before)."""
    target = money_format(pool.target, currency=pool.currency)
    if pool.state == Pool.State.FUNDED:
        message = f"The gift is chosen, and the money collected covers its {target}."
    else:
        message = f"The gift is chosen: the pool now collects {target}, its price and shipping."
    if collected > pool.collected:
        refund = money_format(collected - pool.collected, currency=pool.currency)
        message += f" The {refund} collected beyond it goes back to contributors."
    return message
