"""Queries on /notifications/ at 10 vs 200 notifications (must be equal), and what the header's
bell adds to a signed-in page (at most one query: its unread count)."""

import os
import sys
import tempfile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_tmp = tempfile.mkdtemp(prefix="agora-bench-")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{_tmp}/notifications.sqlite3"
)
os.environ["MEDIA_ROOT"] = f"{_tmp}/media"
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

SIZES = (10, 200)
# A signed-in page that shows the header, to compare with and without the bell.
PAGE = "/orders/"


def _count(client: Client, url: str) -> tuple[int, int]:
    client.get(url)  # the header's cached parts (the categories menu) are read once
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, len(queries)


def measure(size: int) -> tuple[int, int]:
    from social.notifications.services import notification_notify
    from tests.factories import UserFactory

    cache.clear()
    person = UserFactory()
    for index in range(size):
        actor = UserFactory() if index % 5 == 0 else None
        notification_notify(
            recipient=person,
            kind="friend_request_accepted" if actor else "order_shipped",
            actor=actor,
            url="/orders/",
            data={"number": f"AG-{index:06d}"},
            dedupe_key=f"bench:{index}",
        )
    client = Client()
    client.force_login(person)
    return _count(client, "/notifications/")


def bell_cost() -> tuple[int, int]:
    from shop.core import navigation
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory())
    with_bell = _count(client, PAGE)[1]
    saved = navigation._entries.pop("notifications")
    try:
        without_bell = _count(client, PAGE)[1]
    finally:
        navigation._entries["notifications"] = saved
    return with_bell, without_bell


def main() -> int:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    (small_status, small), (large_status, large) = (measure(size) for size in SIZES)
    equal = small == large and small_status == large_status == 200
    print(
        f"queries /notifications/ at {SIZES[0]} vs {SIZES[1]} notifications: {small} vs {large} "
        f"{'equal' if equal else 'NOT EQUAL or not 200: ' + str((small_status, large_status))}"
    )
    with_bell, without_bell = bell_cost()
    added = with_bell - without_bell
    print(
        f"queries the header's unread count adds to {PAGE}: {added} "
        f"({without_bell} without the bell, {with_bell} with it) "
        f"{'at most one' if added <= 1 else 'MORE THAN ONE'}"
    )
    return 0 if equal and added <= 1 else 1


if __name__ == "__main__":
    sys.exit(main())
