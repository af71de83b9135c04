"""Asks in admin: the operator lists, filters (open, closed) and searches; nothing is added
or edited there; merchant staff see nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from social.likes import ask_services as services
from social.likes.models import Ask
from tests.factories import MerchantFactory, UserFactory, friends_make
from tests.social.likes.asks_helpers import ask_make, person, product_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def asks():
    ana, ben = person("ana"), person("ben")
    friends_make(ana, ben)
    open_ask = ask_make(ana, ben, product=product_make("Trail Jacket"))
    services.ask_answer(ask=open_ask, friend=ben, yes=False, comment="Too warm")
    withdrawn = ask_make(ana, ben, product=product_make("Boots"))
    services.ask_close(ask=withdrawn, user=ana)
    expired = ask_make(ben, ana, product=product_make("Tent"))
    Ask.objects.filter(pk=expired.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    return open_ask, withdrawn, expired


def _ids(response) -> set[int]:
    return {ask.pk for ask in response.context["cl"].result_list}


def test_the_operator_filters_open_and_closed_asks(operator_client, asks):
    open_ask, withdrawn, expired = asks

    everything = operator_client.get("/admin/likes/ask/")
    opened = operator_client.get("/admin/likes/ask/", {"status": "open"})
    closed = operator_client.get("/admin/likes/ask/", {"status": "closed"})

    assert everything.status_code == 200 and _ids(everything) == {a.pk for a in asks}
    assert _ids(opened) == {open_ask.pk}
    # An ask past its 7 days is closed even before beat marks it.
    assert _ids(closed) == {withdrawn.pk, expired.pk}


def test_the_operator_searches_by_person_and_product(operator_client, asks):
    open_ask, _, expired = asks

    assert _ids(operator_client.get("/admin/likes/ask/", {"q": "Trail"})) == {open_ask.pk}
    assert _ids(operator_client.get("/admin/likes/ask/", {"q": "ben"})) == {expired.pk}
    assert _ids(operator_client.get("/admin/likes/ask/", {"q": "zzz-nobody"})) == set()


def test_an_ask_shows_its_answers_and_cannot_be_added_or_edited(operator_client, asks):
    open_ask = asks[0]

    page = operator_client.get(f"/admin/likes/ask/{open_ask.pk}/change/")

    assert page.status_code == 200 and "Too warm" in page.content.decode()
    assert operator_client.get("/admin/likes/ask/add/").status_code == 403
    response = operator_client.post(f"/admin/likes/ask/{open_ask.pk}/change/", {"note": "x"})
    assert response.status_code == 403
    open_ask.refresh_from_db()
    assert open_ask.note == ""


def test_merchant_staff_do_not_see_asks(client, asks):
    staff = UserFactory(is_staff=True)
    MerchantFactory(staff=[staff])
    client.force_login(staff)

    assert client.get("/admin/likes/ask/").status_code == 403
