"""The pages of gift pools: /pools/ (my pools), /pools/new/ (start one from a friend's wish or
a product), /pools/<token>/ (the pool as its viewer may see it: chip in; the organiser's
panel), the contribution's card payment, and the recipient's gift page with its printable
card (/pools/<token>/gift/?s=…, /pools/<token>/card.pdf?s=…).

Thin: the services, opening, ordering, payments and invitations do the work; the selectors
say who sees what. Every form works without JavaScript (a redirect and a flash message, or
the page again with the errors on the form).
"""

import secrets
from math import ceil

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gifting.pools import selectors
from gifting.pools.errors import PoolError
from gifting.pools.forms import (
    ChipInForm,
    ExtendForm,
    GiftChooseForm,
    InviteForm,
    PoolAmountForm,
    PoolOpenForm,
    deadline_at,
)
from gifting.pools.models import Contribution, Pool
from shop.core.errors import DomainError
from shop.core.forms import form_add_domain_error, form_error_items
from shop.core.money import money_format

LIST_URL = "/pools/"
INVITE_SESSION_PREFIX = "pools:invite:"
CONTRIBUTIONS_SESSION_KEY = "pools:contributions"


def _url(pool: Pool, rest: str = "") -> str:
    return f"/pools/{pool.token}/{rest}"


def _invitation_token(request, token: str) -> str:
    return request.session.get(f"{INVITE_SESSION_PREFIX}{token}", "")


def _pool_for(request, token: str) -> Pool:
    """The pool with TOKEN if this visitor may see it (else 404)."""
    return selectors.pool_get_by_token(
        viewer=request.user, token=token, invitation_token=_invitation_token(request, token)
    )


def _organised(request, token: str) -> Pool:
    return selectors.pool_get_for_organiser(organiser=request.user, token=token)


# --- my pools ---------------------------------------------------------------------------------


