"""Sharing a product: as a link, to chosen friends (told by a notification and a private feed
item), to another network; who may be chosen; the daily limit; the errors' fields."""

import pytest
from django.utils import timezone

from shop.core.errors import DomainError, RateLimitError
from social.feed.models import Activity, FeedItem
from social.graph import services as graph
from social.likes import share_services
from social.likes.models import Share, ShareRecipient
from social.notifications.kinds import notification_kind_get
from social.notifications.models import Notification
from tests.factories import ProductFactory, UserFactory, friends_make

pytestmark = pytest.mark.django_db


def person(username):
    return UserFactory(username=username, display_name=username.title(), last_login=timezone.now())


@pytest.fixture
def product():
    return ProductFactory(title="Trail Jacket", slug="trail-jacket")


def _share(sharer, product, capture, **kw):
    with capture(execute=True):
        return share_services.share_create(sharer=sharer, product=product, **kw)


def test_a_link_share_has_a_random_token_and_the_product_url_with_it(product):
    ana = person("ana")

    share = share_services.share_create(sharer=ana, product=product, channel="link")

    assert len(share.token) >= 16
    assert share_services.share_url(share) == f"/products/trail-jacket/?s={share.token}"
    assert share_services.share_absolute_url(share).endswith(
        f"/products/trail-jacket/?s={share.token}"
    )
    other = share_services.share_create(sharer=ana, product=product, channel="link")
    assert other.token != share.token


def test_friends_get_a_notification_and_a_private_feed_item_no_one_else_does(
    product, django_capture_on_commit_callbacks
):
    ana, ben, cleo, dan = person("ana"), person("ben"), person("cleo"), person("dan")
    friends_make(ana, ben, cleo, dan)

    share = _share(
        ana,
        product,
        django_capture_on_commit_callbacks,
        channel="friends",
        recipient_ids=[ben.pk, cleo.pk],
        message="For our hike?",
    )

    assert set(ShareRecipient.objects.filter(share=share).values_list("user_id", flat=True)) == {
        ben.pk,
        cleo.pk,
    }
    notes = Notification.objects.filter(kind="share_received")
    assert sorted(n.recipient_id for n in notes) == sorted([ben.pk, cleo.pk])
    note = notes.get(recipient=ben)
    assert note.url == f"/products/trail-jacket/?s={share.token}"
    kind = notification_kind_get("share_received")
    assert kind.render(actor="Ana", data=note.data) == "Ana shared Trail Jacket with you"
    activity = Activity.objects.get(verb="share")
    assert activity.visibility == "private" and activity.has_recipients
    assert activity.snapshot["url"] == f"/products/trail-jacket/?s={share.token}"
    assert set(FeedItem.objects.filter(activity=activity).values_list("owner_id", flat=True)) == {
        ben.pk,
        cleo.pk,
    }


def test_a_stranger_cannot_be_chosen(product):
    ana, stranger = person("ana"), person("stranger")

    with pytest.raises(DomainError) as error:
        share_services.share_create(
            sharer=ana, product=product, channel="friends", recipient_ids=[stranger.pk]
        )

    assert error.value.code == "not_a_friend" and error.value.field == "recipients"
    assert not Share.objects.exists()


@pytest.mark.parametrize("who_blocks", ["sharer", "friend"])
def test_a_blocked_person_is_never_shared_with_even_when_chosen(product, who_blocks):
    ana, ben = person("ana"), person("ben")
    friends_make(ana, ben)
    if who_blocks == "sharer":
        graph.person_block(blocker=ana, person=ben)
    else:
        graph.person_block(blocker=ben, person=ana)
    # As if the friendship were still there (a stale form, a race): the block still wins.
    friends_make(ana, ben)

    with pytest.raises(DomainError) as error:
        share_services.share_create(
            sharer=ana, product=product, channel="friends", recipient_ids=[ben.pk]
        )

    assert error.value.code == "not_a_friend"
    assert not Notification.objects.filter(recipient=ben).exists()


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"channel": "pigeon"}, "invalid_channel", "channel"),
        ({"channel": "network", "network": "myspace"}, "invalid_network", "network"),
        ({"channel": "friends", "recipient_ids": []}, "no_recipients", "recipients"),
        ({"channel": "friends", "recipient_ids": ["x"]}, "not_a_friend", "recipients"),
        (
            {"channel": "friends", "recipient_ids": list(range(1, 60))},
            "too_many_recipients",
            "recipients",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(product, fields, code, field):
    ana = person("ana")

    with pytest.raises(DomainError) as error:
        share_services.share_create(sharer=ana, product=product, **fields)

    assert (error.value.code, error.value.field) == (code, field)


@pytest.mark.parametrize("message", ["x" * 501, "hi\x00there", "bell\x07"])
def test_a_too_long_or_garbled_message_is_refused(product, message):
    ana, ben = person("ana"), person("ben")
    friends_make(ana, ben)

    with pytest.raises(DomainError) as error:
        share_services.share_create(
            sharer=ana,
            product=product,
            channel="friends",
            recipient_ids=[ben.pk],
            message=message,
        )

    assert (error.value.code, error.value.field) == ("invalid_message", "message")


def test_an_unpublished_product_cannot_be_shared():
    ana = person("ana")
    hidden = ProductFactory(is_published=False)

    with pytest.raises(DomainError) as error:
        share_services.share_create(sharer=ana, product=hidden, channel="link")

    assert (error.value.code, error.value.field) == ("product_unavailable", "product")


def test_shares_past_the_daily_limit_are_refused_with_a_clear_message(product, settings):
    settings.SHARES_PER_DAY = 3
    ana = person("ana")
    for _ in range(3):
        share_services.share_create(sharer=ana, product=product, channel="link")

    with pytest.raises(RateLimitError) as error:
        share_services.share_create(sharer=ana, product=product, channel="link")

    assert error.value.code == "rate_limited"
    assert "3 times today" in error.value.message
    assert Share.objects.count() == 3
    # Another person is not limited by Ana's shares.
    share_services.share_create(sharer=person("ben"), product=product, channel="link")


def test_shares_older_than_a_day_do_not_count_against_the_limit(product, settings):
    settings.SHARES_PER_DAY = 1
    ana = person("ana")
    old = share_services.share_create(sharer=ana, product=product, channel="link")
    Share.objects.filter(pk=old.pk).update(created_at=timezone.now() - timezone.timedelta(hours=25))

    share_services.share_create(sharer=ana, product=product, channel="link")

    assert Share.objects.count() == 2


def test_a_network_share_keeps_its_network(product):
    share = share_services.share_create(
        sharer=person("ana"), product=product, channel="network", network="whatsapp"
    )

    assert (share.channel, share.network) == ("network", "whatsapp")
