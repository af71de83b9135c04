from enum import StrEnum


class RecommendationError(StrEnum):
    INVALID_LIMIT = "invalid_limit"
