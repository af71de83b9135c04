from enum import StrEnum


class PeopleError(StrEnum):
    """Error codes of "people you may know" (services and API)."""

    SELF_NOT_ALLOWED = "self_not_allowed"
    INVALID_LIMIT = "invalid_limit"
