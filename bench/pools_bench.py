"""Gift pools: the pool page's queries at 5 vs 200 contributions (must be equal), for its
organiser and for a contributor; then 20 contributors chipping in at the same moment on one
pool whose target only some of them fit in, each reserving and paying (fake gateway) in its
own thread with its own connection: contributions per second, and no lost update (the pool's
total equals the sum of the payments kept, none charged beyond the target, the pool funded).
Runs on PostgreSQL when BENCH_DATABASE_URL is set (row locks, real parallelism), otherwise on
a SQLite file (writers serialised by the database lock)."""

import os
import sys
import tempfile
from datetime import timedelta

CONTRIBUTORS = int(os.environ.get("BENCH_POOL_CONTRIBUTORS", "20"))
SIZES = (5, 200)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_tmp = tempfile.mkdtemp(prefix="agora-bench-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{_tmp}/pools.sqlite3")
os.environ["MEDIA_ROOT"] = f"{_tmp}/media"
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.parallel import run_at_once  # noqa: E402

CARD = "4242424242424242"


def _count(user, url: str, *, shows: str) -> int:
    client = Client()
    client.force_login(user)
    client.get(url)  # the header's cached parts are read once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200 or shows not in response.content.decode():
        raise SystemExit(f"pools bench: {url} answered {response.status_code} without {shows!r}")
    return len(queries)


def _pool(*, target: int, visibility: str = "friends"):
    from gifting.pools import services
    from tests.factories import UserFactory

    organiser = UserFactory()
    pool = services.pool_open(
        organiser=organiser,
        target=target,
        deadline=timezone.now() + timedelta(days=7),
        visibility=visibility,
        recipient_name="Ana",
        message="For Ana's birthday",
    )
    return organiser, pool


def _chip_in(pool, who, amount: int, *, message: str = "", hide_name: bool = False):
    from gifting.pools import contributions, payments

    contribution = contributions.contribution_reserve(
        pool=pool, contributor=who, amount=amount, message=message, hide_name=hide_name
    )
    return payments.contribution_pay(contribution=contribution, payment_method=CARD)


def measure(size: int) -> tuple[int, int]:
    from tests.factories import UserFactory, friends_make

    cache.clear()
    organiser, pool = _pool(target=1_000 * (size + 1))
    givers = [UserFactory() for _ in range(size)]
    friends_make(organiser, *givers)
    for index, giver in enumerate(givers):
        _chip_in(pool, giver, 1_000, message=f"Happy birthday {index}", hide_name=index % 3 == 0)
    url = f"/pools/{pool.token}/"
    return (
        _count(organiser, url, shows="Happy birthday 1"),
        _count(givers[1], url, shows="Happy birthday 1"),
    )


def contention() -> bool:
    from gifting.pools.models import Contribution, Pool
    from shop.core.errors import DomainError
    from shop.payments.models import Payment
    from tests.factories import UserFactory

    # Each chips in 7.00 towards 100.00: 14 fit (98.00), the 15th is offered the last 2.00.
    amount, target = 700, 10_000
    _, pool = _pool(target=target, visibility="link")
    people = [UserFactory() for _ in range(CONTRIBUTORS)]

    def give(person) -> str:
        try:
            payment = _chip_in(Pool.objects.get(pk=pool.pk), person, amount)
        except DomainError as exc:
            if exc.code != "pool_full":
                raise
            left = Pool.objects.get(pk=pool.pk).remaining
            payment = _chip_in(Pool.objects.get(pk=pool.pk), person, left)
        return payment.status

    outcomes, elapsed = run_at_once(give, people)

    pool.refresh_from_db()
    kept = Contribution.objects.filter(pool=pool, status=Contribution.Status.SUCCEEDED)
    kept_sum = kept.aggregate(total=Sum("amount"))["total"] or 0
    references = [
        f"pool-contribution:{pk}" for pk in pool.contributions.values_list("pk", flat=True)
    ]
    charged = (
        Payment.objects.filter(reference__in=references, status=Payment.Status.SUCCEEDED).aggregate(
            total=Sum("amount")
        )["total"]
        or 0
    )
    succeeded = outcomes.count("succeeded")
    errors = sorted({o for o in outcomes if o.startswith("error:")})[:3]
    ok = (
        pool.collected == kept_sum == charged == target
        and pool.reserved == 0
        and pool.state == Pool.State.FUNDED
        and not errors
    )
    print(
        f"pool under contention ({connection.vendor}): {CONTRIBUTORS} contributors of "
        f"{amount / 100:.2f} towards {target / 100:.2f} -> {succeeded} paid "
        f"({succeeded / elapsed:.1f} contributions/s), "
        f"{len(outcomes) - succeeded - len(errors)} told it was full; "
        f"collected {pool.collected / 100:.2f}, "
        f"payments kept {charged / 100:.2f}, lost updates {abs(charged - pool.collected)}, "
        f"state {pool.state} ({'correct' if ok else 'WRONG'}; {elapsed:.1f} s)"
    )
    for error in errors:
        print(f"  {error}")
    return ok


def run() -> int:
    small, large = (measure(size) for size in SIZES)
    equal = True
    for index, who in enumerate(("its organiser", "a contributor")):
        same = small[index] == large[index]
        equal &= same
        print(
            f"queries / a pool's page as {who}, at {SIZES[0]} vs {SIZES[1]} contributions: "
            f"{small[index]} vs {large[index]} {'equal' if same else 'NOT EQUAL'}"
        )
    ok = contention()
    return 0 if equal and ok else 1


def main() -> int:
    setup_test_environment()
    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
        return run()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        return run()
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
