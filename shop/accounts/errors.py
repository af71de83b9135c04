from enum import StrEnum


class AccountError(StrEnum):
    DISPLAY_NAME_TOO_LONG = "display_name_too_long"
    BIO_TOO_LONG = "bio_too_long"
    EXPORT_PENDING = "export_pending"
    EXPORT_RATE_LIMITED = "export_rate_limited"
    WRONG_PASSWORD = "wrong_password"
    NOT_CONFIRMED = "not_confirmed"
    STAFF_ACCOUNT = "staff_account"
