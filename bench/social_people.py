"""Queries on the social graph's pages at 10 vs 200 friends: /friends/, /people/<username>/
(a friend's page, every friend shared) and /people/?q= (a page of people found, each with
mutual friends): the two counts must be equal.

Runs against a throwaway SQLite database (or DATABASE_URL when set, in a fresh test database);
each page is asked twice, the first to fill the caches (the header's menu), the second counted.
"""

import os
import sys
import tempfile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_tmp = tempfile.mkdtemp(prefix="agora-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp}/social_people.sqlite3")
os.environ["MEDIA_ROOT"] = f"{_tmp}/media"
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

SIZES = (10, 200)
PAGES = {
    "friends /friends/": "/friends/",
    "person /people/<username>/": "/people/bench-friend/",
    "people search /people/?q=": "/people/?q=benchmate",
    "API person /api/v1/people/<username>": "/api/v1/people/bench-friend",
}


def build(n: int):
    """A viewer with N friends, a friend with N friends of their own (half shared), requests
    both ways, and 30 people named alike to find, each sharing friends with the viewer."""
    from shop.accounts.models import User
    from social.graph import services
    from tests.factories import UserFactory, friends_make, friends_many, privacy_set

    User.objects.all().delete()
    cache.clear()
    me = UserFactory(username="bench-me", verified=False)
    friend = UserFactory(username="bench-friend", verified=False)
    friends = friends_many(me, n)
    friends_make(me, friend)
    friends_make(friend, *friends[: n // 2], *UserFactory.create_batch(n // 2, verified=False))
    privacy_set(friend, friends_list="public")
    for person in UserFactory.create_batch(30, display_name="Benchmate", verified=False):
        friends_make(person, *friends[:3])
    for asker in UserFactory.create_batch(3, verified=False):
        services.friend_request_send(sender=asker, to=me)
    services.friend_request_send(sender=me, to=UserFactory(verified=False))
    return me


def measure(n: int) -> dict[str, tuple[int, int]]:
    client = Client()
    client.force_login(build(n))
    found = {}
    for name, url in PAGES.items():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        found[name] = (status, len(queries))
    return found


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        small, large = (measure(n) for n in SIZES)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    ok = True
    for name in PAGES:
        (status_small, queries_small), (status_large, queries_large) = small[name], large[name]
        equal = queries_small == queries_large and status_small == status_large == 200
        ok &= equal
        print(
            f"queries {name} at {SIZES[0]} vs {SIZES[1]} friends: "
            f"{queries_small} vs {queries_large} "
            f"{'equal' if equal else 'NOT EQUAL or not 200: ' + str((status_small, status_large))}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
