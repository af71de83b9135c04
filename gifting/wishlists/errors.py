from enum import StrEnum


class WishlistError(StrEnum):
    NOT_FOUND = "not_found"
    OWN_LIST = "own_list"
    SOLD_OUT = "sold_out"
    INVALID_QUANTITY = "invalid_quantity"
    INVALID_TITLE = "invalid_title"
    INVALID_ADDRESS = "invalid_address"
    INVALID_VISIBILITY = "invalid_visibility"
    NOT_CLAIMER = "not_claimer"
    ILLEGAL_TRANSITION = "illegal_transition"
    VARIANT_UNAVAILABLE = "variant_unavailable"
    NOT_SHARED = "not_shared"
    NOT_ASKED = "not_asked"
    INVALID_VOTE = "invalid_vote"
    INVALID_COMMENT = "invalid_comment"
    NOT_YOURS = "not_yours"
    HELD = "held"
