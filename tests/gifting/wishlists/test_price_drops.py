"""A wish remembers its price when it was made; a lower price now shows beside it on the list
page ("Price drop: now €X (was €Y)") and in the API, at no extra query."""

import importlib

import pytest
from django.apps import apps

from gifting.wishlists import services
from gifting.wishlists.models import WishlistItem
from shop.catalog import services as catalog
from tests.factories import ProductFactory, UserFactory, friends_make

pytestmark = pytest.mark.django_db

backfill = importlib.import_module(
    "gifting.wishlists.migrations.0003_wishlistitem_price_when_added"
)


def _cheaper(variant, price):
    variant.price = price
    catalog.variant_save(variant=variant)


def _list_of(owner, n=1, *, title="Birthday"):
    wishlist = services.wishlist_create(owner=owner, title=title, visibility="friends")
    for product in ProductFactory.create_batch(n, with_variants=1):
        variant = product.variants.get()
        variant.price = 4000
        variant.save()
        services.wishlist_item_add(wishlist=wishlist, variant_id=variant.pk)
    return wishlist


def test_a_wish_keeps_the_price_it_was_made_at():
    wishlist = _list_of(UserFactory())
    item = wishlist.items.get()

    _cheaper(item.variant, 3000)
    again = services.wishlist_item_add(wishlist=wishlist, variant_id=item.variant_id)

    assert again.pk == item.pk
    again.refresh_from_db()
    assert again.price_when_added == 4000


def test_the_owner_sees_the_price_drop_beside_the_wish(client):
    ana = UserFactory()
    wishlist = _list_of(ana, 2)
    cheaper, same = wishlist.items.order_by("pk")
    _cheaper(cheaper.variant, 2999)
    client.force_login(ana)

    page = client.get(f"/wishlists/{wishlist.token}/").content.decode()

    assert page.count("Price drop") == 1
    assert "Price drop: now €29.99</strong> (was €40.00)" in page
    shown = page.split(f'id="wish-{same.pk}"')[1].split("</li>")[0]
    assert "€40.00" in shown and "Price drop" not in shown


def test_a_friend_sees_it_too_and_a_higher_price_is_no_drop(client):
    ana, ben = UserFactory(), UserFactory()
    friends_make(ana, ben)
    wishlist = _list_of(ana)
    item = wishlist.items.get()
    _cheaper(item.variant, 5000)  # dearer now
    client.force_login(ben)

    page = client.get(f"/wishlists/{wishlist.token}/").content.decode()

    assert "€50.00" in page and "Price drop" not in page


def test_the_api_gives_the_price_when_added(client):
    ana = UserFactory()
    wishlist = _list_of(ana)
    _cheaper(wishlist.items.get().variant, 3500)
    client.force_login(ana)

    (item,) = client.get(f"/api/v1/wishlists/{wishlist.pk}").json()["items"]

    assert (item["price_when_added"], item["variant"]["price"]) == (4000, 3500)


@pytest.mark.parametrize("n", [5, 50])
def test_the_owners_page_with_price_drops_queries_do_not_grow(client, django_assert_num_queries, n):
    ana = UserFactory()
    wishlist = _list_of(ana, n)
    for item in wishlist.items.select_related("variant")[::2]:
        _cheaper(item.variant, 1000)
    client.force_login(ana)

    # list, the session with its user, items (with variants and products), the owner's addresses
    # (where gifts go); base.html: categories, 2 nav badges (read with the session): as
    # without drops (+1: the products' pictures, prefetched with the wishes)
    with django_assert_num_queries(6):
        page = client.get(f"/wishlists/{wishlist.token}/").content.decode()
    assert page.count("Price drop") == (n + 1) // 2


def test_the_data_export_carries_the_price_when_added():
    from gifting.wishlists.personal_data import wishlists_export

    ana = UserFactory()
    _list_of(ana)

    (item,) = wishlists_export(ana)["wishlists"][0]["items"]

    assert item["price_when_added"] == 4000


def test_wishes_made_before_the_field_take_their_price_now():
    wishlist = _list_of(UserFactory(), 2)
    WishlistItem.objects.update(price_when_added=1)

    backfill.price_when_added_backfill(apps, None)

    assert set(wishlist.items.values_list("price_when_added", flat=True)) == {4000}
