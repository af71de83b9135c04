"""The one error type business rules raise, shared by every app.

A DomainError is a ValidationError that carries a machine-readable code from the app's
errors.py enum and, where it applies, the field it concerns. HTML views add it to the form;
the API's exception handler turns it into 400 {"errors": {field: [{"message", "code"}]}}.
"""

from enum import StrEnum

from django.core.exceptions import ValidationError

NON_FIELD = "non_field_errors"


class DomainError(ValidationError):
    def __init__(self, message: str, *, code: StrEnum | str, field: str | None = None):
        super().__init__(message, code=str(code))
        self.field = field or NON_FIELD

    def as_error_dict(self) -> dict[str, list[dict[str, str]]]:
        return {self.field: [{"message": str(self.message), "code": str(self.code)}]}


class RateLimitError(DomainError):
    """A person did something more often than a business rule allows (e.g. 50 friend requests
    a day). The API answers 429 with this message and a Retry-After of `retry_after` seconds;
    pages show the message like any other DomainError."""

    def __init__(
        self,
        message: str,
        *,
        code: StrEnum | str,
        retry_after: float | None = None,
        field: str | None = None,
    ):
        super().__init__(message, code=code, field=field or "detail")
        self.retry_after = retry_after


class CoreError(StrEnum):
    INVALID_TEXT = "invalid_text"
    INVALID_IMAGE = "invalid_image"
    IMAGE_TOO_LARGE = "image_too_large"
    IMAGE_TOO_MANY_PIXELS = "image_too_many_pixels"
    IMAGE_FORMAT_NOT_ALLOWED = "image_format_not_allowed"
    INVALID_CURSOR = "invalid_cursor"
