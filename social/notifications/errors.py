from enum import StrEnum


class NotificationError(StrEnum):
    UNKNOWN_KIND = "unknown_kind"
    INVALID_DELIVERY = "invalid_delivery"
