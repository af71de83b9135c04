"""The shared newest-first cursor: it round-trips, refuses what is not one of its own, and
pages through rows that share a timestamp without skipping or repeating one."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from shop.core.cursors import TimeCursor, cursor_parse, next_cursor, rows_after
from shop.core.errors import DomainError
from shop.core.models import OutboxMessage

WHEN = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def test_a_cursor_round_trips_in_utc():
    paris = WHEN.astimezone(timezone(timedelta(hours=1)))
    cursor = TimeCursor(created_at=paris, id=42)

    decoded = TimeCursor.decode(cursor.encode())

    assert decoded == TimeCursor(created_at=WHEN, id=42)
    assert decoded.created_at.tzinfo == UTC


@pytest.mark.parametrize(
    "raw",
    [
        "not base64!",
        "x" * 101,
        "éé",
        TimeCursor(created_at=WHEN, id=1).encode()[:-3],
        # No time zone, no id, a negative id, an id past bigint, a year at the calendar's end.
        "MjAyNi0xMi0wMlQwODowMDowMHwx",
        "MjAyNi0xMi0wMlQwODowMDowMCswMDowMHw",
        "MjAyNi0xMi0wMlQwODowMDowMCswMDowMHwtMQ",
        "MjAyNi0xMi0wMlQwODowMDowMCswMDowMHw5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ",
        "OTk5OS0xMi0zMVQyMzo1OTowMC0yMzo1OXwx",
    ],
)
def test_what_is_not_a_cursor_reads_as_none_and_is_refused_naming_the_field(raw):
    assert TimeCursor.decode(raw) is None
    with pytest.raises(DomainError) as caught:
        cursor_parse(raw, field="before")
    assert caught.value.field == "before"
    assert caught.value.code == "invalid_cursor"


def test_no_cursor_is_the_first_page():
    assert TimeCursor.decode(None) is None
    assert cursor_parse("") is None


def test_next_cursor_only_when_more_rows_follow():
    rows = [OutboxMessage(pk=7, created_at=WHEN)]
    assert next_cursor(rows, more=False) is None
    assert next_cursor([], more=True) is None
    assert TimeCursor.decode(next_cursor(rows, more=True)) == TimeCursor(created_at=WHEN, id=7)


@pytest.mark.django_db
def test_pages_through_rows_sharing_a_timestamp_without_skipping_or_repeating():
    rows = [OutboxMessage.objects.create(topic="test.cursor", payload={}) for _ in range(5)]
    OutboxMessage.objects.filter(pk__in=[r.pk for r in rows[1:4]]).update(created_at=WHEN)
    everything = OutboxMessage.objects.filter(topic="test.cursor").order_by("-created_at", "-id")
    expected = [r.pk for r in everything]

    seen, cursor = [], None
    while True:
        page = list(rows_after(everything, cursor).order_by("-created_at", "-id")[:3])
        fetched, more = page[:2], len(page) > 2
        seen += [r.pk for r in fetched]
        cursor = TimeCursor.decode(next_cursor(fetched, more=more))
        if cursor is None:
            break

    assert seen == expected
