"""Domain events of payments, sent on commit. Orders (and gift pools) connect receivers.

Both are sent with payment_id (int) and reference (str, e.g. "order:AG7K2M9Q"): payments
know references, never orders, so a receiver decides from the reference what was paid.
"""

from django.dispatch import Signal

# A payment reached SUCCEEDED (synchronously, after 3-D Secure, or by a webhook).
payment_succeeded = Signal()

# A payment reached FAILED (declined, invalid card, failed authentication).
payment_failed = Signal()
