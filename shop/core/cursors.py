"""Cursor pagination by time, shared by every newest-first list (feed, notifications, likes,
shares, asks): a position is (created_at, id) of the last row shown, encoded as URL-safe
base64, and the next page is the rows strictly older than it.

Unlike page numbers, a cursor neither skips nor repeats a row when new ones arrive while a
person reads, and the query it makes reads one index whatever the depth.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from shop.core.errors import CoreError, DomainError
from shop.core.validators import id_is_valid

# A cursor longer than this is not one of ours.
CURSOR_MAX_LENGTH = 100


@dataclass(frozen=True)
class TimeCursor:
    """A position in a newest-first list: rows older than (created_at, id) come after it."""

    created_at: datetime
    id: int

    @classmethod
    def of(cls, row, *, id_field: str = "pk") -> "TimeCursor":
        """The position just after ROW (its created_at and ID_FIELD)."""
        return cls(created_at=row.created_at, id=getattr(row, id_field))

    def encode(self) -> str:
        raw = f"{self.created_at.isoformat()}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, value: object) -> "TimeCursor | None":
        """Return the cursor VALUE holds, or None for none or a malformed one (a page then
        starts again from the newest)."""
        if not value or not isinstance(value, str) or len(value) > CURSOR_MAX_LENGTH:
            return None
        if not value.isascii():
            return None
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
            when, _, ident = raw.partition("|")
            created_at = datetime.fromisoformat(when)
            number = int(ident)
        except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError):
            return None
        if timezone.is_naive(created_at) or not id_is_valid(number):
            return None
        try:
            # In UTC: the database refuses far-fetched offsets.
            created_at = created_at.astimezone(UTC)
        except OverflowError:
            return None
        return cls(created_at=created_at, id=number)


def cursor_parse(raw: str | None, *, field: str = "cursor") -> TimeCursor | None:
    """Return the cursor RAW encodes (None for none). An API's strict form: raises
    DomainError INVALID_CURSOR on FIELD for anything else."""
    if not raw:
        return None
    cursor = TimeCursor.decode(raw)
    if cursor is None:
        raise DomainError(
            "This is not a position in the list; start again from the newest.",
            code=CoreError.INVALID_CURSOR,
            field=field,
        )
    return cursor


def rows_after(
    queryset: QuerySet,
    cursor: TimeCursor | None,
    *,
    time_field: str = "created_at",
    id_field: str = "id",
) -> QuerySet:
    """The rows of QUERYSET after CURSOR in newest-first order (all of them for None). Order
    the result by (-TIME_FIELD, -ID_FIELD) to read it as pages."""
    if cursor is None:
        return queryset
    return queryset.filter(
        Q(**{f"{time_field}__lt": cursor.created_at})
        | Q(**{time_field: cursor.created_at, f"{id_field}__lt": cursor.id})
    )


def next_cursor(rows: list, *, more: bool, id_field: str = "pk") -> str | None:
    """The encoded cursor after the last of ROWS when MORE follow, else None."""
    if not more or not rows:
        return None
    return TimeCursor.of(rows[-1], id_field=id_field).encode()
