"""Domain events of the catalogue, sent on commit. The social apps connect receivers."""

from django.dispatch import Signal

# Sent with product_id when a product becomes visible in the shop.
product_published = Signal()
# Sent with product_id and merchant_id when a product's rating aggregates changed (a review
# counted, edited, hidden or deleted).
product_rating_changed = Signal()
# Sent with variant_id, old_price and new_price (minor units) when a variant's price went
# down (its compare-at price plays no part).
variant_price_dropped = Signal()
# Sent with variant_id when a variant that had no stock has some again (a merchant restocked
# it, or a cancelled or expired order put its units back).
variant_back_in_stock = Signal()
