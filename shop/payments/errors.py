from enum import StrEnum


class PaymentError(StrEnum):
    INVALID_AMOUNT = "invalid_amount"
    INVALID_CURRENCY = "invalid_currency"
    INVALID_IDEMPOTENCY_KEY = "invalid_idempotency_key"
    INVALID_REFERENCE = "invalid_reference"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    UNKNOWN_GATEWAY = "unknown_gateway"
    GATEWAY_UNAVAILABLE = "gateway_unavailable"
    ILLEGAL_TRANSITION = "illegal_transition"
    NOT_CONFIRMABLE = "not_confirmable"
    CLIENT_CONFIRMATION_UNSUPPORTED = "client_confirmation_unsupported"
    NOT_REFUNDABLE = "not_refundable"
    REFUND_TOO_LARGE = "refund_too_large"
    INVALID_SIGNATURE = "invalid_signature"
    INVALID_PAYLOAD = "invalid_payload"
