"""The one write of reputation: forgetting a merchant's cached reputation (it has no rows)."""

from django.core.cache import cache

from reviews.reputation.selectors import reputation_key


def merchant_reputation_forget(*, merchant_id: int) -> None:
    """Drop MERCHANT_ID's cached reputation: the next read counts afresh."""
    cache.delete(reputation_key(merchant_id))
