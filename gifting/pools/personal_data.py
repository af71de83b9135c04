"""The pools' part of "download my data" and "delete my account" (registered in
PoolsConfig.ready()).

Export: the pools a person organised, and the contributions they made. Erasing keeps the
money records (what was collected and paid back must still add up) and removes what names
or describes the person: their contributions' messages and guest details, and their pools'
messages (the recipient's name is the recipient's, kept to deliver the gift). The account
itself is emptied by accounts.
"""

from gifting.pools.models import Contribution, Pool


def pools_export(user) -> dict:
    """Return USER's organised pools and their contributions, oldest first."""
    pools = Pool.objects.filter(organiser_id=user.pk).order_by("created_at", "id")
    contributions = Contribution.objects.filter(contributor_id=user.pk).order_by("created_at", "id")
    return {
        "pools": [
            {
                "recipient": p.recipient_name,
                "target": p.target,
                "collected": p.collected,
                "currency": p.currency,
                "deadline": p.deadline.isoformat(),
                "message": p.message,
                "visibility": p.visibility,
                "state": p.state,
                "created_at": p.created_at.isoformat(),
            }
            for p in pools
        ],
        "contributions": [
            {
                "pool": c.pool_id,
                "amount": c.amount,
                "status": c.status,
                "message": c.message,
                "hide_name": c.hide_name,
                "refunded_amount": c.refunded_amount,
                "at": c.created_at.isoformat(),
            }
            for c in contributions
        ],
    }


def pools_erase(user) -> None:
    """Anonymise USER's contributions and organised pools; their amounts stay."""
    Contribution.objects.filter(contributor_id=user.pk).update(
        guest_name="", guest_email="", message="", hide_name=True
    )
    Pool.objects.filter(organiser_id=user.pk).update(message="")
