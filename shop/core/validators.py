"""Guards on what people type, shared by every form, API and service.

PostgreSQL refuses a NUL character in text (an error, so a 500, not a message), a value longer
than its column raises too, and no name, address or code contains control characters. A
service checks what it stores with text_clean, so every caller (form, API, a later app) gets
the same message and code for the same mistake; form and serializer fields add
TextCharactersValidator so a page or the API says so before the service is asked.
"""

import re
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from shop.core.errors import CoreError, DomainError

# The largest primary key the database can hold (bigint). A bigger id from a URL or a form
# names no row; asking the database would fail with an overflow instead (a 500).
MAX_ID = 2**63 - 1
# Control characters other than tab, newline and carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TEXT_CHARACTERS_MESSAGE = "Remove the invisible control characters from this text."


def id_is_valid(value: int) -> bool:
    """Return whether `value` could be a primary key (1 up to bigint's maximum)."""
    return not isinstance(value, bool) and isinstance(value, int) and 0 < value <= MAX_ID


def text_has_control_characters(value: str) -> bool:
    return CONTROL_CHARACTERS.search(value) is not None


def text_clean(
    value: object,
    *,
    field: str,
    label: str,
    max_length: int,
    required: bool = True,
    code: StrEnum | str = CoreError.INVALID_TEXT,
) -> str:
    """Return `value` stripped, if it is text a person could have typed for `field`.

    Raises DomainError(`code`, field `field`) when it is required and empty, longer than
    `max_length`, or holds control characters (NUL included); the message names `label`.
    """
    text = value.strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        raise DomainError(f"Enter the {label} as text.", code=code, field=field)
    if required and not text:
        raise DomainError(f"Please enter the {label}.", code=code, field=field)
    if len(text) > max_length:
        raise DomainError(
            f"The {label} can be at most {max_length} characters long.", code=code, field=field
        )
    if text_has_control_characters(text):
        raise DomainError(TEXT_CHARACTERS_MESSAGE, code=code, field=field)
    return text


def token_is_plausible(token: str, *, max_length: int = 200) -> bool:
    """Return whether `token` could be one of our link tokens (ASCII, printable, short).

    Checked before a token is compared or looked up: anything else names nothing.
    """
    return bool(token) and len(token) <= max_length and token.isascii() and token.isprintable()


@deconstructible
class TextCharactersValidator:
    """Refuse text holding control characters (NUL included), for form and DRF fields."""

    message = TEXT_CHARACTERS_MESSAGE
    code = "invalid_characters"

    def __call__(self, value: str) -> None:
        if isinstance(value, str) and text_has_control_characters(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextCharactersValidator)

    def __hash__(self) -> int:
        return hash(type(self))
