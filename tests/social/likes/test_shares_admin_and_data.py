"""Shares in admin (the merchant's analytics, each merchant's staff their own products only)
and in "download my data" / "delete my account"."""

import pytest
from django.utils import timezone

from shop.catalog import services as catalog
from shop.core.personal_data import personal_data_erase, personal_data_export
from social.likes import share_services
from social.likes.models import Share, ShareRecipient, ShareVisit
from tests.factories import MerchantFactory, ProductFactory, UserFactory, friends_make

pytestmark = pytest.mark.django_db


def person(username):
    return UserFactory(username=username, display_name=username.title(), last_login=timezone.now())


@pytest.fixture
def two_merchants():
    alpha, beta = MerchantFactory(name="Alpha Outdoor"), MerchantFactory(name="Beta Home")
    jacket = ProductFactory(title="Trail Jacket", merchant=alpha)
    lamp = ProductFactory(title="Desk Lamp", merchant=beta)
    ana = person("ana")
    for product in (jacket, jacket, lamp):
        share = share_services.share_create(sharer=ana, product=product, channel="link")
        share_services.share_visit_record(share=share, visitor_key=f"v{share.pk}")
    return alpha, beta


def test_merchant_staff_see_the_shares_of_their_own_products_only(client, two_merchants):
    alpha, _ = two_merchants
    staff = UserFactory(username="alice")
    catalog.merchant_staff_add(merchant=alpha, user=staff)
    client.force_login(staff)

    response = client.get("/admin/likes/share/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Trail Jacket") >= 2 and "Desk Lamp" not in html
    totals = response.context_data["product_totals"]
    assert totals == [{"product__title": "Trail Jacket", "shares": 2, "visits": 2, "orders": 0}]


def test_staff_of_no_merchant_cannot_open_shares(client, two_merchants):
    client.force_login(UserFactory(username="bob", is_staff=True))

    assert client.get("/admin/likes/share/").status_code == 403


def test_the_operator_sees_every_share_and_filters_by_merchant(operator_client, two_merchants):
    _, beta = two_merchants

    everything = operator_client.get("/admin/likes/share/").content.decode()
    beta_only = operator_client.get("/admin/likes/share/", {"merchant": beta.pk}).content.decode()
    searched = operator_client.get("/admin/likes/share/", {"q": "lamp"}).content.decode()

    assert "Trail Jacket" in everything and "Desk Lamp" in everything
    assert "Desk Lamp" in beta_only and "Trail Jacket" not in beta_only
    assert "Desk Lamp" in searched and "Trail Jacket" not in searched


def test_no_one_adds_or_changes_a_share_in_admin(operator_client, two_merchants):
    share = Share.objects.first()

    assert operator_client.get("/admin/likes/share/add/").status_code == 403
    response = operator_client.post(f"/admin/likes/share/{share.pk}/change/", {"visit_count": 99})

    assert response.status_code == 403
    share.refresh_from_db()
    assert share.visit_count == 1


@pytest.mark.parametrize("n", [3, 30])
def test_the_admin_list_takes_the_same_queries_for_3_or_30_shares(
    operator_client, django_assert_num_queries, n
):
    product = ProductFactory()
    ana = person("ana")
    for _ in range(n):
        share_services.share_create(sharer=ana, product=product, channel="link")
    operator_client.get("/admin/likes/share/")

    # The session with its user, the list and its count(s), the merchant filter, the per-product
    # totals.
    with django_assert_num_queries(9):
        assert operator_client.get("/admin/likes/share/").status_code == 200


# --- personal data ------------------------------------------------------------------------


def test_the_export_holds_my_shares_what_was_shared_with_me_and_the_links_i_opened():
    ana, ben = person("ana"), person("ben")
    friends_make(ana, ben)
    jacket, lamp = ProductFactory(title="Trail Jacket"), ProductFactory(title="Desk Lamp")
    share_services.share_create(
        sharer=ana, product=jacket, channel="friends", recipient_ids=[ben.pk], message="Hike?"
    )
    theirs = share_services.share_create(sharer=ben, product=lamp, channel="link")
    share_services.share_visit_record(share=theirs, visitor_key="k", visitor=ana)

    data = personal_data_export(user=ana)["shares"]

    assert [(s["product"], s["channel"], s["message"], s["sent_to"]) for s in data["shares"]] == [
        ("Trail Jacket", "friends", "Hike?", 1)
    ]
    assert data["share_links_visited"][0]["product"] == "Desk Lamp"
    assert personal_data_export(user=ben)["shares"]["shared_with_me"][0]["by"] == "Ana"


def test_erasing_deletes_my_shares_and_unnames_my_visits():
    ana, ben = person("ana"), person("ben")
    friends_make(ana, ben)
    product = ProductFactory()
    share_services.share_create(
        sharer=ana, product=product, channel="friends", recipient_ids=[ben.pk]
    )
    theirs = share_services.share_create(sharer=ben, product=product, channel="link")
    share_services.share_visit_record(share=theirs, visitor_key="k", visitor=ana)
    mine_to_ben = share_services.share_create(
        sharer=ben, product=product, channel="friends", recipient_ids=[ana.pk]
    )

    personal_data_erase(user=ana)

    assert not Share.objects.filter(sharer=ana).exists()
    assert not ShareRecipient.objects.filter(user=ana).exists()
    visit = ShareVisit.objects.get()
    assert visit.visitor is None and visit.share == theirs
    assert Share.objects.filter(pk=mine_to_ben.pk).exists()
