"""The fan-out: each feed gets an activity once, however often the task runs or is cut
short; only the activity's audience (active, not blocked) gets it; big accounts are pulled."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from social.feed import services
from social.feed.models import Activity, FeedItem
from social.graph import services as graph
from tests.factories import MerchantFactory, friends_make, privacy_set
from tests.social.feed.conftest import person

pytestmark = pytest.mark.django_db


def _feed_ids(activity) -> list[int]:
    return sorted(FeedItem.objects.filter(activity=activity).values_list("owner_id", flat=True))


def test_an_activity_fanned_out_twice_is_in_each_friends_feed_once(record):
    ana = person("ana")
    friends = [person(f"f{i}") for i in range(3)]
    friends_make(ana, *friends)

    activity = record(ana, key="a1")
    services.activity_fanout(activity_id=activity.pk)
    Activity.objects.filter(pk=activity.pk).update(fanned_out_at=None, fanout_cursor=0)
    services.activity_fanout(activity_id=activity.pk)

    assert _feed_ids(activity) == sorted(f.pk for f in friends)


def test_recording_the_same_key_twice_returns_the_first_activity(record):
    ana = person("ana")

    first = record(ana, key="same")
    second = record(ana, key="same")

    assert first.pk == second.pk
    assert Activity.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the INSERT … SELECT path")
def test_a_fanout_killed_after_its_first_chunk_and_retried_reaches_each_feed_once(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.FEED_FANOUT_CHUNK = 2
    ana = person("ana")
    friends = [person(f"f{i}") for i in range(5)]
    friends_make(ana, *friends)
    with django_capture_on_commit_callbacks(execute=False):
        activity = services.activity_record(
            verb="like", actor=ana, snapshot={"title": "x"}, visibility="friends", dedupe_key="k"
        )

    def killed(**kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(services, "_after_chunk", killed)
    with pytest.raises(SystemExit):
        services.activity_fanout(activity_id=activity.pk)
    assert FeedItem.objects.filter(activity=activity).count() == 2
    monkeypatch.undo()
    services.activity_fanout(activity_id=activity.pk)
    services.activity_fanout(activity_id=activity.pk)

    assert _feed_ids(activity) == sorted(f.pk for f in friends)
    assert Activity.objects.get(pk=activity.pk).fanned_out_at is not None


def test_only_people_active_lately_are_pushed_to(record):
    ana, active = person("ana"), person("active")
    away = person("away")
    away.last_login = timezone.now() - timezone.timedelta(days=30)
    away.save()
    friends_make(ana, active, away)

    activity = record(ana, key="a")

    assert _feed_ids(activity) == [active.pk]


def test_a_friends_activity_never_reaches_strangers_or_the_blocked(record):
    ana, friend, stranger, blocked = (person(n) for n in ("ana", "friend", "stranger", "blocked"))
    friends_make(ana, friend, blocked)
    graph.person_block(blocker=ana, person=blocked)

    activity = record(ana, key="a")

    assert _feed_ids(activity) == [friend.pk]


def test_a_public_activity_reaches_followers_and_a_private_one_nobody(record):
    ana, follower = person("ana"), person("follower")
    privacy_set(ana, profile="public")
    graph.person_follow(follower=follower, person=ana)

    public = record(ana, key="p", visibility="public")
    private = record(ana, key="q", visibility="private")

    assert _feed_ids(public) == [follower.pk]
    assert _feed_ids(private) == []


def test_a_share_to_chosen_friends_reaches_only_them(record):
    ana, chosen, other = person("ana"), person("chosen"), person("other")
    friends_make(ana, chosen, other)

    activity = record(ana, key="s", visibility="private", recipients=[chosen.pk])

    assert _feed_ids(activity) == [chosen.pk]


def test_a_merchant_with_more_followers_than_the_threshold_is_pulled_not_pushed(settings, record):
    settings.FEED_PULL_THRESHOLD = 1
    merchant = MerchantFactory(name="Outdoor Co")
    fans = [person("fan1"), person("fan2")]
    for fan in fans:
        graph.merchant_follow(follower=fan, merchant=merchant)

    activity = record(merchant=merchant, key="m", visibility="public", verb="new_product")

    assert activity.pulled
    assert _feed_ids(activity) == []
    from social.feed.selectors import feed_page

    assert [e.first.pk for e in feed_page(viewer=fans[0]).entries] == [activity.pk]


def test_feeds_are_trimmed_to_their_newest_items(record, settings):
    ana, friend = person("ana"), person("friend")
    friends_make(ana, friend)
    activities = [record(ana, key=f"k{i}") for i in range(5)]

    removed = services.feeds_trim(max_items=3)

    assert removed == 2
    kept = FeedItem.objects.filter(owner=friend).values_list("activity_id", flat=True)
    assert sorted(kept) == sorted(a.pk for a in activities[2:])


def _unfanned(ana, *, key="k", minutes_ago=0):
    """An activity of ANA's for friends, recorded but not fanned out yet."""
    activity = Activity.objects.create(
        verb="like",
        actor=ana,
        snapshot={"title": "x"},
        visibility="friends",
        dedupe_key=key,
        created_at=timezone.now() - timezone.timedelta(minutes=minutes_ago),
    )
    return activity


