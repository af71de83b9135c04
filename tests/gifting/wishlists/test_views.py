from datetime import timedelta

import pytest
from django.utils import timezone

from gifting.wishlists import services
from gifting.wishlists.models import Claim, Wishlist
from tests.factories import ProductFactory, UserFactory, friends_make, privacy_set
from tests.gifting.wishlists.helpers import wish_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    ana, ben, chloe = (
        UserFactory(username=n, display_name=n.title()) for n in ("ana", "ben", "chloe")
    )
    friends_make(ana, ben, chloe)
    friends_make(ben, chloe)
    return ana, ben, chloe


def _as(client, user):
    client.force_login(user)
    return client


def test_making_a_list_from_my_lists(client, people):
    ana, _, _ = people

    response = _as(client, ana).post(
        "/wishlists/new/", {"title": "Birthday", "visibility": "friends", "occasion_on": ""}
    )

    wishlist = Wishlist.objects.get(owner=ana)
    assert response.status_code == 302 and response["Location"] == f"/wishlists/{wishlist.token}/"
    assert "Birthday" in client.get("/wishlists/").content.decode()


def test_a_list_without_a_name_is_a_form_error(client, people):
    ana, _, _ = people

    response = _as(client, ana).post("/wishlists/new/", {"title": "", "visibility": "friends"})

    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not Wishlist.objects.exists()


def test_a_friend_claims_and_another_sees_it_taken_by_them(client, people):
    ana, ben, chloe = people
    item = wish_make(ana)

    _as(client, ben).post(
        f"/wishlists/{item.wishlist.token}/items/{item.pk}/claim/", {"quantity": "1"}
    )
    page = _as(client, chloe).get(f"/wishlists/{item.wishlist.token}/").content.decode()

    assert "Taken by Ben" in page and "All taken" in page and "I’ll give this" not in page


def test_the_owner_page_shows_no_claim_until_revealed(client, people):
    ana, ben, _ = people
    item = wish_make(ana, occasion_on=timezone.localdate() + timedelta(days=30))
    services.claim_create(item=item, claimer=ben)
    url = f"/wishlists/{item.wishlist.token}/"

    before = _as(client, ana).get(url).content.decode()
    confirm = client.get(f"{url}reveal/").content.decode()
    client.post(f"{url}reveal/")
    after = client.get(url).content.decode()

    assert "Ben" not in before and "Taken" not in before and "All taken" not in before
    assert "Spoil the surprise?" in confirm
    assert "Taken by Ben" in after


def test_the_claimer_releases_their_claim(client, people):
    ana, ben, _ = people
    item = wish_make(ana)
    claim = services.claim_create(item=item, claimer=ben)

    _as(client, ben).post(f"/wishlists/{item.wishlist.token}/claims/{claim.pk}/release/")

    claim.refresh_from_db()
    assert claim.status == "released"


def test_claiming_a_taken_gift_says_so_plainly(client, people):
    ana, ben, chloe = people
    item = wish_make(ana)
    services.claim_create(item=item, claimer=ben)

    response = _as(client, chloe).post(
        f"/wishlists/{item.wishlist.token}/items/{item.pk}/claim/", {"quantity": "1"}, follow=True
    )

    assert "someone has just claimed this gift" in response.content.decode()
    assert Claim.objects.count() == 1


def test_a_bad_quantity_is_a_message_not_an_error_page(client, people):
    ana, ben, _ = people
    item = wish_make(ana)

    response = _as(client, ben).post(
        f"/wishlists/{item.wishlist.token}/items/{item.pk}/claim/", {"quantity": "x"}, follow=True
    )

    assert response.status_code == 200 and "How many" in response.content.decode()


def test_a_stranger_gets_a_404_on_a_friends_list(client, people):
    ana, _, _ = people
    item = wish_make(ana)

    response = _as(client, UserFactory()).get(f"/wishlists/{item.wishlist.token}/")

    assert response.status_code == 404


def test_a_friend_cannot_edit_the_list(client, people):
    ana, ben, _ = people
    item = wish_make(ana)

    response = _as(client, ben).post(f"/wishlists/{item.wishlist.token}/delete/")

    assert response.status_code == 404 and Wishlist.objects.exists()


def test_owner_edits_an_item_and_moves_it_to_the_cart(client, people):
    ana, _, _ = people
    item = wish_make(ana)
    url = f"/wishlists/{item.wishlist.token}/items/{item.pk}/"

    _as(client, ana).post(url, {"quantity": "2", "priority": "1", "note": "Blue please"})
    client.post(f"{url}cart/")

    item.refresh_from_db()
    assert (item.quantity, item.priority, item.note) == (2, 1, "Blue please")
    assert "2" in client.get("/cart/").content.decode()


def test_each_wish_has_its_own_named_save_button_on_the_owners_page(client, people):
    """Two wishes' edit forms are not two buttons both called "Save": each says which wish."""
    ana, _, _ = people
    wishlist = wish_make(ana).wishlist
    throw = ProductFactory(title="Wool Throw")
    services.wishlist_item_add(wishlist=wishlist, variant_id=throw.variants.get().pk)

    page = _as(client, ana).get(f"/wishlists/{wishlist.token}/").content.decode()
    text = " ".join(page.split())

    for title in ("Matrix Jacket", "Wool Throw"):
        assert f'Save<span class="visually-hidden"> {title}</span></button>' in text


