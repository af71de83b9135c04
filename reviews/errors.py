from enum import StrEnum


class ReviewError(StrEnum):
    PRODUCT_NOT_AVAILABLE = "product_not_available"
    ALREADY_REVIEWED = "already_reviewed"
    BUYERS_ONLY = "buyers_only"
    RATING_INVALID = "rating_invalid"
    TOO_MANY_PHOTOS = "too_many_photos"
    NOT_YOURS = "not_yours"
    OWN_REVIEW = "own_review"
    NOT_FOUND = "not_found"
    ALREADY_REPORTED = "already_reported"
    NOT_YOUR_MERCHANT = "not_your_merchant"
    REASON_REQUIRED = "reason_required"
    ALREADY_HIDDEN = "already_hidden"
    NOT_HIDDEN = "not_hidden"
