"""Price-drop and back-in-stock alerts: a variant's price going down or its stock coming back
(the catalogue's events) tells each active owner of a wish of it once per event, by a
notification and an email as their preference says; never a word of claims."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gifting.wishlists import alert_services, services, tasks
from gifting.wishlists.alert_kinds import BACK_IN_STOCK_KIND, PRICE_DROP_KIND
from gifting.wishlists.receivers import BACK_IN_STOCK_TOPIC, PRICE_DROPPED_TOPIC
from shop.catalog import services as catalog
from shop.core.models import OutboxMessage
from social.notifications import services as notifications
from social.notifications.models import Notification
from tests.factories import ProductFactory, UserFactory, VariantFactory, friends_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana():
    return UserFactory(username="ana", display_name="Ana", email="ana@example.com")


@pytest.fixture
def jacket():
    product = ProductFactory(title="Trail Jacket", with_variants=0)
    return VariantFactory(product=product, name="M", price=12000, stock=3)


def _wish(owner, variant, *, title="Birthday"):
    wishlist = services.wishlist_create(owner=owner, title=title, visibility="friends")
    return services.wishlist_item_add(wishlist=wishlist, variant_id=variant.pk)


def _set(variant, capture, **changes):
    """Change VARIANT as the merchant's admin does, and run what follows the commit."""
    for name, value in changes.items():
        setattr(variant, name, value)
    with capture(execute=True):
        catalog.variant_save(variant=variant)


def _told(person, kind=PRICE_DROP_KIND):
    return list(Notification.objects.filter(recipient=person, kind=kind))


def test_a_price_drop_tells_the_owner_what_it_costs_now_and_emails_them(
    client, ana, jacket, django_capture_on_commit_callbacks
):
    item = _wish(ana, jacket)

    _set(jacket, django_capture_on_commit_callbacks, price=9900)

    (told,) = _told(ana)
    assert told.url == f"/wishlists/{item.wishlist.token}/#wish-{item.pk}"
    client.force_login(ana)
    page = client.get("/notifications/").content.decode()
    assert "Trail Jacket – M on your list “Birthday” is now €99.00 (was €120.00)" in page
    (email,) = mail.outbox
    assert email.to == ["ana@example.com"]
    assert "is now €99.00 (was €120.00)" in email.body


def test_back_in_stock_tells_the_owner(ana, jacket, django_capture_on_commit_callbacks):
    _wish(ana, jacket)
    _set(jacket, django_capture_on_commit_callbacks, stock=0)

    _set(jacket, django_capture_on_commit_callbacks, stock=5)

    (told,) = _told(ana, BACK_IN_STOCK_KIND)
    assert told.data == {"product": "Trail Jacket – M", "wishlist": "Birthday"}
    assert len(mail.outbox) == 1


def test_the_task_run_twice_tells_once(ana, jacket, django_capture_on_commit_callbacks):
    _wish(ana, jacket)
    jacket.price = 9900
    jacket.save()
    payload = {"variant_id": jacket.pk, "old_price": 12000, "new_price": 9900, "event": "e1"}

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.price_drop_notify(**payload)
        second = tasks.price_drop_notify(**payload)

    assert (first, second) == (1, 0)
    assert len(_told(ana)) == 1 and len(mail.outbox) == 1


def test_a_later_drop_tells_again_even_to_the_same_price(
    ana, jacket, django_capture_on_commit_callbacks
):
    _wish(ana, jacket)
    _set(jacket, django_capture_on_commit_callbacks, price=9900)
    _set(jacket, django_capture_on_commit_callbacks, price=12000)  # back up: nothing said

    _set(jacket, django_capture_on_commit_callbacks, price=9900)
    _set(jacket, django_capture_on_commit_callbacks, price=8000)

    texts = [n.data["price"] for n in _told(ana)]
    assert sorted(texts) == ["€80.00", "€99.00", "€99.00"]


def test_with_the_email_off_the_owner_is_told_on_the_site_only(
    ana, jacket, django_capture_on_commit_callbacks
):
    _wish(ana, jacket)
    notifications.preferences_update(user=ana, deliveries={PRICE_DROP_KIND: "off"})

    _set(jacket, django_capture_on_commit_callbacks, price=9900)

    assert len(_told(ana)) == 1
    assert mail.outbox == []


