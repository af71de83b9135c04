"""The pools' API: open a pool (from a wish, a product, or a free amount), read it as one may,
chip in signed in or as a guest (paid through the fake gateway), the organiser's transitions,
and the printable card. Bad input answers 400 naming the field; a pool one may not see, 404."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from gifting.pools import contributions, selectors, services
from gifting.pools.models import Contribution, Pool
from shop.payments.models import Payment
from tests.factories import (
    AddressFactory,
    UserFactory,
    friends_make,
    variant_make,
)
from tests.gifting.pools.helpers import pool_make

pytestmark = pytest.mark.django_db

CARD = "4242424242424242"
DECLINED = "4000000000000002"


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _deadline(days=7) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


@pytest.fixture
def people():
    ana, ben, chloe = (
        UserFactory(username=n, display_name=n.title()) for n in ("ana", "ben", "chloe")
    )
    friends_make(ana, ben, chloe)
    return ana, ben, chloe


def _wish(owner, *, price=2_500):
    from gifting.wishlists import services as wishlist_services

    wishlist = wishlist_services.wishlist_create(
        owner=owner,
        title="Birthday",
        visibility="friends",
        shipping_address=AddressFactory(user=owner, line1="7 Hidden Lane"),
    )
    variant = variant_make(price=price, title="Matrix Jacket")
    return wishlist_services.wishlist_item_add(wishlist=wishlist, variant_id=variant.pk)


def test_a_friend_opens_a_pool_for_a_wish_and_never_reads_the_address(people, method):
    ana, ben, _ = people
    item = _wish(ana)

    response = _client(ben).post(
        "/api/v1/pools",
        {
            "source": "wish",
            "item": item.pk,
            "shipping_method": method.pk,
            "deadline": _deadline(),
            "visibility": "friends",
            "message": "For Ana",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["is_organiser"] and body["state"] == "open" and body["recipient"] == "Ana"
    assert body["target"] == 2_500 + 490 and body["collected"] == 0
    assert "7 Hidden Lane" not in response.content.decode()
    assert body["token"] == Pool.objects.get().token


def test_a_product_pool_needs_an_address_named_by_its_field(people, method):
    _, ben, _ = people
    variant = variant_make(price=3_000)

    response = _client(ben).post(
        "/api/v1/pools",
        {
            "source": "variant",
            "variant": variant.pk,
            "shipping_method": method.pk,
            "recipient_name": "Grandma",
            "deadline": _deadline(),
            "visibility": "link",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "address" in response.json()["errors"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deadline": "2001-01-01T00:00:00Z"}, "deadline"),
        ({"visibility": "private"}, "visibility"),
        ({"target": None}, "target"),
        ({"minimum": 50}, "minimum"),
        ({"recipient": "nobody-here"}, "recipient"),
    ],
)
def test_a_free_amount_pool_refuses_bad_input_naming_the_field(people, change, field):
    _, ben, _ = people
    data = {
        "source": "amount",
        "target": 5_000,
        "recipient_name": "Ana",
        "deadline": _deadline(),
        "visibility": "link",
        **change,
    }
    data = {k: v for k, v in data.items() if v is not None}

    response = _client(ben).post("/api/v1/pools", data, format="json")

    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert not Pool.objects.exists()


def test_opening_a_pool_needs_signing_in():
    response = _client().post("/api/v1/pools", {"source": "amount"}, format="json")

    assert response.status_code in (401, 403)


def test_a_guest_chips_in_through_the_link_and_pays(people):
    _, ben, _ = people
    pool = pool_make(ben, target=5_000, visibility="link")

    response = _client().post(
        f"/api/v1/pools/{pool.pk}/contributions?token={pool.token}",
        {
            "amount": 2_000,
            "guest_name": "Gus",
            "guest_email": "gus@example.com",
            "message": "Have fun!",
            "payment_method": CARD,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "succeeded"
    assert response.json()["payment_status"] == "succeeded"
    pool.refresh_from_db()
    assert (pool.collected, pool.reserved) == (2_000, 0)
    listed = _client().get(f"/api/v1/pools/{pool.token}").json()["contributors"]
    assert [(c["name"], c["amount"], c["message"]) for c in listed] == [("Gus", 2_000, "Have fun!")]


def test_a_declined_card_releases_the_reservation(people):
    _, ben, chloe = people
    pool = pool_make(ben, target=5_000, visibility="link")

    response = _client(chloe).post(
        f"/api/v1/pools/{pool.pk}/contributions?token={pool.token}",
        {"amount": 2_000, "payment_method": DECLINED},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["payment_status"] == "failed"
    assert response.json()["status"] == "released" and response.json()["error_message"]
    pool.refresh_from_db()
    assert (pool.collected, pool.reserved) == (0, 0)


def test_the_same_idempotency_key_never_chips_in_twice(people):
    _, ben, chloe = people
    pool = pool_make(ben, target=5_000, visibility="link")
    url = f"/api/v1/pools/{pool.pk}/contributions?token={pool.token}"
    data = {"amount": 1_500, "payment_method": CARD, "idempotency_key": "retry-me-1"}

    first = _client(chloe).post(url, data, format="json")
    again = _client(chloe).post(url, data, format="json")

    assert first.json()["id"] == again.json()["id"]
    assert Payment.objects.filter(reference__startswith="pool-contribution:").count() == 1
    pool.refresh_from_db()
    assert pool.collected == 1_500


def test_too_much_is_refused_offering_what_is_left(people):
    _, ben, chloe = people
    pool = pool_make(ben, target=5_000, visibility="link")

    response = _client(chloe).post(
        f"/api/v1/pools/{pool.pk}/contributions?token={pool.token}",
        {"amount": 6_000, "payment_method": CARD},
        format="json",
    )

    assert response.status_code == 400
    error = response.json()["errors"]["amount"][0]
    assert error["code"] == "pool_full" and "50.00" in error["message"]


def test_a_guest_without_an_email_is_told_which_field(people):
    _, ben, _ = people
    pool = pool_make(ben, target=5_000, visibility="link")

    response = _client().post(
        f"/api/v1/pools/{pool.pk}/contributions?token={pool.token}",
        {"amount": 500, "guest_name": "Gus", "payment_method": CARD},
        format="json",
    )

    assert response.status_code == 400
    assert "guest_email" in response.json()["errors"]


def test_a_link_pool_named_by_its_id_is_hidden_from_a_stranger_without_the_token(people):
    _, ben, _ = people
    stranger = UserFactory()
    pool = pool_make(ben, visibility="link")

    assert _client(stranger).get(f"/api/v1/pools/{pool.pk}").status_code == 404
    assert _client(stranger).get(f"/api/v1/pools/{pool.pk}?token={pool.token}").status_code == 200
    assert _client(stranger).get(f"/api/v1/pools/{pool.pk}?token=wrong").status_code == 404


def test_hidden_amounts_are_null_for_others_and_shown_to_the_organiser(people):
    _, ben, chloe = people
    pool = pool_make(ben, target=5_000, visibility="link", show_amounts=False)
    contribution = contributions.contribution_reserve(pool=pool, contributor=chloe, amount=1_234)
    contributions.contribution_succeed(contribution=contribution)

    seen = _client(UserFactory()).get(f"/api/v1/pools/{pool.token}").json()
    organiser = _client(ben).get(f"/api/v1/pools/{pool.pk}").json()

    assert (seen["collected"], seen["target"], seen["remaining"]) == (None, None, None)
    assert seen["contributors"][0]["amount"] is None and seen["percent"] == 24
    assert "token" not in seen
    assert organiser["collected"] == 1_234 and organiser["contributors"][0]["amount"] == 1_234


def test_only_the_organiser_may_close_and_closing_refunds(people):
    _, ben, chloe = people
    pool = pool_make(ben, target=5_000, visibility="link")
    _client(chloe).post(
        f"/api/v1/pools/{pool.pk}/contributions?token={pool.token}",
        {"amount": 1_000, "payment_method": CARD},
        format="json",
    )

    refused = _client(chloe).post(f"/api/v1/pools/{pool.pk}/close?token={pool.token}")
    closed = _client(ben).post(f"/api/v1/pools/{pool.pk}/close")

    assert refused.status_code == 404
    assert closed.status_code == 200 and closed.json()["state"] in ("cancelled", "refunded")
    assert Contribution.objects.get().refunds.count() == 1


def test_an_expired_pool_is_extended_once(people):
    _, ben, _ = people
    pool = pool_make(ben, visibility="link")
    services.pool_expire(pool=pool)

    first = _client(ben).post(
        f"/api/v1/pools/{pool.pk}/extend", {"deadline": _deadline(3)}, format="json"
    )
    services.pool_expire(pool=Pool.objects.get(pk=pool.pk))
    second = _client(ben).post(
        f"/api/v1/pools/{pool.pk}/extend", {"deadline": _deadline(5)}, format="json"
    )

    assert first.status_code == 200 and first.json()["state"] == "open"
    assert second.status_code == 400 and "deadline" in second.json()["errors"]


def test_the_organiser_tops_up_what_is_left_and_the_pool_is_funded(people):
    _, ben, chloe = people
    pool = pool_make(ben, target=5_000, visibility="link")
    contribution = contributions.contribution_reserve(pool=pool, contributor=chloe, amount=1_000)
    contributions.contribution_succeed(contribution=contribution)
    services.pool_expire(pool=Pool.objects.get(pk=pool.pk))

    response = _client(ben).post(
        f"/api/v1/pools/{pool.pk}/top-up", {"payment_method": CARD}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "funded" and response.json()["collected"] == 5_000


def test_switching_to_a_cheaper_gift_refunds_the_surplus(people, method):
    _, ben, chloe = people
    pool = pool_make(ben, target=6_000, visibility="link")
    for amount in (3_000, 2_000):
        contribution = contributions.contribution_reserve(
            pool=pool, contributor=chloe, amount=amount
        )
        contributions.contribution_succeed(contribution=contribution)
    pool.refresh_from_db()
    cheaper = variant_make(price=3_510)

    response = _client(ben).post(
        f"/api/v1/pools/{pool.pk}/switch",
        {"variant": cheaper.pk, "shipping_method": method.pk},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["target"] == 4_000 and response.json()["collected"] == 4_000
    assert sum(r.amount for c in Contribution.objects.all() for r in c.refunds.all()) == 1_000


def test_a_pool_for_an_amount_filled_first_gets_its_gift_through_switch_at_most_its_money(
    people, method
):
    _, ben, chloe = people
    pool = pool_make(ben, target=6_000, visibility="link")
    contribution = contributions.contribution_reserve(pool=pool, contributor=chloe, amount=6_000)
    contributions.contribution_succeed(contribution=contribution)
    url = f"/api/v1/pools/{pool.pk}/switch"

    dearer = _client(ben).post(
        url, {"variant": variant_make(price=5_600).pk, "shipping_method": method.pk}, format="json"
    )
    cheaper = _client(ben).post(
        url, {"variant": variant_make(price=5_000).pk, "shipping_method": method.pk}, format="json"
    )

    assert dearer.status_code == 400
    error = dearer.json()["errors"]["variant"][0]
    assert error["code"] == "gift_too_dear" and "at most €60.00" in error["message"]
    assert cheaper.status_code == 200, cheaper.json()
    answer = cheaper.json()
    assert (answer["state"], answer["target"], answer["collected"]) == ("funded", 5_490, 5_490)
    assert answer["actions"] == ["close", "order"]
    assert sum(r.amount for r in contribution.refunds.all()) == 510


def test_switching_to_an_unknown_shipping_method_is_a_field_error(people):
    _, ben, _ = people
    pool = pool_make(ben, visibility="link")

    response = _client(ben).post(
        f"/api/v1/pools/{pool.pk}/switch",
        {"variant": variant_make().pk, "shipping_method": 999_999},
        format="json",
    )

    assert response.status_code == 400 and "shipping_method" in response.json()["errors"]


def test_my_pools_lists_what_i_organised_and_chipped_in_to(people):
    ana, ben, chloe = people
    mine = pool_make(ben, visibility="link")
    theirs = pool_make(chloe, visibility="link", recipient=ana, recipient_name="")
    contribution = contributions.contribution_reserve(pool=theirs, contributor=ben, amount=700)
    contributions.contribution_succeed(contribution=contribution)

    listed = _client(ben).get("/api/v1/pools").json()

    assert [p["id"] for p in listed] == [theirs.pk, mine.pk]
    assert listed[0]["my_amount"] == 700 and not listed[0]["is_organiser"]
    assert _client(ana).get("/api/v1/pools").json() == []  # the recipient lists nothing


def test_the_card_is_a_pdf_for_the_organiser_or_the_signed_link_once_ordered(people):
    _, ben, chloe = people
    pool = pool_make(ben, visibility="link")
    contribution = contributions.contribution_reserve(
        pool=pool, contributor=chloe, amount=1_000, message="Cheers"
    )
    contributions.contribution_succeed(contribution=contribution)
    Pool.objects.filter(pk=pool.pk).update(state=Pool.State.ORDERED)
    signature = selectors.pool_gift_signature(pool)

    organiser = _client(ben).get(f"/api/v1/pools/{pool.pk}/card")
    signed = _client().get(f"/api/v1/pools/{pool.pk}/card?s={signature}")
    unsigned = _client().get(f"/api/v1/pools/{pool.pk}/card")

    assert organiser.status_code == 200 and organiser["Content-Type"] == "application/pdf"
    assert signed.content.startswith(b"%PDF")
    assert unsigned.status_code == 404


def _pool_with(size: int, organiser):
    pool = pool_make(organiser, target=1_000 * (size + 1), visibility="link")
    for index in range(size):
        contribution = contributions.contribution_reserve(
            pool=pool, contributor=UserFactory(), amount=1_000, hide_name=index % 2 == 0
        )
        contributions.contribution_succeed(contribution=contribution)
    return pool


def test_a_pool_reads_in_the_same_queries_at_5_and_200_contributions(
    people, django_assert_num_queries
):
    _, ben, _ = people
    counts = []
    for size in (5, 200):
        pool = _pool_with(size, ben)
        client = _client(ben)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/pools/{pool.pk}")
        assert len(response.json()["contributors"]) == size
        counts.append(len(queries))
    with django_assert_num_queries(counts[0]):
        _client(ben).get(f"/api/v1/pools/{pool.pk}")
    assert counts[0] == counts[1]
