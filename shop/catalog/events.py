"""Domain events of the catalogue, sent on commit. The social apps connect receivers."""

from django.dispatch import Signal

# Sent with product_id when a product becomes visible in the shop.
product_published = Signal()
