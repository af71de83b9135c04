"""The pools' beat tasks: each moves what is due once, and a second run finds nothing."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from gifting.pools import contributions, lifecycle, tasks
from gifting.pools.models import Contribution, Pool
from gifting.pools.notifications import EXPIRED_KIND, EXPIRING_KIND
from social.notifications.kinds import notification_kind_get
from social.notifications.models import Notification
from tests.factories import UserFactory
from tests.gifting.pools.helpers import pool_make

pytestmark = pytest.mark.django_db


def test_the_beat_schedule_runs_every_pools_task():
    scheduled = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }

    assert scheduled["gifting.pools.tasks.contributions_expire"] == 60.0
    assert scheduled["gifting.pools.tasks.pools_deadline_pass"] == 60.0
    assert scheduled["gifting.pools.tasks.pool_refunds_retry"] == 60.0
    for name in (
        "pools_expiring_remind",
        "pools_abandoned_refund",
        "pools_unchosen_refund",
        "pool_payments_reconcile",
    ):
        assert f"gifting.pools.tasks.{name}" in scheduled


def test_reservations_past_their_time_are_released_once():
    pool = pool_make(target=5000)
    stale = contributions.contribution_reserve(pool=pool, amount=1000, contributor=UserFactory())
    fresh = contributions.contribution_reserve(pool=pool, amount=1000, contributor=UserFactory())
    Contribution.objects.filter(pk=stale.pk).update(
        reserved_until=timezone.now() - timedelta(minutes=1)
    )

    assert tasks.contributions_expire.apply().get() == 1
    assert tasks.contributions_expire.apply().get() == 0

    assert Contribution.objects.get(pk=stale.pk).status == Contribution.Status.RELEASED
    assert Contribution.objects.get(pk=fresh.pk).status == Contribution.Status.RESERVED
    assert Pool.objects.get(pk=pool.pk).reserved == 1000


def test_open_pools_past_their_deadline_expire_once_and_the_organiser_is_told():
    due = pool_make()
    later = pool_make()
    Pool.objects.filter(pk=due.pk).update(deadline=timezone.now() - timedelta(minutes=1))

    assert tasks.pools_deadline_pass.apply().get() == 1
    assert tasks.pools_deadline_pass.apply().get() == 0

    due.refresh_from_db()
    assert due.state == Pool.State.EXPIRED and due.closed_at is not None
    assert due.transitions.last().note == "The deadline passed"
    assert Pool.objects.get(pk=later.pk).state == Pool.State.OPEN
    told = Notification.objects.filter(kind=EXPIRED_KIND)
    assert [n.recipient_id for n in told] == [due.organiser_id]
    text = notification_kind_get(EXPIRED_KIND).render(actor="", data=told.get().data)
    assert text.startswith("The pool for ") and "extend it, top it up" in text


def test_a_funded_pool_past_its_deadline_stays_funded():
    pool = pool_make(target=1000)
    contribution = contributions.contribution_reserve(
        pool=pool, amount=1000, contributor=UserFactory()
    )
    contributions.contribution_succeed(contribution=contribution)
    Pool.objects.filter(pk=pool.pk).update(deadline=timezone.now() - timedelta(minutes=1))

    assert lifecycle.pools_deadline_pass() == 0
    assert Pool.objects.get(pk=pool.pk).state == Pool.State.FUNDED


def test_organisers_are_reminded_once_a_day_before_the_deadline():
    soon = pool_make(deadline=timezone.now() + timedelta(hours=20))
    pool_make(deadline=timezone.now() + timedelta(days=3))

    assert tasks.pools_expiring_remind.apply().get() == 1
    assert tasks.pools_expiring_remind.apply().get() == 0

    told = Notification.objects.filter(kind=EXPIRING_KIND)
    assert [n.recipient_id for n in told] == [soon.organiser_id]


def test_every_task_runs_on_an_empty_shop():
    for task in (
        tasks.contributions_expire,
        tasks.pools_deadline_pass,
        tasks.pools_expiring_remind,
        tasks.pools_abandoned_refund,
        tasks.pools_unchosen_refund,
        tasks.pool_refunds_retry,
        tasks.pool_payments_reconcile,
    ):
        assert task.apply().get() == 0