def test_owners_of_two_lists_are_each_told_once(ana, jacket, django_capture_on_commit_callbacks):
    ben = UserFactory(username="ben", email="ben@example.com")
    _wish(ana, jacket, title="Birthday")
    _wish(ana, jacket, title="Ideas")
    _wish(ben, jacket, title="Christmas")

    _set(jacket, django_capture_on_commit_callbacks, price=9900)

    assert [n.data["wishlist"] for n in _told(ana)] == ["Birthday"]
    assert [n.data["wishlist"] for n in _told(ben)] == ["Christmas"]
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.com", "ben@example.com"]


def test_a_deactivated_owner_is_not_told(ana, jacket, django_capture_on_commit_callbacks):
    _wish(ana, jacket)
    ana.is_active = False
    ana.save()

    _set(jacket, django_capture_on_commit_callbacks, price=9900)
    _set(jacket, django_capture_on_commit_callbacks, stock=0)
    _set(jacket, django_capture_on_commit_callbacks, stock=2)

    assert Notification.objects.filter(recipient=ana).count() == 0
    assert mail.outbox == []


def test_a_claimed_wish_is_told_like_any_other_and_names_no_claimer(
    client, ana, jacket, django_capture_on_commit_callbacks
):
    ben = UserFactory(username="ben", display_name="Ben")
    friends_make(ana, ben)
    item = _wish(ana, jacket)
    services.claim_create(item=item, claimer=ben)

    _set(jacket, django_capture_on_commit_callbacks, price=9900)

    (told,) = _told(ana)
    assert told.actor is None
    client.force_login(ana)
    page = client.get("/notifications/").content.decode()
    assert "is now €99.00" in page and "Ben" not in page
    assert "Ben" not in mail.outbox[0].body and "claim" not in mail.outbox[0].body.lower()


def test_an_unpublished_product_tells_nobody(ana, jacket, django_capture_on_commit_callbacks):
    _wish(ana, jacket)
    jacket.product.is_published = False
    jacket.product.save()

    _set(jacket, django_capture_on_commit_callbacks, price=9900)

    assert _told(ana) == []


def test_a_drop_undone_before_the_task_ran_tells_nobody(ana, jacket):
    _wish(ana, jacket)  # the task runs late: the price went back up meanwhile

    told = tasks.price_drop_notify(
        variant_id=jacket.pk, old_price=15000, new_price=9900, event="late"
    )

    assert told == 0 and _told(ana) == []


def test_stock_gone_again_before_the_task_ran_tells_nobody(ana, jacket):
    _wish(ana, jacket)
    jacket.stock = 0
    jacket.save()

    assert tasks.back_in_stock_notify(variant_id=jacket.pk, event="late") == 0
    assert _told(ana, BACK_IN_STOCK_KIND) == []


def test_a_variant_on_no_list_costs_no_outbox_row(jacket, django_capture_on_commit_callbacks):
    _set(jacket, django_capture_on_commit_callbacks, price=9900)
    _set(jacket, django_capture_on_commit_callbacks, stock=0)
    _set(jacket, django_capture_on_commit_callbacks, stock=1)

    topics = [PRICE_DROPPED_TOPIC, BACK_IN_STOCK_TOPIC]
    assert not OutboxMessage.objects.filter(topic__in=topics).exists()


def test_the_event_waits_in_the_outbox_while_the_broker_is_down(
    ana, jacket, django_capture_on_commit_callbacks, monkeypatch
):
    from shop.core import outbox

    _wish(ana, jacket)
    monkeypatch.setattr(outbox, "task_enqueue", lambda task, **kwargs: False)

    _set(jacket, django_capture_on_commit_callbacks, price=9900)

    row = OutboxMessage.objects.get(topic=PRICE_DROPPED_TOPIC, sent_at__isnull=True)
    assert _told(ana) == []
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_deliver(message_id=row.pk)
        assert not outbox.outbox_deliver(message_id=row.pk)  # once
    assert len(_told(ana)) == 1


@pytest.mark.parametrize("owners", [5, 9])
def test_wishes_are_read_a_chunk_at_a_time_with_one_query_each(
    jacket, monkeypatch, owners, django_capture_on_commit_callbacks
):
    people = UserFactory.create_batch(owners)
    for person in people:
        _wish(person, jacket)
    monkeypatch.setattr(alert_services, "ALERT_CHUNK", 2)
    jacket.price = 9900
    jacket.save()

    with CaptureQueriesContext(connection) as queries:
        told = tasks.price_drop_notify(
            variant_id=jacket.pk, old_price=12000, new_price=9900, event="big"
        )

    item_reads = [q for q in queries if 'FROM "wishlists_wishlistitem"' in q["sql"]]
    assert told == owners
    assert len(item_reads) == owners // 2 + 1 + (owners % 2)  # the chunks, then an empty one
