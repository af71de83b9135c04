from enum import StrEnum


class CartError(StrEnum):
    INVALID_QUANTITY = "invalid_quantity"
    OUT_OF_STOCK = "out_of_stock"
    VARIANT_UNAVAILABLE = "variant_unavailable"
    DISCOUNT_NOT_FOUND = "discount_not_found"
    DISCOUNT_INACTIVE = "discount_inactive"
    DISCOUNT_NOT_STARTED = "discount_not_started"
    DISCOUNT_EXPIRED = "discount_expired"
    DISCOUNT_MIN_SUBTOTAL = "discount_min_subtotal"
    DISCOUNT_EXHAUSTED = "discount_exhausted"
