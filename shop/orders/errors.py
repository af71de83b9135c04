from enum import StrEnum


class OrderError(StrEnum):
    EMPTY_CART = "empty_cart"
    INVALID_EMAIL = "invalid_email"
    INVALID_ADDRESS = "invalid_address"
    ITEM_UNAVAILABLE = "item_unavailable"
    INVALID_SHIPPING_METHOD = "invalid_shipping_method"
    ORDER_NOT_PAYABLE = "order_not_payable"
    NO_PAYMENT_TO_CONFIRM = "no_payment_to_confirm"
    ILLEGAL_TRANSITION = "illegal_transition"
    REFUND_TOO_LARGE = "refund_too_large"
    INVALID_AMOUNT = "invalid_amount"
    NOT_YOUR_ORDER = "not_your_order"
    MERCHANT_NOT_IN_ORDER = "merchant_not_in_order"
    ALREADY_SHIPPED = "already_shipped"
    TRACKING_NUMBER_REQUIRED = "tracking_number_required"
