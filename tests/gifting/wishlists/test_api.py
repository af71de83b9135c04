import pytest
from rest_framework.test import APIClient

from gifting.wishlists import services
from gifting.wishlists.models import Claim, Wishlist
from tests.factories import ProductFactory, UserFactory, friends_make
from tests.gifting.wishlists.helpers import wish_make

pytestmark = pytest.mark.django_db

CLAIM_FIELDS = {"taken", "left", "claims"}


@pytest.fixture
def people():
    ana, ben, chloe = (
        UserFactory(username=n, display_name=n.title()) for n in ("ana", "ben", "chloe")
    )
    friends_make(ana, ben, chloe)
    friends_make(ben, chloe)
    return ana, ben, chloe


def _as(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_make_a_list_and_add_a_wish(people):
    ana, _, _ = people
    variant = ProductFactory().variants.get()

    made = _as(ana).post("/api/v1/wishlists", {"title": "Birthday"}, format="json")
    added = _as(ana).post(
        f"/api/v1/wishlists/{made.json()['id']}/items",
        {"variant": variant.pk, "quantity": 2, "priority": 1},
        format="json",
    )

    assert made.status_code == 201 and made.json()["visibility"] == "friends"
    assert added.status_code == 201 and added.json()["quantity"] == 2
    assert not CLAIM_FIELDS & set(added.json())
    assert [w["title"] for w in _as(ana).get("/api/v1/wishlists").json()] == ["Birthday"]


def test_bad_input_names_the_field(people):
    ana, _, _ = people
    wishlist = services.wishlist_create(owner=ana, title="B")

    no_title = _as(ana).post("/api/v1/wishlists", {"title": ""}, format="json")
    bad_variant = _as(ana).post(
        f"/api/v1/wishlists/{wishlist.pk}/items", {"variant": 999999}, format="json"
    )

    assert no_title.status_code == 400 and "title" in no_title.json()["errors"]
    assert bad_variant.status_code == 400 and "variant" in bad_variant.json()["errors"]


def test_the_owners_view_never_carries_claim_fields_until_revealed(people):
    ana, ben, _ = people
    item = wish_make(ana)
    services.claim_create(item=item, claimer=ben)
    url = f"/api/v1/wishlists/{item.wishlist_id}"

    before = _as(ana).get(url).json()
    items = _as(ana).get(f"{url}/items").json()
    revealed = _as(ana).post(f"{url}/reveal").json()

    assert not CLAIM_FIELDS & set(before["items"][0]) and "Ben" not in str(before)
    assert not CLAIM_FIELDS & set(items[0])
    assert revealed["items"][0]["claims"][0]["name"] == "Ben"


def test_a_friend_claims_and_releases_and_another_sees_it(people):
    ana, ben, chloe = people
    item = wish_make(ana, wanted=2)
    url = f"/api/v1/wishlist-items/{item.pk}/claims"

    claimed = _as(ben).post(url, {"quantity": 2}, format="json")
    seen = _as(chloe).get(f"/api/v1/wishlists/{item.wishlist_id}").json()
    released = _as(ben).delete(url)

    assert claimed.status_code == 201 and claimed.json()["left"] == 0
    assert seen["items"][0]["claims"][0]["name"] == "Ben" and "token" not in seen
    assert released.status_code == 200 and released.json()["taken"] == 0


def test_the_last_unit_claimed_again_is_a_400_naming_quantity(people):
    ana, ben, chloe = people
    item = wish_make(ana)
    services.claim_create(item=item, claimer=ben)

    response = _as(chloe).post(f"/api/v1/wishlist-items/{item.pk}/claims", {}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["quantity"][0]["code"] == "sold_out"


def test_a_stranger_is_told_the_list_does_not_exist_and_cannot_claim(people):
    ana, _, _ = people
    item = wish_make(ana)
    stranger = UserFactory()

    assert _as(stranger).get(f"/api/v1/wishlists/{item.wishlist_id}").status_code == 404
    assert _as(None).get(f"/api/v1/wishlists/{item.wishlist_id}").status_code == 404
    claim = _as(stranger).post(f"/api/v1/wishlist-items/{item.pk}/claims", {}, format="json")
    assert claim.status_code == 404 and not Claim.objects.exists()


def test_a_link_holder_opens_a_link_list_with_its_token(people):
    ana, _, _ = people
    item = wish_make(ana, visibility="link")
    token = item.wishlist.token
    stranger = UserFactory()

    without = _as(stranger).get(f"/api/v1/wishlists/{item.wishlist_id}")
    with_token = _as(stranger).get(f"/api/v1/wishlists/{item.wishlist_id}?token={token}")
    claim = _as(stranger).post(
        f"/api/v1/wishlist-items/{item.pk}/claims?token={token}", {}, format="json"
    )

    assert without.status_code == 404 and with_token.status_code == 200
    assert claim.status_code == 201


def test_only_the_owner_edits_or_deletes(people):
    ana, ben, _ = people
    wishlist = wish_make(ana).wishlist
    url = f"/api/v1/wishlists/{wishlist.pk}"

    assert _as(ben).patch(url, {"title": "Mine"}, format="json").status_code == 404
    assert _as(ben).delete(url).status_code == 404
    renamed = _as(ana).patch(url, {"title": "Wedding"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["title"] == "Wedding"
    assert _as(ana).delete(url).status_code == 204 and not Wishlist.objects.exists()


@pytest.mark.parametrize("n", [5, 50])
def test_a_friends_view_takes_the_same_queries_whatever_the_wishes(
    django_assert_num_queries, people, n
):
    ana, ben, chloe = people
    wishlist = services.wishlist_create(owner=ana, title="Birthday")
    for product in ProductFactory.create_batch(n):
        item = services.wishlist_item_add(wishlist=wishlist, variant_id=product.variants.get().pk)
    services.claim_create(item=item, claimer=chloe)
    client = _as(ben)

    # the list (visible to ben), items, claims, claimers whose profile ben sees
    # (+1: the products' pictures, prefetched with the wishes)
    with django_assert_num_queries(5):
        assert client.get(f"/api/v1/wishlists/{wishlist.pk}").status_code == 200
