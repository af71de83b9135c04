"""Reads of gift pools, as a viewer may see them.

The access rule (everyone asks it here): a viewer may see a pool if they are its organiser;
or they are NOT its recipient, not blocked either way with the organiser, and they chipped
in, or hold an invitation (as a member, or the email invitation's token kept in their
session), or the audience rule lets them see the organiser's datum at the pool's visibility
(social.graph.audience_allows with LINK_OPENED: the pool's URL carries its token). The
recipient never sees the pool: only its gift page, through a signed link, once the gift is
ordered.

What a viewer sees of the contributions: the organiser sees every name and amount; others
see "Someone" for a contributor who hid their name, and amounts and the total only when the
pool shows amounts (else a percentage).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from gifting.pools.models import Contribution, Pool, PoolInvitation, PoolRefund, PoolTransition
from shop.core.validators import token_is_plausible
from social.graph.selectors import viewer_signed_in

State = Pool.State
SOMEONE = "Someone"
GIFT_SALT = "pools.gift"
# The states in which the gift exists: the recipient may open the gift page.
GIFT_STATES = (State.ORDERED, State.SHIPPED, State.DELIVERED)
# Contributions people see on the page: paid ones (and those later paid back).
SHOWN_STATUSES = (Contribution.Status.SUCCEEDED, Contribution.Status.REFUNDED)


def _pools() -> QuerySet[Pool]:
    """Pools with everything their pages read of them in the same query."""
    return Pool.objects.select_related(
        "organiser", "recipient", "variant__product", "shipping_method", "order"
    )


# --- the access rule --------------------------------------------------------------------------


def pool_viewer_may_see(
    *, viewer, pool: Pool, invitation_token: str = "", link_opened: bool = True
) -> bool:
    """Return whether VIEWER (a user, or None/anonymous for a visitor) may see POOL, who
    opened its link (its token; LINK_OPENED False: they name it by its id, as the API's
    /pools/<id> does). INVITATION_TOKEN: an email invitation's token the visitor brought
    (kept in their session). At most three queries."""
    from social.graph.selectors import audience_allows, is_blocked_either_way

    signed_in = viewer_signed_in(viewer)
    if signed_in and viewer.pk == pool.organiser_id:
        return True
    if signed_in and pool.recipient_id is not None and viewer.pk == pool.recipient_id:
        return False  # the surprise: the recipient only ever sees the gift page
    if signed_in and is_blocked_either_way(user=viewer, other=pool.organiser):
        return False
    member = Q()
    if signed_in:
        member |= Q(Exists(PoolInvitation.objects.filter(pool_id=pool.pk, invitee_id=viewer.pk)))
        member |= Q(
            Exists(
                Contribution.objects.filter(
                    pool_id=pool.pk,
                    contributor_id=viewer.pk,
                    status__in=[*SHOWN_STATUSES, Contribution.Status.RESERVED],
                )
            )
        )
    if invitation_token and token_is_plausible(invitation_token, max_length=64):
        member |= Q(Exists(PoolInvitation.objects.filter(pool_id=pool.pk, token=invitation_token)))
    if member and Pool.objects.filter(member, pk=pool.pk).exists():
        return True
    return audience_allows(
        viewer=viewer if signed_in else None,
        owner=pool.organiser,
        visibility=pool.visibility,
        link_opened=link_opened,
    )


def pool_get_by_token(*, viewer, token: str, invitation_token: str = "") -> Pool:
    """Return the pool whose link has TOKEN if VIEWER may see it (see the module's rule), or
    raise Http404: a pool one may not see does not exist for them."""
    if not token_is_plausible(token, max_length=64):
        raise Http404("No such pool.")
    pool = _pools().filter(token=token).first()
    if pool is None or not pool_viewer_may_see(
        viewer=viewer, pool=pool, invitation_token=invitation_token
    ):
        raise Http404("No such pool.")
    return pool


def pool_get_for_viewer(*, viewer, pool_id: int, token: str = "", invitation_token="") -> Pool:
    """Return the pool POOL_ID if VIEWER may see it, or raise Http404. Named by its id, a pool
    counts as opened through its link only when TOKEN is its link's token: without it, a
    LINK pool is for its organiser, contributors and invited people only."""
    pool = _pools().filter(pk=pool_id).first()
    if pool is None or (token and token != pool.token):
        raise Http404("No such pool.")
    if not pool_viewer_may_see(
        viewer=viewer,
        pool=pool,
        invitation_token=invitation_token,
        link_opened=bool(token),
    ):
        raise Http404("No such pool.")
    return pool


def pool_get_for_organiser(*, organiser, token: str) -> Pool:
    """Return ORGANISER's pool with TOKEN, or raise Http404."""
    if not viewer_signed_in(organiser) or not token_is_plausible(token, max_length=64):
        raise Http404("No such pool.")
    pool = _pools().filter(token=token, organiser_id=organiser.pk).first()
    if pool is None:
        raise Http404("No such pool.")
    return pool


# --- the pool page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GiftShown:
    """What the pool buys: a product's variant (with its picture), or a free amount."""

    title: str
    variant_name: str = ""
    price: int | None = None
    image: object = None  # a catalog ProductImage, or None
    url: str = ""


@dataclass(frozen=True)
class ContributorShown:
    name: str  # their name, "Someone" where they hid it from this viewer, or "You"
    amount: int | None  # None where this viewer may not see amounts
    message: str
    name_hidden: bool  # they chose to hide their name (the organiser still sees it)
    mine: bool
    at: datetime | None
    refunded: int | None = None  # what went back to them (organiser only)
    refund_note: str = ""  # a refund of theirs not made yet, in plain words (organiser only)


@dataclass(frozen=True)
class FulfilmentShown:
    carrier: str
    tracking_number: str
    shipped_at: datetime


@dataclass(frozen=True)
class OrderShown:
    number: str
    status: str  # its label, e.g. "Shipped"
    url: str  # the order's page: the organiser only (else "")
    shipments: list[FulfilmentShown]


@dataclass
class PoolShown:
    pool: Pool
    gift: GiftShown
    is_organiser: bool
    recipient_name: str
    amounts_shown: bool  # this viewer sees the total and the amounts
    collected: int | None
    target: int | None
    percent: int
    contributors: list[ContributorShown]
    deadline: datetime
    state: str
    state_label: str
    can_contribute: bool
    minimum: int
    suggested: int  # the amount the "Chip in" form starts with
    equal_share: int | None  # EQUAL_SHARE pools: target / invited, rounded up
    remaining: int
    # The organiser's: order, choose (funded, no gift yet), extend, top_up, switch, close, invite.
    actions: frozenset[str] = frozenset()
    order: OrderShown | None = None
    invitations: list[str] = field(default_factory=list)  # organiser: who was invited
    # The organiser of a FUNDED pool without a gift: choose it by then, or everyone is refunded.
    choose_by: datetime | None = None

    @property
    def messages(self) -> list[ContributorShown]:
        return [c for c in self.contributors if c.message]

    @property
    def contributor_count(self) -> int:
        return len(self.contributors)


def _gift(pool: Pool) -> GiftShown:
    """POOL's gift, its product's pictures prefetched (one query, none for a free amount)."""
    variant = pool.variant
    if variant is None:
        return GiftShown(title="A gift of their choice")
    images = variant.product.images.all()
    return GiftShown(
        title=variant.product.title,
        variant_name=variant.name,
        price=variant.price,
        image=images[0] if images else None,
        url=f"{variant.product.get_absolute_url()}?variant={variant.pk}",
    )


def _images_load(pools: list[Pool]) -> None:

    from shop.catalog.selectors import product_images_prefetch

    with_variant = [pool for pool in pools if pool.variant_id is not None]
    if with_variant:
        prefetch_related_objects(
            [pool.variant.product for pool in with_variant],
            product_images_prefetch("images"),
        )


def pool_equal_share(pool: Pool) -> int | None:
    """An EQUAL_SHARE pool's share: the target over the number invited, rounded up."""
    if pool.rule != Pool.Rule.EQUAL_SHARE or not pool.invited_count:
        return None
    return -(-pool.target // pool.invited_count)


def pool_suggested_amount(pool: Pool) -> int:
    """What the "Chip in" form offers first, per the pool's rule, within what is left (the
    last one to chip in is offered exactly the rest)."""
    if pool.rule == Pool.Rule.SUGGESTED and pool.suggested_amount:
        amount = pool.suggested_amount
    elif pool.rule == Pool.Rule.EQUAL_SHARE and pool.invited_count:
        amount = pool_equal_share(pool)
    else:
        amount = pool.minimum
    remaining = pool.remaining
    return min(amount, remaining) if remaining else amount


def pool_percent(pool: Pool) -> int:
    """How much of the target is collected, in whole percent (100 only when it is all)."""
    if pool.collected >= pool.target:
        return 100
    return min(pool.collected * 100 // pool.target, 99)


def pool_actions(pool: Pool, *, now: datetime | None = None) -> frozenset[str]:
    """What the organiser may do to POOL now."""
    if pool.state == State.OPEN:
        return frozenset({"invite", "close"})
    if pool.state == State.FUNDED:
        if pool.variant_id is None:  # a pool for an amount, full before its gift was chosen
            return frozenset({"choose", "close"})
        return frozenset({"order", "close"})
    if pool.state == State.EXPIRED:
        actions = {"top_up", "switch", "close"}
        if not pool.extended_once:
            actions.add("extend")
        return frozenset(actions)
    return frozenset()


def _funded_at():
    """When the pool (OuterRef) last became FUNDED (a gift chosen later is not a funding)."""
    return Subquery(
        PoolTransition.objects.filter(pool_id=OuterRef("pk"), to_state=State.FUNDED)
        .exclude(from_state=State.FUNDED)
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )


def pools_gift_unchosen() -> QuerySet[Pool]:
    """The FUNDED pools for an amount whose organiser has not chosen the gift yet, each with
    FUNDED_AT (when it became funded) for pool_gift_choose_by."""
    return Pool.objects.filter(state=State.FUNDED, variant__isnull=True).annotate(
        funded_at=_funded_at()
    )


def pool_gift_choose_by(pool: Pool) -> datetime:
    """By when the organiser of POOL (FUNDED, no gift yet) must choose its gift, or everyone
    is refunded (lifecycle.pools_unchosen_refund): POOL_REFUND_AFTER_DAYS after its deadline,
    or after it was funded when that was later (an expired pool topped up). Uses POOL's
    FUNDED_AT annotation (pools_gift_unchosen) when it has one, else one query."""
    if hasattr(pool, "funded_at"):
        funded_at = pool.funded_at
    else:
        funded_at = (
            PoolTransition.objects.filter(pool_id=pool.pk, to_state=State.FUNDED)
            .exclude(from_state=State.FUNDED)
            .order_by("-created_at", "-id")
            .values_list("created_at", flat=True)
            .first()
        )
    start = max(pool.deadline, funded_at) if funded_at is not None else pool.deadline
    return start + timedelta(days=settings.POOL_REFUND_AFTER_DAYS)


# What the organiser reads about a contribution's refund that was not made yet.
REFUND_NEEDS_OPERATOR_NOTE = "Refund needs attention from the shop: we are on it"
REFUND_FAILED_NOTE = "Refund delayed: the payment service did not take it yet, we try again"


def _contributions(pool: Pool) -> list[Contribution]:
    """The shown contributions, each with whether a refund of theirs needs an operator or
    failed and waits for its retry (in the same query)."""
    refunds = PoolRefund.objects.filter(contribution_id=OuterRef("pk"))
    return list(
        Contribution.objects.filter(pool_id=pool.pk, status__in=SHOWN_STATUSES)
        .select_related("contributor")
        .annotate(
            refund_needs_operator=Exists(refunds.filter(status=PoolRefund.Status.NEEDS_OPERATOR)),
            refund_failed=Exists(refunds.filter(status=PoolRefund.Status.FAILED)),
        )
        .order_by("succeeded_at", "id")
    )


def _refund_note(contribution: Contribution) -> str:
    if contribution.refund_needs_operator:
        return REFUND_NEEDS_OPERATOR_NOTE
    if contribution.refund_failed:
        return REFUND_FAILED_NOTE
    return ""


def _contributor_name(contribution: Contribution) -> str:
    if contribution.contributor_id is not None:
        return contribution.contributor.public_name
    return contribution.guest_name or SOMEONE


def _order(pool: Pool, *, is_organiser: bool) -> OrderShown | None:
    order = pool.order
    if order is None:
        return None
    return OrderShown(
        number=order.number,
        status=order.get_status_display(),
        url=order.get_absolute_url() if is_organiser else "",
        shipments=[
            FulfilmentShown(
                carrier=f.carrier, tracking_number=f.tracking_number, shipped_at=f.shipped_at
            )
            for f in order.fulfilments.all()
        ],
    )


def pool_shown(*, viewer, pool: Pool, now: datetime | None = None) -> PoolShown:
    """POOL as VIEWER (who may see it: pool_get_by_token) is shown it, in a constant number of
    queries whatever its contributions: the product's pictures, the contributions with their
    contributors, the order's shipments, the organiser's invitations."""

    now = now or timezone.now()
    signed_in = viewer_signed_in(viewer)
    viewer_id = viewer.pk if signed_in else None
    is_organiser = viewer_id is not None and viewer_id == pool.organiser_id
    amounts_shown = is_organiser or pool.show_amounts
    _images_load([pool])
    if pool.order_id is not None:
        prefetch_related_objects([pool.order], "fulfilments")
    contributors = []
    for contribution in _contributions(pool):
        mine = viewer_id is not None and contribution.contributor_id == viewer_id
        hidden = contribution.hide_name and not is_organiser and not mine
        name = "You" if mine else (SOMEONE if hidden else _contributor_name(contribution))
        contributors.append(
            ContributorShown(
                name=name,
                amount=contribution.amount if amounts_shown or mine else None,
                message=contribution.message,
                name_hidden=contribution.hide_name,
                mine=mine,
                at=contribution.succeeded_at,
                refunded=contribution.refunded_amount if is_organiser else None,
                refund_note=_refund_note(contribution) if is_organiser else "",
            )
        )
    invitations = []
    if is_organiser:
        invitations = [
            invitation.invitee.public_name if invitation.invitee_id else invitation.email
            for invitation in PoolInvitation.objects.filter(pool_id=pool.pk).select_related(
                "invitee"
            )
        ]
    open_now = pool.state == State.OPEN and pool.deadline > now
    actions = pool_actions(pool, now=now) if is_organiser else frozenset()
    choose_by = pool_gift_choose_by(pool) if "choose" in actions else None
    return PoolShown(
        pool=pool,
        gift=_gift(pool),
        is_organiser=is_organiser,
        recipient_name=pool_recipient_name(pool),
        amounts_shown=amounts_shown,
        collected=pool.collected if amounts_shown else None,
        target=pool.target if amounts_shown else None,
        percent=pool_percent(pool),
        contributors=contributors,
        deadline=pool.deadline,
        state=pool.state,
        state_label=pool.get_state_display(),
        can_contribute=open_now and pool.remaining > 0,
        minimum=min(pool.minimum, pool.remaining) if pool.remaining else pool.minimum,
        suggested=pool_suggested_amount(pool),
        equal_share=pool_equal_share(pool),
        remaining=pool.remaining,
        actions=actions,
        order=_order(pool, is_organiser=is_organiser),
        invitations=invitations,
        choose_by=choose_by,
    )


def pool_recipient_name(pool: Pool) -> str:
    if pool.recipient_id is not None:
        return pool.recipient.public_name
    return pool.recipient_name


def pool_invite_choices(*, pool: Pool) -> list:
    """The organiser's friends who may be invited to POOL: not its recipient, not blocked
    either way, not invited yet (one query)."""
    from social.graph.selectors import friends_of, without_blocked

    organiser = pool.organiser
    friends = without_blocked(friends_of(user=organiser), viewer=organiser).filter(is_active=True)
    if pool.recipient_id is not None:
        friends = friends.exclude(pk=pool.recipient_id)
    invited = PoolInvitation.objects.filter(pool_id=pool.pk, invitee__isnull=False).values(
        "invitee_id"
    )
    return list(friends.exclude(pk__in=invited).order_by("display_name", "username"))


# --- my pools ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolListed:
    pool: Pool
    gift: GiftShown
    is_organiser: bool
    recipient_name: str
    percent: int
    collected: int | None  # None where the viewer may not see amounts
    target: int | None
    my_amount: int | None  # what they chipped in (succeeded)


def pool_list_mine(*, user) -> list[PoolListed]:
    """The pools USER organised or chipped in to, newest first, in three queries whatever
    their number (the pools, their pictures, USER's own contributions)."""
    mine = Contribution.objects.filter(
        contributor_id=user.pk, status__in=SHOWN_STATUSES, pool_id=OuterRef("pk")
    )
    pools = list(
        _pools()
        .filter(Q(organiser_id=user.pk) | Q(Exists(mine)))
        .exclude(recipient_id=user.pk)
        .order_by("-created_at", "-id")
    )
    _images_load(pools)
    my_amounts: dict[int, int] = {}
    for pool_id, amount in Contribution.objects.filter(
        contributor_id=user.pk, status__in=SHOWN_STATUSES, pool_id__in=[p.pk for p in pools]
    ).values_list("pool_id", "amount"):
        my_amounts[pool_id] = my_amounts.get(pool_id, 0) + amount
    listed = []
    for pool in pools:
        is_organiser = pool.organiser_id == user.pk
        shown = is_organiser or pool.show_amounts
        listed.append(
            PoolListed(
                pool=pool,
                gift=_gift(pool),
                is_organiser=is_organiser,
                recipient_name=pool_recipient_name(pool),
                percent=pool_percent(pool),
                collected=pool.collected if shown else None,
                target=pool.target if shown else None,
                my_amount=my_amounts.get(pool.pk),
            )
        )
    return listed


# --- the recipient's gift page ----------------------------------------------------------------


def pool_gift_signature(pool: Pool) -> str:
    return signing.dumps(pool.token, salt=GIFT_SALT)


def pool_gift_url(pool: Pool) -> str:
    """The gift page's signed link, as sent to the recipient: /pools/<token>/gift/?s=…"""
    return f"/pools/{pool.token}/gift/?s={pool_gift_signature(pool)}"


def pool_card_url(pool: Pool) -> str:
    """The printable card (PDF), signed like the gift page."""
    return f"/pools/{pool.token}/card.pdf?s={pool_gift_signature(pool)}"


def pool_get_for_gift(*, token: str, signature: str, viewer=None) -> Pool:
    """Return the pool with TOKEN for its gift page if SIGNATURE is its gift link's (or VIEWER
    is its organiser) and the gift is ordered; else raise Http404."""
    if not token_is_plausible(token, max_length=64):
        raise Http404("No such gift.")
    pool = _pools().filter(token=token).first()
    if pool is None:
        raise Http404("No such gift.")
    is_organiser = viewer_signed_in(viewer) and viewer.pk == pool.organiser_id
    if not is_organiser:
        try:
            signed = signing.loads(signature or "", salt=GIFT_SALT)
        except signing.BadSignature:
            raise Http404("No such gift.") from None
        if signed != pool.token or pool.state not in GIFT_STATES:
            raise Http404("No such gift.")
    return pool


@dataclass(frozen=True)
class GiftMessage:
    name: str  # the contributor's name, "A friend" if they hid it
    message: str


@dataclass
class PoolGiftShown:
    pool: Pool
    gift: GiftShown
    recipient_name: str
    organiser_name: str
    names: list[str]  # who chipped in, per their choice (no amounts, ever)
    messages: list[GiftMessage]
    hidden_count: int  # how many chose to stay anonymous

    @property
    def givers(self) -> str:
        """ "Olga, Fred and 2 more friends": the organiser first, then who chipped in."""
        people = [self.organiser_name, *(n for n in self.names if n != self.organiser_name)]
        if self.hidden_count:
            people.append(f"{self.hidden_count} more friend{'s' if self.hidden_count > 1 else ''}")
        return people[0] if len(people) == 1 else f"{', '.join(people[:-1])} and {people[-1]}"


def pool_gift_shown(*, pool: Pool) -> PoolGiftShown:
    """What the recipient sees: the gift, who gave it (names per their choice) and everyone's
    messages for the card; never an amount, nor the organiser's message to the invited. Two
    queries (the pictures, the contributions)."""
    _images_load([pool])
    names: list[str] = []
    messages: list[GiftMessage] = []
    hidden = 0
    for contribution in _contributions(pool):
        if contribution.status != Contribution.Status.SUCCEEDED:
            continue
        name = "A friend" if contribution.hide_name else _contributor_name(contribution)
        if contribution.hide_name:
            hidden += 1
        elif name not in names:
            names.append(name)
        if contribution.message:
            messages.append(GiftMessage(name=name, message=contribution.message))
    return PoolGiftShown(
        pool=pool,
        gift=_gift(pool),
        recipient_name=pool_recipient_name(pool),
        organiser_name=pool.organiser.public_name,
        names=names,
        messages=messages,
        hidden_count=hidden,
    )


# --- the wishes pools hold ----------------------------------------------------------------------


def pool_claim_links(*, claimer, claim_ids: list[int]) -> dict[int, str]:
    """Return, of CLAIM_IDS (CLAIMER's claims on wishes), those a pool CLAIMER organises holds
    (opening.CLAIM_HELD_STATES), each with its pool's page: the wishlist shows "Held by your gift
    pool" there (wishlists.selectors.claim_holder_links_register). One query."""
    from gifting.pools.opening import CLAIM_HELD_STATES

    if not viewer_signed_in(claimer) or not claim_ids:
        return {}
    rows = Pool.objects.filter(
        claim_id__in=claim_ids, organiser_id=claimer.pk, state__in=CLAIM_HELD_STATES
    ).values_list("claim_id", "token")
    return {claim_id: f"/pools/{token}/" for claim_id, token in rows}
