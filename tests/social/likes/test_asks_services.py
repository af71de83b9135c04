"""Asking, answering (the tally exact however answers change), withdrawing and expiring."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from social.feed.models import Activity, ActivityRecipient
from social.graph import services as graph
from social.likes import ask_services as services
from social.likes.ask_services import AskError
from social.likes.models import Ask, AskAnswer, AskRecipient
from social.notifications.models import Notification
from tests.factories import friends_make
from tests.social.likes.asks_helpers import ask_make, person, product_make

pytestmark = pytest.mark.django_db


def _code(exc_info) -> tuple[str, str]:
    return exc_info.value.code, exc_info.value.field


@pytest.fixture
def ana():
    return person("ana", display_name="Ana")


@pytest.fixture
def ben(ana):
    ben = person("ben", display_name="Ben")
    friends_make(ana, ben)
    return ben


@pytest.fixture
def cleo(ana):
    cleo = person("cleo", display_name="Cleo")
    friends_make(ana, cleo)
    return cleo


def test_asking_chosen_friends_puts_it_to_them_for_seven_days(ana, ben, cleo):
    product = product_make()

    put = services.ask_create(asker=ana, product=product, friends=[ben], note="For the rain?")

    ask = put.ask
    assert put.created and [p.username for p in put.asked] == ["ben"]
    assert list(AskRecipient.objects.filter(ask=ask).values_list("user__username", flat=True)) == [
        "ben"
    ]
    assert ask.closes_at - ask.created_at == timedelta(days=7)
    assert ask.note == "For the rain?" and ask.is_open


def test_asking_all_friends_writes_a_recipient_row_per_friend(ana, ben, cleo):
    ask = ask_make(ana, product=product_make(), all_friends=True)

    assert ask.all_friends
    assert set(AskRecipient.objects.filter(ask=ask).values_list("user__username", flat=True)) == {
        "ben",
        "cleo",
    }


def test_friends_asked_get_a_notification_and_a_private_feed_item(ana, ben, cleo):
    ask = ask_make(ana, ben, product=product_make("Trail Jacket"))

    notification = Notification.objects.get(recipient=ben)
    assert notification.kind == "ask_received"
    assert notification.url == f"/asks/{ask.pk}/"
    assert not Notification.objects.filter(recipient=cleo).exists()
    activity = Activity.objects.get(verb="ask", actor=ana)
    assert activity.has_recipients and activity.visibility == "private"
    assert activity.snapshot["ask_id"] == ask.pk
    assert list(
        ActivityRecipient.objects.filter(activity=activity).values_list("user_id", flat=True)
    ) == [ben.pk]


def test_notification_text_names_the_asker_and_the_product(ana, ben):
    from social.notifications.kinds import notification_kind_get

    ask_make(ana, ben, product=product_make("Trail Jacket"))

    notification = Notification.objects.get(recipient=ben)
    text = notification_kind_get(notification.kind).render(actor="Ana", data=notification.data)
    assert text == "Ana asks: should I buy Trail Jacket?"


def test_only_friends_can_be_asked(ana, ben):
    stranger = person("stan")

    with pytest.raises(ValidationError) as exc_info:
        services.ask_create(asker=ana, product=product_make(), friends=[ben, stranger])

    assert _code(exc_info) == (AskError.NOT_A_FRIEND, "friends")
    assert not Ask.objects.exists()


def test_a_blocked_friend_cannot_be_asked_either_way(ana, ben, cleo):
    graph.person_block(blocker=ben, person=ana)

    with pytest.raises(ValidationError) as exc_info:
        services.ask_create(asker=ana, product=product_make(), friends=[ben])

    assert _code(exc_info) == (AskError.NOT_A_FRIEND, "friends")
    ask = ask_make(ana, product=product_make("Boots"), all_friends=True)
    assert list(ask.recipients.values_list("user__username", flat=True)) == ["cleo"]


def test_asking_nobody_is_refused_on_the_friends_field(ana):
    with pytest.raises(ValidationError) as exc_info:
        services.ask_create(asker=ana, product=product_make(), friends=[])
    assert _code(exc_info) == (AskError.NO_FRIENDS_CHOSEN, "friends")

    with pytest.raises(ValidationError) as exc_info:
        services.ask_create(asker=ana, product=product_make("Boots"), all_friends=True)
    assert _code(exc_info) == (AskError.NO_FRIENDS_CHOSEN, "friends")


def test_a_note_too_long_is_refused_on_its_field(ana, ben):
    with pytest.raises(ValidationError) as exc_info:
        services.ask_create(asker=ana, product=product_make(), friends=[ben], note="x" * 501)
    assert _code(exc_info) == (AskError.TOO_LONG, "note")


def test_asking_again_adds_the_friends_not_yet_asked_to_the_open_ask(ana, ben, cleo):
    product = product_make()
    first = ask_make(ana, ben, product=product)

    put = services.ask_create(asker=ana, product=product, friends=[ben, cleo])

    assert not put.created and put.ask.pk == first.pk
    assert [p.username for p in put.asked] == ["cleo"]
    assert Ask.objects.count() == 1
    assert AskRecipient.objects.filter(ask=first).count() == 2
    assert Notification.objects.filter(kind="ask_received").count() == 2
    cleo_items = ActivityRecipient.objects.filter(user=cleo, activity__verb="ask")
    assert cleo_items.count() == 1


def test_asking_the_same_friends_again_says_so_plainly(ana, ben):
    product = product_make()
    ask_make(ana, ben, product=product)

    with pytest.raises(ValidationError) as exc_info:
        services.ask_create(asker=ana, product=product, friends=[ben])

    assert _code(exc_info) == (AskError.ALREADY_ASKED, "friends")
    assert "already asked Ben" in exc_info.value.message


def test_after_an_ask_closes_a_new_one_can_be_opened(ana, ben):
    product = product_make()
    first = ask_make(ana, ben, product=product)
    services.ask_close(ask=first, user=ana)

    second = services.ask_create(asker=ana, product=product, friends=[ben])

    assert second.created and second.ask.pk != first.pk


def test_an_ask_past_its_seven_days_does_not_block_a_new_one(ana, ben):
    product = product_make()
    first = ask_make(ana, ben, product=product)
    Ask.objects.filter(pk=first.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    second = services.ask_create(asker=ana, product=product, friends=[ben])

    assert second.created
    first.refresh_from_db()
    assert first.closed_reason == "expired"


# --- answers and the tally ----------------------------------------------------------------------


def _tally(ask) -> tuple[int, int]:
    ask.refresh_from_db()
    return ask.yes_count, ask.no_count


def test_a_first_answer_counts_once(ana, ben, cleo):
    ask = ask_make(ana, ben, cleo)

    services.ask_answer(ask=ask, friend=ben, yes=True, comment="Go for it")
    services.ask_answer(ask=ask, friend=cleo, yes=False)

    assert _tally(ask) == (1, 1)
    assert AskAnswer.objects.get(friend=ben).comment == "Go for it"


def test_changing_an_answer_moves_one_count_and_repeating_it_moves_none(ana, ben, cleo):
    ask = ask_make(ana, ben, cleo)
    services.ask_answer(ask=ask, friend=ben, yes=True)
    services.ask_answer(ask=ask, friend=cleo, yes=True)

    services.ask_answer(ask=ask, friend=ben, yes=False, comment="Actually, no")
    assert _tally(ask) == (1, 1)
    services.ask_answer(ask=ask, friend=ben, yes=False, comment="Still no")
    assert _tally(ask) == (1, 1)
    services.ask_answer(ask=ask, friend=ben, yes=True)
    assert _tally(ask) == (2, 0)

    assert AskAnswer.objects.filter(ask=ask).count() == 2


def test_the_asker_is_notified_of_each_answer(ana, ben):
    from social.notifications.kinds import notification_kind_get

    ask = ask_make(ana, ben, product=product_make("Trail Jacket"))

    services.ask_answer(ask=ask, friend=ben, yes=False, comment="Too warm")

    notification = Notification.objects.get(recipient=ana, kind="ask_answered")
    text = notification_kind_get("ask_answered").render(actor="Ben", data=notification.data)
    assert text == "Ben answered your question about Trail Jacket: No"
    assert notification.url == f"/asks/{ask.pk}/"


def test_only_a_friend_asked_may_answer(ana, ben, cleo):
    ask = ask_make(ana, ben)  # Cleo is Ana's friend, not asked

    with pytest.raises(ValidationError) as exc_info:
        services.ask_answer(ask=ask, friend=cleo, yes=True)
    assert exc_info.value.code == AskError.NOT_ASKED
    with pytest.raises(ValidationError):
        services.ask_answer(ask=ask, friend=ana, yes=True)
    assert _tally(ask) == (0, 0)


def test_a_closed_or_expired_ask_takes_no_answer(ana, ben, cleo):
    withdrawn = ask_make(ana, ben, product=product_make("A"))
    services.ask_close(ask=withdrawn, user=ana)
    expired = ask_make(ana, cleo, product=product_make("B"))
    Ask.objects.filter(pk=expired.pk).update(closes_at=timezone.now() - timedelta(minutes=1))

    for ask, friend in ((withdrawn, ben), (expired, cleo)):
        with pytest.raises(ValidationError) as exc_info:
            services.ask_answer(ask=ask, friend=friend, yes=True)
        assert exc_info.value.code == AskError.CLOSED
        assert _tally(ask) == (0, 0)
    assert not AskAnswer.objects.exists()


def test_a_comment_too_long_is_refused_on_its_field(ana, ben):
    ask = ask_make(ana, ben)
    with pytest.raises(ValidationError) as exc_info:
        services.ask_answer(ask=ask, friend=ben, yes=True, comment="x" * 501)
    assert _code(exc_info) == (AskError.TOO_LONG, "comment")


def test_a_block_after_the_answer_takes_it_out_of_the_tally(
    ana, ben, cleo, django_capture_on_commit_callbacks
):
    ask = ask_make(ana, ben, cleo)
    services.ask_answer(ask=ask, friend=ben, yes=False)
    services.ask_answer(ask=ask, friend=cleo, yes=True)

    with django_capture_on_commit_callbacks(execute=True):
        graph.person_block(blocker=ben, person=ana)

    assert _tally(ask) == (1, 0)
    assert not AskRecipient.objects.filter(ask=ask, user=ben).exists()


# --- closing ----------------------------------------------------------------------------------


def test_the_asker_withdraws_and_no_one_else_can(ana, ben):
    ask = ask_make(ana, ben)

    with pytest.raises(ValidationError) as exc_info:
        services.ask_close(ask=ask, user=ben)
    assert exc_info.value.code == AskError.NOT_YOURS
    services.ask_close(ask=ask, user=ana)

    ask.refresh_from_db()
    assert ask.closed_reason == "withdrawn" and not ask.is_open
    with pytest.raises(ValidationError) as exc_info:
        services.ask_close(ask=ask, user=ana)
    assert exc_info.value.code == AskError.CLOSED


def test_expiring_twice_closes_once(ana, ben, cleo):
    old = ask_make(ana, ben, product=product_make("Old"))
    fresh = ask_make(ana, cleo, product=product_make("Fresh"))
    closes_at = timezone.now() - timedelta(hours=1)
    Ask.objects.filter(pk=old.pk).update(closes_at=closes_at)

    assert services.asks_expire() == 1
    assert services.asks_expire() == 0

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.closed_reason, old.closed_at) == ("expired", closes_at)
    assert fresh.is_open and fresh.closed_reason == ""


def test_the_beat_task_expires_and_is_scheduled(ana, ben, settings):
    from social.likes.ask_tasks import asks_expire

    ask = ask_make(ana, ben)
    Ask.objects.filter(pk=ask.pk).update(closes_at=timezone.now() - timedelta(hours=1))

    assert asks_expire.delay().get() == 1
    assert asks_expire.delay().get() == 0
    schedule = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "social.likes.ask_tasks.asks_expire" in schedule
