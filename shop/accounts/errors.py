from enum import StrEnum


class AccountError(StrEnum):
    DISPLAY_NAME_TOO_LONG = "display_name_too_long"
    BIO_TOO_LONG = "bio_too_long"