@login_required
@require_GET
def pools_page(request):
    return render(
        request, "pools/list.html", {"pools": selectors.pool_list_mine(user=request.user)}
    )


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
            return redirect(_url(pool))
    context = {
        "form": form,
        "item": item,
        "list_token": item.wishlist.token if item and _link_opened(request, item.wishlist) else "",
        "variant": variant,
        "errors": form_error_items(form),
        "address_fields": [
            form[name] for name in ("full_name", "line1", "line2", "postal_code", "city")
        ]
        if item is None
        else [],
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
            return redirect(_url(pool))
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


# --- the pool page ----------------------------------------------------------------------------


def _page(request, pool: Pool, *, form=None, invite_form=None, status=200, **extra):
    """Render the pool page for this visitor (FORM: the chip-in form as sent)."""
    shown = selectors.pool_shown(viewer=request.user, pool=pool)
    guest = not request.user.is_authenticated
    if form is None and shown.can_contribute:
        form = ChipInForm(
            guest=guest, initial={"amount": shown.suggested, "key": secrets.token_urlsafe(24)}
        )
    context = {
        "shown": shown,
        "pool": pool,
        "form": form,
        "errors": form_error_items(form) if form is not None else [],
        "guest": guest,
        **extra,
    }
    if shown.is_organiser:
        if "invite" in shown.actions:
            choices = selectors.pool_invite_choices(pool=pool)
            context["invite_form"] = invite_form or InviteForm(friends=choices)
        if "extend" in shown.actions:
            context["extend_form"] = ExtendForm()
        if pool.state in selectors.GIFT_STATES:
            context["gift_url"] = selectors.pool_gift_url(pool)
        from gifting.pools.choosing import pool_gift_choice_open

        if pool_gift_choice_open(pool):
            # Switching starts from the gift's product: its other options, cheaper ones too,
            # are listed at once, each with every shipping method's outcome.
            query = _choose_query(pool.variant.product.title) if pool.variant_id else ""
            context["choose_url"] = _url(pool, "choose/") + (f"?{query}" if query else "")
        context["share_url"] = request.build_absolute_uri(_url(pool))
    return render(request, "pools/detail.html", context, status=status)


@require_GET
def pool_page(request, token: str):
    invitation = request.GET.get("invite", "")
    if invitation:
        # An email invitation's link: keep its token for this pool (selectors check it).
        request.session[f"{INVITE_SESSION_PREFIX}{token}"] = invitation[:64]
    pool = _pool_for(request, token)
    return _page(request, pool)


def _contributions_remember(request, contribution: Contribution) -> None:
    mine = [pk for pk in request.session.get(CONTRIBUTIONS_SESSION_KEY, []) if pk][-20:]
    if contribution.pk not in mine:
        mine.append(contribution.pk)
    request.session[CONTRIBUTIONS_SESSION_KEY] = mine


def _contribution_mine(request, pool: Pool, contribution_id: int) -> Contribution:
    """The visitor's contribution CONTRIBUTION_ID to POOL (theirs as a member, or made in
    this session), else 404."""
    contribution = Contribution.objects.filter(pk=contribution_id, pool_id=pool.pk).first()
    if contribution is None:
        raise Http404("No such contribution.")
    member = request.user.is_authenticated and contribution.contributor_id == request.user.pk
    in_session = contribution.pk in request.session.get(CONTRIBUTIONS_SESSION_KEY, [])
    if not (member or (contribution.contributor_id is None and in_session)):
        raise Http404("No such contribution.")
    return contribution


@require_POST
def pool_chip_in(request, token: str):
    """Reserve the amount (POOL_FULL: the page offers the rest in one click), then pay."""
    from gifting.pools import contributions

    pool = _pool_for(request, token)
    guest = not request.user.is_authenticated
    form = ChipInForm(request.POST, guest=guest)
    if not form.is_valid():
        return _page(request, pool, form=form, status=400)
    data = form.cleaned_data
    try:
        contribution = contributions.contribution_reserve(
            pool=pool,
            amount=data["amount"],
            contributor=None if guest else request.user,
            guest_name=data.get("guest_name", ""),
            guest_email=data.get("guest_email", ""),
            hide_name=data["hide_name"],
            message=data["message"],
            idempotency_key=data["key"] or None,
        )
    except DomainError as error:
        form_add_domain_error(form, error)
        pool.refresh_from_db()
        offer = pool.remaining if error.code == PoolError.POOL_FULL and pool.remaining else None
        from shop.core.money_fields import money_input_text

        return _page(
            request,
            pool,
            form=form,
            status=400,
            offer=offer,
            offer_input=money_input_text(offer) if offer else "",
            offer_data=data,
        )
    _contributions_remember(request, contribution)
    return redirect(_url(pool, f"pay/{contribution.pk}/"))


def _test_cards_shown() -> bool:
    return settings.PAYMENT_GATEWAY == "fake" or settings.STRIPE_SECRET_KEY.startswith("sk_test")


def _elements_used() -> bool:
    from shop.orders.views_stripe import elements_used

    return elements_used()


def _pay_context(pool: Pool, contribution: Contribution, request) -> dict:
    context = {
        "pool": pool,
        "contribution": contribution,
        "gift": selectors.pool_shown(viewer=request.user, pool=pool).gift,
        "show_test_cards": _test_cards_shown(),
        "errors": [],
    }
    if _elements_used():
        context.update(
            elements=True,
            stripe_js_url=settings.STRIPE_JS_URL,
            stripe_publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
        )
    return context


def _after_payment(request, pool: Pool, contribution: Contribution, payment):
    """Where a payment attempt leads: the pool page (paid, or declined: chip in again), or the
    bank's confirmation step."""
    from shop.payments.models import Payment

    if payment.status == Payment.Status.SUCCEEDED:
        amount = money_format(contribution.amount, currency=pool.currency)
        messages.success(request, f"Thank you: your {amount} is in the pool.")
        return redirect(_url(pool))
    if payment.status == Payment.Status.REQUIRES_ACTION:
        return redirect(_url(pool, f"pay/{contribution.pk}/confirm/"))
    if payment.status == Payment.Status.PROCESSING:
        messages.info(request, "Your payment is being processed: the pool shows it once it is.")
        return redirect(_url(pool))
    message = (payment.error_message or "The payment did not go through.").strip()
    messages.error(request, f"{message} Nothing was charged: chip in again.")
    return redirect(_url(pool))


# A pool's contribution that can no longer be paid: back to the pool, saying why.
_NOT_PAYABLE = (PoolError.NOT_RESERVED, PoolError.RESERVATION_EXPIRED, PoolError.POOL_CLOSED)


@sensitive_post_parameters("card_number", "expiry", "cvc")
@require_http_methods(["GET", "POST"])
def pool_contribution_pay(request, token: str, contribution_id: int):
    """The card form for one's reserved contribution (Stripe's card Element in Stripe mode:
    the card never reaches us); a decline releases it (chip in again)."""
    from shop.core.throttling import request_throttle_wait
    from shop.orders.forms import CardForm

    pool = _pool_for(request, token)
    contribution = _contribution_mine(request, pool, contribution_id)
    if contribution.status == Contribution.Status.SUCCEEDED:
        messages.success(request, "Thank you: your contribution is in.")
        return redirect(_url(pool))
    if contribution.status != Contribution.Status.RESERVED:
        messages.error(request, "This contribution is no longer held for you: chip in again.")
        return redirect(_url(pool))
    context = _pay_context(pool, contribution, request)
    elements = context.get("elements", False)
    form = None if elements else CardForm(request.POST or None)
    if request.method == "POST":
        from gifting.pools import payments
        from shop.orders.views_stripe import (
            CARD_ELEMENT_ID,
            CARD_MISSING_MESSAGE,
            PAYMENT_METHOD_ID_RE,
        )

        payment_method, problem = "", ""
        if elements:
            payment_method = (request.POST.get("payment_method") or "").strip()
            if not PAYMENT_METHOD_ID_RE.fullmatch(payment_method):
                # A card number (or nothing) posted here is refused before any gateway sees it.
                problem = CARD_MISSING_MESSAGE
        elif form.is_valid():
            payment_method = form.cleaned_data["card_number"]
        wait = payment_method and not problem and request_throttle_wait(request, scope="payment")
        if wait:
            problem = f"Too many payment attempts: please try again in {ceil(wait)} seconds."
        if not problem and payment_method:
            try:
                payment = payments.contribution_pay(
                    contribution=contribution, payment_method=payment_method
                )
            except DomainError as error:
                if error.code in _NOT_PAYABLE:
                    messages.error(request, error.message)
                    return redirect(_url(pool))
                problem = error.message  # the gateway not answering: try again
            else:
                return _after_payment(request, pool, contribution, payment)
        if problem and form is not None:
            form.add_error(None, problem)
        elif problem:
            context["errors"] = [(CARD_ELEMENT_ID, problem)]
    if form is not None:
        context.update(form=form, errors=form_error_items(form))
    failed = bool(context["errors"])
    return render(request, "pools/pay.html", context, status=400 if failed else 200)


@require_http_methods(["GET", "POST"])
def pool_contribution_confirm(request, token: str, contribution_id: int):
    """The bank's "confirm this payment" step (3-D Secure) for a contribution: the fake bank's
    button, or Stripe.js's check followed by the return step asking Stripe where it stands."""
    from gifting.pools import payments

    pool = _pool_for(request, token)
    contribution = _contribution_mine(request, pool, contribution_id)
    elements = _elements_used()
    if request.method == "POST":
        try:
            if elements:
                payment = payments.contribution_payment_refresh(contribution=contribution)
            else:
                payment = payments.contribution_payment_action_confirm(contribution=contribution)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(_url(pool))
        return _after_payment(request, pool, contribution, payment)
    context = _pay_context(pool, contribution, request)
    context["payment"] = contribution.payment
    return render(request, "pools/pay_confirm.html", context)


@require_POST
def pool_contribution_cancel(request, token: str, contribution_id: int):
    """Give up a reserved contribution: its amount is free again."""
    from gifting.pools import contributions

    pool = _pool_for(request, token)
    contribution = _contribution_mine(request, pool, contribution_id)
    if contributions.contribution_release(contribution=contribution):
        messages.info(request, "Cancelled: nothing was charged.")
    return redirect(_url(pool))


# --- the organiser's panel --------------------------------------------------------------------


@login_required
@require_POST
def pool_invite(request, token: str):
    from gifting.pools.invitations import pool_invite as invite

    pool = _organised(request, token)
    form = InviteForm(request.POST, friends=selectors.pool_invite_choices(pool=pool))
    if form.is_valid():
        try:
            invited = invite(
                pool=pool,
                by=request.user,
                friends=form.cleaned_data["friends"],
                emails=form.cleaned_data["emails"],
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            count = len(invited)
            messages.success(
                request,
                f"Invited {count} {'person' if count == 1 else 'people'}."
                if count
                else "They were invited already.",
            )
            return redirect(_url(pool) + "#organiser")
    messages.error(request, form_error_items(form)[0][1])
    return _page(request, pool, invite_form=form, status=400)


def _organiser_act(request, pool: Pool, action, success: str):
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
    except PermissionDenied:
        raise Http404("No such pool.") from None
    else:
        messages.success(request, success)
    return redirect(_url(pool))


@login_required
@require_POST
def pool_order(request, token: str):
    pool = _organised(request, token)
    from gifting.pools import ordering

    return _organiser_act(
        request,
        pool,
        lambda: ordering.pool_order_place(pool=pool, by=request.user),
        "The gift is ordered: follow it here.",
    )


@login_required
@require_POST
def pool_extend(request, token: str):
    from gifting.pools import services

    pool = _organised(request, token)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_items(form)[0][1])
        return redirect(_url(pool))
    deadline = deadline_at(form.cleaned_data["deadline"])
    return _organiser_act(
        request,
        pool,
        lambda: services.pool_extend(pool=pool, deadline=deadline, by=request.user),
        "The pool is open again until its new deadline.",
    )


@login_required
@require_POST
def pool_top_up(request, token: str):
    """The organiser pays what is left: reserve it, then the card form."""
    from gifting.pools import lifecycle

    pool = _organised(request, token)
    try:
        contribution = lifecycle.pool_top_up(pool=pool, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_url(pool))
    return redirect(_url(pool, f"pay/{contribution.pk}/"))


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


def _choose_query(q: str) -> str:
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

    pool = _organised(request, token)
    if not choosing.pool_gift_choosable(pool):
        messages.error(
            request,
            "The gift can be chosen only while the pool is open or expired and not refunded, "
            "or funded before it had a gift.",
        )
        return redirect(_url(pool))
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
                return redirect(_url(pool))
    elif request.method == "POST":
        messages.error(request, "Choose a gift first: search the shop below.")
        return redirect(_url(pool, "choose/"))
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
        "query": _choose_query(q),
        "results": results,
        "page_range": list(
            results.paginator.get_elided_page_range(results.number, on_each_side=1, on_ends=1)
        )
        if results is not None and results.paginator.num_pages > 1
        else [],
        "address_fields": [
            form[name] for name in ("full_name", "line1", "line2", "postal_code", "city")
        ]
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


@login_required
@require_http_methods(["GET", "POST"])
def pool_close(request, token: str):
    """GET: "Close the pool?"; POST: close it, every contribution refunded."""
    from gifting.pools import lifecycle

    pool = _organised(request, token)
    if request.method == "POST":
        return _organiser_act(
            request,
            pool,
            lambda: lifecycle.pool_close(pool=pool, by=request.user),
            "The pool is closed: every contribution is being refunded.",
        )
    shown = selectors.pool_shown(viewer=request.user, pool=pool)
    return render(request, "pools/close.html", {"pool": pool, "shown": shown})


# --- the recipient's gift page and card -------------------------------------------------------


def _gift_pool(request, token: str) -> Pool:
    return selectors.pool_get_for_gift(
        token=token, signature=request.GET.get("s", ""), viewer=request.user
    )


@require_GET
def pool_gift(request, token: str):
    pool = _gift_pool(request, token)
    gift = selectors.pool_gift_shown(pool=pool)
    context = {"gift": gift, "pool": pool, "card_url": selectors.pool_card_url(pool)}
    return render(request, "pools/gift.html", context)


@require_GET
def pool_card(request, token: str):
    """The card as a PDF, from the same template as the gift page's card."""
    from gifting.pools.card import pool_card_pdf

    pool = _gift_pool(request, token)
    pdf = pool_card_pdf(gift=selectors.pool_gift_shown(pool=pool))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="gift-card.pdf"'
    return response
