from enum import StrEnum


class LikeError(StrEnum):
    PRODUCT_NOT_AVAILABLE = "product_not_available"
    PRODUCT_REQUIRED = "product_required"
