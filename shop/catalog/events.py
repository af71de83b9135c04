"""Domain events of the catalogue, sent on commit. The social apps connect receivers."""

from django.dispatch import Signal

# Sent with product_id when a product becomes visible in the shop.
product_published = Signal()
# Sent with product_id and merchant_id when a product's rating aggregates changed (a review
# counted, edited, hidden or deleted).
product_rating_changed = Signal()
