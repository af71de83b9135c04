"""Domain events of payments. Orders (and gift pools) connect receivers.

Both are sent with payment_id (int) and reference (str, e.g. "order:AG7K2M9Q"): payments
know references, never orders, so a receiver decides from the reference what was paid.
"""

from django.dispatch import Signal

# A payment reached SUCCEEDED (synchronously, after 3-D Secure, or by a webhook). Written to
# the outbox (topic "payment.succeeded") in the transaction of the transition and delivered
# after its commit, again by beat until every receiver ran without raising; also with
# event_id (the outbox row's id). Receivers must be idempotent: a payment is announced at
# least once.
payment_succeeded = Signal()

# A payment reached FAILED (declined, invalid card, failed authentication). Sent once on
# commit, not through the outbox: nothing is owed to anyone when a card is declined.
payment_failed = Signal()

# The outbox topic of each event delivered through the outbox.
PAYMENT_OUTBOX_EVENTS: dict[str, Signal] = {"payment.succeeded": payment_succeeded}