def test_add_to_wishlist_makes_a_first_list_without_javascript(client, people):
    ana, _, _ = people
    product = ProductFactory(slug="lamp")

    response = _as(client, ana).post(
        "/wishlists/add/", {"product": product.pk}, HTTP_SEC_FETCH_SITE="same-origin"
    )

    assert response.status_code == 302 and response["Location"] == "/products/lamp/"
    assert Wishlist.objects.get(owner=ana).items.get().variant.product == product


def test_add_to_wishlist_with_htmx_answers_its_box(client, people):
    ana, _, _ = people
    wishlist = services.wishlist_create(owner=ana, title="Birthday")
    product = ProductFactory(slug="lamp")

    response = _as(client, ana).post(
        "/wishlists/add/",
        {"product": product.pk, "variant": product.variants.get().pk, "wishlist": wishlist.pk},
        HTTP_HX_REQUEST="true",
        HTTP_SEC_FETCH_SITE="same-origin",
    )

    assert "Added to “Birthday”" in response.content.decode()
    assert wishlist.items.count() == 1


def test_add_to_someone_elses_list_is_refused(client, people):
    ana, ben, _ = people
    bens = services.wishlist_create(owner=ben, title="Ben's")
    product = ProductFactory(slug="lamp")

    _as(client, ana).post(
        "/wishlists/add/",
        {"product": product.pk, "wishlist": bens.pk},
        HTTP_SEC_FETCH_SITE="same-origin",
    )

    assert not bens.items.exists()


def test_the_product_page_offers_add_to_wishlist_to_the_signed_in(client, people):
    ana, _, _ = people
    services.wishlist_create(owner=ana, title="Birthday")
    ProductFactory(slug="lamp")

    page = _as(client, ana).get("/products/lamp/").content.decode()

    assert "Add to wishlist" in page and "Birthday" in page


def test_each_viewer_of_a_product_page_sees_their_own_lists(client, people):
    # The box is kept in the process's memory by product and lists: two people's boxes for
    # the same product are two entries, never one shown to both.
    ana, ben, _ = people
    services.wishlist_create(owner=ana, title="Birthday")
    services.wishlist_create(owner=ben, title="Garden")
    ProductFactory(slug="lamp")

    anas = _as(client, ana).get("/products/lamp/").content.decode()
    bens = _as(client, ben).get("/products/lamp/").content.decode()
    anas_again = _as(client, ana).get("/products/lamp/").content.decode()

    assert "Birthday" in anas and "Garden" not in anas
    assert "Garden" in bens and "Birthday" not in bens
    assert "Birthday" in anas_again and "Garden" not in anas_again


def _items(wishlist, n):
    for product in ProductFactory.create_batch(n):
        services.wishlist_item_add(wishlist=wishlist, variant_id=product.variants.get().pk)


@pytest.mark.parametrize("n", [5, 50])
def test_the_owners_page_queries_do_not_grow_with_items(client, django_assert_num_queries, n):
    ana = UserFactory()
    wishlist = services.wishlist_create(owner=ana, title="Birthday")
    _items(wishlist, n)
    _as(client, ana)

    # list, the session with its user, items, the owner's addresses (where gifts go); base.html:
    # categories, 2 nav badges (read with the session)
    # (+1: the products' pictures, prefetched with the wishes)
    with django_assert_num_queries(6):
        assert client.get(f"/wishlists/{wishlist.token}/").status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_a_friends_view_queries_do_not_grow_with_items(client, django_assert_num_queries, n):
    ana, ben = UserFactory(), UserFactory()
    friends_make(ana, ben)
    wishlist = services.wishlist_create(owner=ana, title="Birthday")
    _items(wishlist, n)
    for item in wishlist.items.all()[:3]:
        claimer = UserFactory()
        privacy_set(claimer, profile="public")
        friends_make(ana, claimer)
        services.claim_create(item=item, claimer=claimer)
    _as(client, ben)

    # list, the session with its user, ties (friend, block), items, claims, claimers seen;
    # base.html: categories, 2 nav badges (read with the session) (+1: the
    # products' pictures, prefetched with the wishes)
    with django_assert_num_queries(8):
        assert client.get(f"/wishlists/{wishlist.token}/").status_code == 200


def test_a_renamed_list_shows_its_new_name_on_the_product_page(
    client, people, django_capture_on_commit_callbacks
):
    ana, _, _ = people
    with django_capture_on_commit_callbacks(execute=True):
        wishlist = services.wishlist_create(owner=ana, title="Birthday")
    ProductFactory(slug="lamp")
    _as(client, ana).get("/products/lamp/")

    with django_capture_on_commit_callbacks(execute=True):
        services.wishlist_update(
            wishlist=wishlist, title="Wedding", occasion_on=None, visibility="friends"
        )
    page = client.get("/products/lamp/").content.decode()

    assert "Wedding" in page and "Birthday" not in page
