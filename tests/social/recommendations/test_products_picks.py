"""Products for you: precomputed picks, each with the reason shown, never showing what the
viewer may not see (a blocked person's likes, a private purchase) nor what cannot be bought."""

import pytest

from social.graph import services as graph_services
from social.likes import services as like_services
from social.recommendations import products_selectors, products_services
from social.recommendations.models import BrowseInterest, PickState
from tests.factories import (
    CategoryFactory,
    ProductFactory,
    UserFactory,
    friends_make,
    privacy_set,
    purchases_make,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def me():
    return UserFactory(username="me", display_name="Me")


def _friend(me, name, **privacy):
    person = UserFactory(username=name.lower(), display_name=name)
    friends_make(me, person)
    if privacy:
        privacy_set(person, **privacy)
    return person


def _reasons(me) -> dict[str, str]:
    """{product title: the reason shown}, after computing ME's picks."""
    products_services.picks_compute(user_id=me.pk)
    return {
        pick.product.title: products_selectors.pick_reason_text(pick)
        for pick in products_selectors.picks_for_user(viewer=me)
    }


def test_a_friends_like_is_recommended_because_they_liked_it(me):
    ana = _friend(me, "Ana")
    like_services.like_create(user=ana, product=ProductFactory(title="Clay Mug"))

    assert _reasons(me)["Clay Mug"] == "Because Ana liked it"


def test_a_blocked_persons_likes_are_never_recommended(me):
    ana = _friend(me, "Ana")
    like_services.like_create(user=ana, product=ProductFactory(title="Clay Mug"))
    _block(ana, me)

    assert _reasons(me).get("Clay Mug") != "Because Ana liked it"
    assert not _named(me)


def test_a_friend_who_blocks_me_after_the_picks_were_computed_is_not_named(me):
    ana = _friend(me, "Ana")
    like_services.like_create(user=ana, product=ProductFactory(title="Clay Mug"))
    products_services.picks_compute(user_id=me.pk)

    _block(ana, me)

    assert not _named(me)


def test_a_private_purchase_is_never_recommended(me):
    ben = _friend(me, "Ben")  # purchases are private unless shared
    purchases_make(ben, [ProductFactory(title="Trail Jacket")])

    assert _reasons(me).get("Trail Jacket") != "Because Ben bought it"
    assert not _named(me)


def test_a_purchase_shared_with_friends_is_recommended_because_they_bought_it(me):
    ben = _friend(me, "Ben", purchases="friends")
    purchases_make(ben, [ProductFactory(title="Trail Jacket")])

    assert _reasons(me)["Trail Jacket"] == "Because Ben bought it"


def test_a_friend_who_makes_their_likes_private_is_no_longer_named(me):
    ana = _friend(me, "Ana")
    like_services.like_create(user=ana, product=ProductFactory(title="Clay Mug"))
    products_services.picks_compute(user_id=me.pk)

    privacy_set(ana, likes="private")

    assert not _named(me)


def test_out_of_stock_unpublished_and_already_bought_are_never_recommended(me):
    ana = _friend(me, "Ana")
    sold_out = ProductFactory(title="Sold Out Lamp")
    sold_out.variants.update(stock=0)
    hidden = ProductFactory(title="Hidden Vase")
    mine = ProductFactory(title="My Bowl")
    for product in (sold_out, hidden, mine):
        like_services.like_create(user=ana, product=product)
    hidden.is_published = False
    hidden.save()
    purchases_make(me, [mine])

    reasons = _reasons(me)

    assert not {"Sold Out Lamp", "Hidden Vase", "My Bowl"} & set(reasons)


def test_a_product_bought_after_the_picks_were_computed_is_not_shown(me):
    ana = _friend(me, "Ana")
    mug = ProductFactory(title="Clay Mug")
    like_services.like_create(user=ana, product=mug)
    products_services.picks_compute(user_id=me.pk)

    purchases_make(me, [mug])

    assert not products_selectors.picks_for_user(viewer=me).filter(product=mug).exists()


def test_what_is_often_bought_with_my_purchase_says_so(me):
    jacket, gloves = ProductFactory(title="Trail Jacket"), ProductFactory(title="Wool Gloves")
    order = purchases_make(UserFactory(), [jacket, gloves])
    products_services.copurchase_order_count(order_id=order.pk)
    purchases_make(me, [jacket])

    assert _reasons(me)["Wool Gloves"] == "Often bought with Trail Jacket"


def test_what_is_often_bought_with_a_product_i_like_says_i_liked_it(me):
    jacket, gloves = ProductFactory(title="Trail Jacket"), ProductFactory(title="Wool Gloves")
    order = purchases_make(UserFactory(), [jacket, gloves])
    products_services.copurchase_order_count(order_id=order.pk)
    like_services.like_create(user=me, product=jacket)

    assert _reasons(me)["Wool Gloves"] == "Because you liked Trail Jacket"


def test_the_category_i_browse_is_recommended_because_i_like_it(me):
    ceramics = CategoryFactory(name="Ceramics")
    ProductFactory(title="Tea Bowl", category=ceramics)
    BrowseInterest.objects.create(
        user=me, kind=BrowseInterest.Kind.CATEGORY, value=str(ceramics.pk), views=5
    )

    assert _reasons(me)["Tea Bowl"] == "Because you like Ceramics"


def test_a_newcomer_gets_best_sellers_and_new_products(me):
    ProductFactory(title="Best Seller", units_sold=50)

    reasons = _reasons(me)

    assert reasons["Best Seller"] == "Popular in the shop right now"


def test_turning_personalisation_off_leaves_no_picks(me):
    ana = _friend(me, "Ana")
    like_services.like_create(user=ana, product=ProductFactory(title="Clay Mug"))
    products_services.picks_compute(user_id=me.pk)

    graph_services.privacy_settings_update(user=me, personalised=False)

    assert list(products_selectors.picks_for_user(viewer=me)) == []
    products_services.picks_compute(user_id=me.pk)
    assert _reasons(me) == {}


def test_a_friends_like_gets_my_picks_recomputed(me, django_capture_on_commit_callbacks):
    ana = _friend(me, "Ana")
    products_services.picks_compute(user_id=me.pk)

    with django_capture_on_commit_callbacks(execute=True):
        like_services.like_create(user=ana, product=ProductFactory(title="Clay Mug"))

    reasons = {
        pick.product.title: products_selectors.pick_reason_text(pick)
        for pick in products_selectors.picks_for_user(viewer=me)
    }
    assert reasons["Clay Mug"] == "Because Ana liked it"


def test_a_change_marks_picks_stale_and_the_refresh_recomputes_them_once(me):
    ana = _friend(me, "Ana")
    products_services.picks_compute(user_id=me.pk)
    like_services.like_create(user=ana, product=ProductFactory(title="Clay Mug"))
    products_services.picks_mark_stale(user_ids=[ana.pk], with_friends=True)
    assert PickState.objects.get(user=me).stale is True

    assert products_services.picks_refresh_stale() == 2  # Ana and me

    assert PickState.objects.get(user=me).stale is False
    assert products_services.picks_refresh_stale() == 0
    titles = [pick.product.title for pick in products_selectors.picks_for_user(viewer=me)]
    assert "Clay Mug" in titles


def _named(me) -> list:
    """The friends named by ME's picks as read (computed before)."""
    return [
        pick.reason_person
        for pick in products_selectors.picks_for_user(viewer=me)
        if pick.reason_person_id
    ]


def _block(blocker, blocked):
    graph_services.person_block(blocker=blocker, person=blocked)
