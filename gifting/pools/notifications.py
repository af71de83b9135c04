"""What pools tell people, in the app and by email: one kind per event of the issue (invited,
contribution received, funded, ordered, shipped, expiring in 24 h, refunded).

Members are told through social.notifications (their preferences apply, and a blocked person
is never told of the other's pool); guests (a contributor who chipped in with only a name and
an email) are emailed through the outbox (pool_guest_email_record). A notification names the
gift and the pool, never an amount or a name another person hid: contributors' choices hold
in notifications as they do on the page. The recipient is never told of a pool before its gift
page exists: nothing here is sent to them but GIFT_KIND.
"""

from shop.core.outbox import outbox_record

INVITED_KIND = "pool_invited"
CONTRIBUTION_KIND = "pool_contribution"
FUNDED_KIND = "pool_funded"
ORDERED_KIND = "pool_ordered"
SHIPPED_KIND = "pool_shipped"
EXPIRING_KIND = "pool_expiring"
EXPIRED_KIND = "pool_expired"
REFUNDED_KIND = "pool_refunded"
GIFT_KIND = "pool_gift"

# Emails to guests, through the outbox (a task renders and sends them).
GUEST_EMAIL_TOPIC = "pools.guest_email"


def _contribution_text(*, actor: str, data: dict, many: bool = False) -> str:
    """ "Ana chipped in for ...": a member by their name, a guest by the name they gave."""
    who = actor or data.get("name") or "Someone"
    return f"{who} chipped in for {data.get('gift', 'a gift')}"


def _funded_text(*, actor: str, data: dict, many: bool = False) -> str:
    """A pool is fully funded; one without a gift says who chooses it (CHOOSE: "now" to its
    organiser, "organiser" to the others, with ORGANISER's name)."""
    text = f"The pool for {data.get('gift', 'a gift')} is fully funded"
    if data.get("choose") == "now":
        return f"{text}: choose the gift now"
    if data.get("choose") == "organiser":
        return f"{text}: {data.get('organiser') or 'its organiser'} will choose the gift"
    return text


def _expiring_text(*, actor: str, data: dict, many: bool = False) -> str:
    """An open pool ends within a day; or a full pool's gift must be chosen by CHOOSE_BY."""
    if data.get("choose_by"):
        return f"Choose the gift of your pool by {data['choose_by']}, or everyone is refunded"
    return f"The pool for {data.get('gift', 'a gift')} ends within 24 hours"


def pool_kinds_register() -> None:
    from social.notifications.kinds import Group, NotificationKind, notification_kind_register

    for order, (key, label, text, subject) in enumerate(
        [
            (
                INVITED_KIND,
                "A friend invites me to chip in for a gift",
                "{actor} invites you to chip in for {gift}",
                "{actor} invites you to chip in for {gift}",
            ),
            (
                CONTRIBUTION_KIND,
                "Someone chips in to a pool I organise",
                _contribution_text,
                "Someone chipped in for {gift}",
            ),
            (
                FUNDED_KIND,
                "A pool I organise or chipped in to is fully funded",
                _funded_text,
                "",  # the subject is the text
            ),
            (
                ORDERED_KIND,
                "The gift of a pool is ordered",
                "{gift} has been ordered with the pool's money",
                "{gift} has been ordered",
            ),
            (
                SHIPPED_KIND,
                "The gift of a pool is on its way",
                "{gift} is on its way to {recipient}",
                "{gift} is on its way",
            ),
            (
                EXPIRING_KIND,
                "A pool I organise ends within a day, or its gift must be chosen",
                _expiring_text,
                "",  # the subject is the text
            ),
            (
                REFUNDED_KIND,
                "Money I put in a pool is refunded",
                "{amount} of your contribution for {gift} was refunded",
                "Your contribution for {gift}: {amount} refunded",
            ),
            (
                GIFT_KIND,
                "Friends give me a gift together",
                "Your friends have a gift for you: {gift}",
                "Your friends have a gift for you",
            ),
            (
                EXPIRED_KIND,
                "A pool I organise reached its deadline",
                "The pool for {gift} reached its deadline: extend it, top it up, switch the gift "
                "or close it",
                "The pool for {gift} reached its deadline",
            ),
        ]
    ):
        notification_kind_register(
            NotificationKind(
                key=key,
                label=label,
                text=text,
                email_subject=subject,
                group=Group.NONE,
                order=110 + order,
            )
        )


def pool_gift_name(pool) -> str:
    """What the pool buys, as a person reads it: the product's name, or "a gift"."""
    variant = pool.variant
    if variant is not None:
        return variant.product.title
    return "a gift"


def pool_notify(
    *, pool, recipient, kind: str, dedupe_key: str, actor=None, data=None, url: str = ""
):
    """Tell member RECIPIENT of KIND about POOL (once per DEDUPE_KEY); the notification leads to
    URL, by default the pool's page (the gift page for GIFT_KIND). Returns the Notification or
    None."""
    from social.notifications.services import notification_notify

    if recipient is None:
        return None
    if kind != GIFT_KIND and pool.recipient_id is not None and recipient.pk == pool.recipient_id:
        return None  # the recipient never hears of the pool before the gift page
    if not url:
        url = f"/pools/{pool.token}/gift/" if kind == GIFT_KIND else f"/pools/{pool.token}/"
    return notification_notify(
        recipient=recipient,
        kind=kind,
        dedupe_key=f"pool:{pool.pk}:{dedupe_key}",
        actor=actor,
        target_type="pool",
        target_id=pool.pk,
        url=url,
        data={"gift": pool_gift_name(pool), **(data or {})},
    )


def pool_guest_email_record(*, contribution, email: str, **context) -> None:
    """Queue EMAIL (e.g. "refunded", "funded") to a guest contributor, in this transaction."""
    if not contribution.guest_email:
        return
    outbox_record(
        topic=GUEST_EMAIL_TOPIC,
        payload={"contribution_id": contribution.pk, "email": email, **context},
    )