def test_a_fanout_stopped_half_way_is_finished_by_the_beat_from_its_cursor(settings, monkeypatch):
    settings.FEED_FANOUT_CHUNK = 2
    ana = person("ana")
    friends = [person(f"f{i}") for i in range(5)]
    friends_make(ana, *friends)
    stalled = _unfanned(ana, minutes_ago=10)
    recent = _unfanned(ana, key="recent")  # maybe still running: left alone

    def killed(**kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(services, "_after_chunk", killed)
    with pytest.raises(SystemExit):
        services.activity_fanout(activity_id=stalled.pk)
    monkeypatch.undo()
    assert len(_feed_ids(stalled)) == 2

    assert services.fanouts_resume() == 1

    assert _feed_ids(stalled) == sorted(f.pk for f in friends)
    assert Activity.objects.get(pk=stalled.pk).fanned_out_at is not None
    assert _feed_ids(recent) == []
    assert services.fanouts_resume() == 0


def test_two_runs_of_one_fanout_at_once_deliver_each_feed_once(settings, monkeypatch):
    settings.FEED_FANOUT_CHUNK = 2
    ana = person("ana")
    friends = [person(f"f{i}") for i in range(7)]
    friends_make(ana, *friends)
    activity = _unfanned(ana)
    runs = []

    def second_run_meanwhile(**kwargs):
        if not runs:  # after the first run's first chunk, a second run does it all
            runs.append("second")
            runs.append(services.activity_fanout(activity_id=activity.pk))

    monkeypatch.setattr(services, "_after_chunk", second_run_meanwhile)
    first = services.activity_fanout(activity_id=activity.pk)

    assert _feed_ids(activity) == sorted(f.pk for f in friends)
    assert runs == ["second", 5] and first == 2  # the first stopped where the second had got to
    assert Activity.objects.get(pk=activity.pk).fanned_out_at is not None


def test_a_fanout_whose_activity_is_deleted_meanwhile_stops_and_leaves_no_items(
    settings, monkeypatch
):
    settings.FEED_FANOUT_CHUNK = 2
    ana = person("ana")
    friends_make(ana, *(person(f"f{i}") for i in range(5)))
    activity = _unfanned(ana)

    def deleted_meanwhile(**kwargs):
        services.activity_delete(dedupe_key=activity.dedupe_key)

    monkeypatch.setattr(services, "_after_chunk", deleted_meanwhile)
    done = services.activity_fanout(activity_id=activity.pk)

    assert done == 2
    assert FeedItem.objects.count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the INSERT … SELECT path")
@pytest.mark.django_db(transaction=True)
def test_an_item_another_transaction_writes_meanwhile_leaves_each_feed_with_it_once():
    # A new friend's copy (or a rebuild) writes one of the chunk's items and commits while
    # the chunk's INSERT waits on it: the INSERT fails on the primary key, and the chunk is
    # made again with ON CONFLICT DO NOTHING.
    ana = person("ana")
    friends = [person(f"f{i}") for i in range(3)]
    friends_make(ana, *friends)
    activity = _unfanned(ana)
    written = threading.Event()

    def another_transaction():
        try:
            with transaction.atomic():
                FeedItem.objects.create(
                    owner=friends[1], activity=activity, created_at=activity.created_at
                )
                written.set()
                time.sleep(1)  # the fan-out's INSERT waits on this row meanwhile
        finally:
            connections.close_all()

    other = threading.Thread(target=another_transaction)
    other.start()
    assert written.wait(10)
    statements = []

    def noted(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(noted):
        done = services.activity_fanout(activity_id=activity.pk)
    other.join()

    assert any("ON CONFLICT" in sql for sql in statements)  # the race did happen
    assert done == 3
    assert _feed_ids(activity) == sorted(f.pk for f in friends)
    assert Activity.objects.get(pk=activity.pk).fanned_out_at is not None
