from enum import StrEnum


class GraphError(StrEnum):
    PERSON_NOT_FOUND = "person_not_found"
    MERCHANT_NOT_FOUND = "merchant_not_found"
    SELF_NOT_ALLOWED = "self_not_allowed"
    PERSON_BLOCKED = "person_blocked"
    ALREADY_FRIENDS = "already_friends"
    ALREADY_REQUESTED = "already_requested"
    REQUEST_NOT_PENDING = "request_not_pending"
    NOT_YOURS = "not_yours"
    NOT_FRIENDS = "not_friends"
    ALREADY_FOLLOWING = "already_following"
    PROFILE_NOT_PUBLIC = "profile_not_public"
    NOT_FOLLOWING = "not_following"
    NOT_BLOCKED = "not_blocked"
    INVALID_MESSAGE = "invalid_message"
    INVALID_EMAIL = "invalid_email"
    ALREADY_INVITED = "already_invited"
    INVALID_QUERY = "invalid_query"
    INVALID_VISIBILITY = "invalid_visibility"
    RATE_LIMITED = "rate_limited"
