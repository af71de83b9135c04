"""A gift pool in the feed: "Ben started a gift pool for Ana" (verb POOL, at the pool's
visibility) and "Carl chipped in for Ana's gift" (verb CHIP_IN). Both are kept from the
recipient (Activity.hidden_from): a pool is a surprise until its gift page.

A pool shared by link only is not announced (its link is the way in). A contribution is
announced only for a public pool and when its contributor shows their name: a pool for
friends is seen by the organiser's friends, and the contributor's own friends may not be
among them. No amount is ever in an activity. When the pool is cancelled its activities go.
"""

from gifting.pools.models import Contribution, Pool
from shop.core.visibility import Visibility

ANNOUNCED = (Visibility.FRIENDS, Visibility.PUBLIC)


def _pool_key(pool_id: int) -> str:
    return f"pool:{pool_id}"


def _chip_in_key(contribution_id: int) -> str:
    return f"pool-chip-in:{contribution_id}"


def _recipient_name(pool: Pool) -> str:
    if pool.recipient_id is not None:
        return pool.recipient.public_name
    return pool.recipient_name


def _snapshot(pool: Pool) -> dict:
    from gifting.pools.notifications import pool_gift_name

    snapshot = {"title": pool_gift_name(pool), "image_url": "", "price": None}
    if pool.variant_id is not None:
        from social.feed.services import product_snapshot

        product = pool.variant.product
        snapshot = product_snapshot(product, price=None, currency=pool.currency)
    snapshot["pool"] = {"url": f"/pools/{pool.token}/", "recipient": _recipient_name(pool)}
    snapshot["price"] = None  # a pool's card shows no money
    snapshot["variant_id"] = None
    return snapshot


def pool_activity_record(*, pool: Pool) -> None:
    """Announce that the organiser opened POOL, if friends or everyone may see it."""
    from social.feed.models import Activity
    from social.feed.services import activity_record

    if pool.visibility not in ANNOUNCED:
        return
    activity_record(
        verb=Activity.Verb.POOL,
        actor=pool.organiser,
        product=pool.variant.product if pool.variant_id else None,
        snapshot=_snapshot(pool),
        visibility=pool.visibility,
        dedupe_key=_pool_key(pool.pk),
        hidden_from=pool.recipient,
    )


def chip_in_activity_record(*, contribution: Contribution) -> None:
    """Announce a member's succeeded contribution to a public pool, unless they hid their
    name."""
    from social.feed.models import Activity
    from social.feed.services import activity_record

    pool = contribution.pool
    if (
        contribution.contributor_id is None
        or contribution.hide_name
        or pool.visibility != Visibility.PUBLIC
    ):
        return
    activity_record(
        verb=Activity.Verb.CHIP_IN,
        actor=contribution.contributor,
        product=pool.variant.product if pool.variant_id else None,
        snapshot=_snapshot(pool),
        visibility=pool.visibility,
        dedupe_key=_chip_in_key(contribution.pk),
        hidden_from=pool.recipient,
    )


def pool_activities_delete(*, pool: Pool) -> None:
    """Take POOL's activities (its opening and every contribution's) out of every feed."""
    from social.feed.services import activities_delete

    contribution_ids = pool.contributions.values_list("pk", flat=True)
    activities_delete(
        dedupe_keys=[_pool_key(pool.pk), *(_chip_in_key(pk) for pk in contribution_ids)]
    )
