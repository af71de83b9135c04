from enum import StrEnum


class PoolError(StrEnum):
    INVALID_TARGET = "invalid_target"
    INVALID_DEADLINE = "invalid_deadline"
    INVALID_MINIMUM = "invalid_minimum"
    INVALID_SUGGESTED = "invalid_suggested"
    INVALID_VISIBILITY = "invalid_visibility"
    INVALID_RULE = "invalid_rule"
    INVALID_RECIPIENT = "invalid_recipient"
    INVALID_MESSAGE = "invalid_message"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_CONTRIBUTOR = "invalid_contributor"
    BELOW_MINIMUM = "below_minimum"
    POOL_FULL = "pool_full"
    POOL_COMPLETE = "pool_complete"
    POOL_CLOSED = "pool_closed"
    ALREADY_EXTENDED = "already_extended"
    ILLEGAL_TRANSITION = "illegal_transition"
