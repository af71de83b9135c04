"""Starting a pool from a friend's wish or a product, and paying a contribution by card."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gifting.pools import contributions, services
from gifting.pools.models import Contribution, Pool
from gifting.wishlists import services as wishlist_services
from tests.factories import (
    AddressFactory,
    UserFactory,
    friends_make,
    variant_make,
)
from tests.gifting.pools.helpers import pool_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    ana, ben, chloe = (
        UserFactory(username=n, display_name=n.title(), email=f"{n}@example.com")
        for n in ("ana", "ben", "chloe")
    )
    friends_make(ana, ben, chloe)
    return ana, ben, chloe


def _wish(owner, *, price=2_500):
    wishlist = wishlist_services.wishlist_create(
        owner=owner,
        title="Birthday",
        visibility="friends",
        shipping_address=AddressFactory(user=owner, line1="7 Hidden Lane"),
    )
    variant = variant_make(price=price, title="Matrix Jacket")
    return wishlist_services.wishlist_item_add(wishlist=wishlist, variant_id=variant.pk)


def _day(days=7) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _form(method, **fields):
    data = {
        "shipping_method": str(method.pk),
        "deadline": _day(),
        "visibility": "link",
        "rule": "any",
        "minimum": "1",
        "show_amounts": "on",
        "message": "Let's spoil Ana",
    }
    data.update(fields)
    return data


# --- starting a pool --------------------------------------------------------------------------


def test_a_friend_starts_a_pool_from_a_wish(client, people, method):
    ana, ben, _ = people
    item = _wish(ana)
    client.force_login(ben)

    form = client.get(f"/pools/new/?item={item.pk}").content.decode()
    response = client.post("/pools/new/", {"item": str(item.pk), **_form(method)})

    assert "Start a gift pool" in form and "Matrix Jacket" in form
    assert "Who receives it" not in form  # the list's owner
    pool = Pool.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pools/{pool.token}/"
    assert (pool.recipient, pool.wishlist_item, pool.target) == (ana, item, 2_990)
    page = client.get(response["Location"]).content.decode()
    assert "Ana’s registry address" in page and "7 Hidden Lane" not in page


def test_the_owner_cannot_start_a_pool_for_their_own_wish(client, people, method):
    ana, *_ = people
    item = _wish(ana)
    client.force_login(ana)

    assert client.get(f"/pools/new/?item={item.pk}").status_code == 404


def test_a_stranger_cannot_start_a_pool_for_a_friends_only_wish(client, people, method):
    ana, *_ = people
    item = _wish(ana)
    client.force_login(UserFactory())

    assert client.get(f"/pools/new/?item={item.pk}").status_code == 404


def test_a_link_lists_wish_needs_the_lists_token_not_a_guessed_id(client, people, method):
    ana, *_ = people
    item = _wish(ana)
    item.wishlist.visibility = "link"
    item.wishlist.save()
    client.force_login(UserFactory())  # a stranger, who came by the list's link or not

    guessed = client.get(f"/pools/new/?item={item.pk}")
    by_link = client.get(f"/pools/new/?item={item.pk}&list={item.wishlist.token}")
    posted = client.post(
        "/pools/new/", {"item": str(item.pk), "list": item.wishlist.token, **_form(method)}
    )

    assert guessed.status_code == 404 and by_link.status_code == 200
    assert f'name="list" value="{item.wishlist.token}"' in by_link.content.decode()
    assert posted.status_code == 302 and Pool.objects.get().wishlist_item == item


def test_the_form_says_what_is_wrong_never_a_500(client, people, method):
    ana, ben, _ = people
    item = _wish(ana)
    client.force_login(ben)

    response = client.post(
        "/pools/new/",
        {"item": str(item.pk), **_form(method, deadline="2001-01-01", rule="suggested")},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose a deadline in the future." in page and "Suggest an amount." in page
    assert not Pool.objects.exists()


def test_a_service_refusal_shows_on_the_form(client, people, method):
    ana, ben, _ = people
    item = _wish(ana)
    item.wishlist.shipping_address = None
    item.wishlist.save()
    client.force_login(ben)

    response = client.post("/pools/new/", {"item": str(item.pk), **_form(method)})

    assert response.status_code == 400
    assert "Ana has not said where gifts go yet" in response.content.decode()


def test_a_pool_for_a_product_names_its_recipient_and_address(client, people, method):
    ana, ben, chloe = people
    variant = variant_make(price=4_000, title="Kettle")
    client.force_login(ben)

    form = client.get(f"/pools/new/?variant={variant.pk}").content.decode()
    response = client.post(
        "/pools/new/",
        {
            "variant": str(variant.pk),
            **_form(method),
            "recipient": str(ana.pk),
            "full_name": "Chloe C",
            "line1": "1 Main St",
            "postal_code": "75001",
            "city": "Paris",
            "country": "FR",
        },
    )

    assert "Who receives the gift" in form and f'<option value="{ana.pk}">Ana</option>' in form
    assert "Chloe" not in form  # not Ben's friend
    pool = Pool.objects.get()
    assert response.status_code == 302
    assert (pool.recipient, pool.variant, pool.target, pool.ship_city) == (
        ana,
        variant,
        4_490,
        "Paris",
    )


def test_a_product_pool_without_a_recipient_is_refused_on_the_form(client, people, method):
    _, ben, _ = people
    variant = variant_make()
    client.force_login(ben)

    response = client.post("/pools/new/", {"variant": str(variant.pk), **_form(method)})

    page = response.content.decode()
    assert response.status_code == 400 and "Give the name of who receives the gift." in page


def test_starting_a_pool_needs_signing_in_and_something_to_pool_for(client, people):
    assert client.get("/pools/new/?variant=1").status_code == 302
    client.force_login(people[0])
    assert client.get("/pools/new/").status_code == 404
    assert client.get("/pools/new/?variant=99999999999999999999").status_code == 404
    assert client.get("/pools/new/?item=abc").status_code == 404


# --- paying a contribution --------------------------------------------------------------------

CARD = {"expiry": "12/39", "cvc": "123"}


def test_paying_with_the_test_card_puts_the_contribution_in(client, people):
    ana, ben, _ = people
    pool = pool_make(ana, target=5_000)
    client.force_login(ben)
    reserved = client.post(f"/pools/{pool.token}/chip-in/", {"amount": "20", "message": "Hi"})

    paid = client.post(reserved["Location"], {"card_number": "4242 4242 4242 4242", **CARD})

    contribution = Contribution.objects.get()
    pool.refresh_from_db()
    assert paid.status_code == 302 and paid["Location"] == f"/pools/{pool.token}/"
    assert contribution.status == "succeeded" and pool.collected == 2_000
    page = client.get(paid["Location"]).content.decode()
    assert "Thank you: your €20.00 is in the pool." in page


def test_a_declined_card_releases_the_contribution(client, people):
    ana, ben, _ = people
    pool = pool_make(ana, target=5_000)
    client.force_login(ben)
    reserved = client.post(f"/pools/{pool.token}/chip-in/", {"amount": "20"})

    declined = client.post(reserved["Location"], {"card_number": "4000 0000 0000 0002", **CARD})

    pool.refresh_from_db()
    assert declined.status_code == 302
    assert Contribution.objects.get().status == "released" and pool.reserved == 0
    page = client.get(declined["Location"]).content.decode()
    assert "Nothing was charged: chip in again." in page


def test_a_bad_card_number_is_said_on_the_form(client, people):
    ana, ben, _ = people
    pool = pool_make(ana, target=5_000)
    client.force_login(ben)
    reserved = client.post(f"/pools/{pool.token}/chip-in/", {"amount": "20"})

    response = client.post(reserved["Location"], {"card_number": "1234", **CARD})

    assert response.status_code == 400 and "Card number" in response.content.decode()
    assert Contribution.objects.get().status == "reserved"


def test_a_guest_pays_through_the_link(client, people):
    ana, *_ = people
    pool = pool_make(ana, target=5_000, visibility="link")
    reserved = client.post(
        f"/pools/{pool.token}/chip-in/",
        {"amount": "15", "guest_name": "Gus", "guest_email": "gus@example.com"},
    )

    client.post(reserved["Location"], {"card_number": "4242424242424242", **CARD})

    contribution = Contribution.objects.get()
    assert contribution.status == "succeeded" and contribution.guest_name == "Gus"


def test_the_organiser_tops_up_the_rest_of_an_expired_pool(client, people):
    ana, ben, _ = people
    pool = pool_make(ana, target=5_000)
    contributions.contribution_succeed(
        contribution=contributions.contribution_reserve(pool=pool, amount=3_000, contributor=ben)
    )
    services.pool_expire(pool=pool)
    client.force_login(ana)

    reserved = client.post(f"/pools/{pool.token}/top-up/")
    client.post(reserved["Location"], {"card_number": "4242424242424242", **CARD})

    pool.refresh_from_db()
    assert pool.collected == 5_000 and pool.state == "funded"


def test_closing_a_pool_from_its_page(client, people):
    ana, *_ = people
    pool = pool_make(ana)
    client.force_login(ana)

    client.post(f"/pools/{pool.token}/close/")

    pool.refresh_from_db()
    assert pool.state in ("cancelled", "refunded")


# --- where pools start ------------------------------------------------------------------------


def test_a_friends_wish_offers_to_start_a_pool_but_not_the_owners_own(client, people):
    ana, ben, _ = people
    item = _wish(ana)
    link = f'href="/pools/new/?item={item.pk}&amp;list={item.wishlist.token}"'

    client.force_login(ben)
    friend = client.get(f"/wishlists/{item.wishlist.token}/").content.decode()
    client.force_login(ana)
    owner = client.get(f"/wishlists/{item.wishlist.token}/").content.decode()

    assert link in friend and link not in owner


def test_the_product_page_offers_to_start_a_pool(client, people, method):
    variant = variant_make(title="Kettle")
    product = variant.product
    client.force_login(people[1])

    page = client.get(product.get_absolute_url()).content.decode()
    form = client.get(f"/pools/new/?product={product.pk}").content.decode()

    assert f'href="/pools/new/?product={product.pk}"' in page
    assert "Kettle" in form and f'<option value="{variant.pk}" selected>' in form


def test_the_bank_asking_to_confirm_leads_to_the_confirm_step(client, people):
    ana, ben, _ = people
    pool = pool_make(ana, target=5_000)
    client.force_login(ben)
    reserved = client.post(f"/pools/{pool.token}/chip-in/", {"amount": "20"})

    asked = client.post(reserved["Location"], {"card_number": "4000 0025 0000 3155", **CARD})
    page = client.get(asked["Location"]).content.decode()
    confirmed = client.post(asked["Location"])

    assert asked["Location"].endswith("/confirm/") and "Confirm payment" in page
    assert confirmed.status_code == 302 and Contribution.objects.get().status == "succeeded"


def test_in_stripe_mode_the_card_goes_to_stripe_js_never_here(client, people, settings):
    settings.PAYMENT_GATEWAY = "stripe"
    ana, ben, _ = people
    pool = pool_make(ana, target=5_000)
    client.force_login(ben)
    reserved = client.post(f"/pools/{pool.token}/chip-in/", {"amount": "20"})

    page = client.get(reserved["Location"]).content.decode()
    posted = client.post(reserved["Location"], {"card_number": "4242424242424242", **CARD})

    assert "data-stripe-pay" in page and 'name="card_number"' not in page
    assert posted.status_code == 400 and "enter your card details" in posted.content.decode()
    contribution = Contribution.objects.get()
    assert contribution.status == "reserved" and contribution.payment_id is None
