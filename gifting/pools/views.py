"""The pages of gift pools: /pools/ (my pools), /pools/<token>/ (the pool as its viewer may see
it: chip in; the organiser's panel and its actions), the contribution's card payment, and the
recipient's gift page with its printable card (/pools/<token>/gift/?s=…,
/pools/<token>/card.pdf?s=…). Opening a pool and choosing its gift are in views_open.py.

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
    InviteForm,
    deadline_at,
)
from gifting.pools.models import Contribution, Pool
from shop.core.errors import DomainError
from shop.core.forms import form_add_domain_error, form_error_items
from shop.core.money import money_format

LIST_URL = "/pools/"
INVITE_SESSION_PREFIX = "pools:invite:"
CONTRIBUTIONS_SESSION_KEY = "pools:contributions"


def pool_path(pool: Pool, rest: str = "") -> str:
    """The path of POOL's page, or of REST under it."""
    return f"/pools/{pool.token}/{rest}"


def _invitation_token(request, token: str) -> str:
    return request.session.get(f"{INVITE_SESSION_PREFIX}{token}", "")


def _pool_for(request, token: str) -> Pool:
    """The pool with TOKEN if this visitor may see it (else 404)."""
    return selectors.pool_get_by_token(
        viewer=request.user, token=token, invitation_token=_invitation_token(request, token)
    )


def pool_organised(request, token: str) -> Pool:
    """The pool with TOKEN if the visitor organises it (else 404)."""
    return selectors.pool_get_for_organiser(organiser=request.user, token=token)


# --- my pools ---------------------------------------------------------------------------------


@login_required
@require_GET
def pools_page(request):
    return render(
        request, "pools/list.html", {"pools": selectors.pool_list_mine(user=request.user)}
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
            from gifting.pools.views_open import choose_query

            query = choose_query(pool.variant.product.title) if pool.variant_id else ""
            context["choose_url"] = pool_path(pool, "choose/") + (f"?{query}" if query else "")
        context["share_url"] = request.build_absolute_uri(pool_path(pool))
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
    return redirect(pool_path(pool, f"pay/{contribution.pk}/"))


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
        return redirect(pool_path(pool))
    if payment.status == Payment.Status.REQUIRES_ACTION:
        return redirect(pool_path(pool, f"pay/{contribution.pk}/confirm/"))
    if payment.status == Payment.Status.PROCESSING:
        messages.info(request, "Your payment is being processed: the pool shows it once it is.")
        return redirect(pool_path(pool))
    message = (payment.error_message or "The payment did not go through.").strip()
    messages.error(request, f"{message} Nothing was charged: chip in again.")
    return redirect(pool_path(pool))


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
        return redirect(pool_path(pool))
    if contribution.status != Contribution.Status.RESERVED:
        messages.error(request, "This contribution is no longer held for you: chip in again.")
        return redirect(pool_path(pool))
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
                    return redirect(pool_path(pool))
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
            return redirect(pool_path(pool))
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
    return redirect(pool_path(pool))


# --- the organiser's panel --------------------------------------------------------------------


@login_required
@require_POST
def pool_invite(request, token: str):
    from gifting.pools.invitations import pool_invite as invite

    pool = pool_organised(request, token)
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
            return redirect(pool_path(pool) + "#organiser")
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
    return redirect(pool_path(pool))


@login_required
@require_POST
def pool_order(request, token: str):
    pool = pool_organised(request, token)
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

    pool = pool_organised(request, token)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_items(form)[0][1])
        return redirect(pool_path(pool))
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

    pool = pool_organised(request, token)
    try:
        contribution = lifecycle.pool_top_up(pool=pool, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(pool_path(pool))
    return redirect(pool_path(pool, f"pay/{contribution.pk}/"))


@login_required
@require_http_methods(["GET", "POST"])
def pool_close(request, token: str):
    """GET: "Close the pool?"; POST: close it, every contribution refunded."""
    from gifting.pools import lifecycle

    pool = pool_organised(request, token)
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
