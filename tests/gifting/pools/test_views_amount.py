"""Starting a pool for an amount from the pages (/pools/new/amount/): the gift is chosen later."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gifting.pools.models import Pool
from tests.factories import UserFactory, friends_make
from tests.html import html

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    ana, ben = (
        UserFactory(username=n, display_name=n.title(), email=f"{n}@example.com")
        for n in ("ana", "ben")
    )
    friends_make(ana, ben)
    return ana, ben


def _form(**fields):
    data = {
        "target": "45.50",
        "recipient": "",
        "recipient_name": "Grandma Rose",
        "deadline": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "visibility": "link",
        "rule": "any",
        "minimum": "2",
        "show_amounts": "on",
        "message": "For Rose's garden",
    }
    data.update(fields)
    return data


def test_my_pools_offers_to_start_one_for_an_amount(client, people):
    client.force_login(people[0])

    link = html(client.get("/pools/")).one("a", href="/pools/new/amount/")

    assert link.text == "Start a gift pool for an amount"


def test_the_form_asks_the_amount_the_recipient_and_how_people_chip_in(client, people):
    ana, ben = people
    client.force_login(ana)

    page = html(client.get("/pools/new/amount/"))

    assert page.one("h1").text == "Start a gift pool for an amount"
    labels = {label.text.removesuffix(" (optional)") for label in page.all("label")}
    assert {"Amount to collect", "One of your friends", "Or their name", "Deadline"} <= labels
    friends = [o.text for o in page.one("select", id="id_recipient").all("option")]
    assert friends == ["Ben", "Someone else (give their name)"]
    assert not page.all("input", name="shipping_method")


def test_a_pool_for_an_amount_opens_without_a_gift(client, people):
    ana, _ = people
    client.force_login(ana)

    response = client.post("/pools/new/amount/", _form())

    pool = Pool.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pools/{pool.token}/"
    assert (pool.target, pool.minimum, pool.variant, pool.shipping_method) == (
        4_550,
        200,
        None,
        None,
    )
    assert (pool.recipient, pool.recipient_name, pool.organiser) == (None, "Grandma Rose", ana)
    assert (pool.state, pool.message, pool.visibility) == ("open", "For Rose's garden", "link")
    page = html(client.get(response["Location"]))
    assert page.one("h1").text == "A gift for Grandma Rose"
    assert "€45.50" in page.one("section", cls="pool-progress").text


def test_a_pool_for_an_amount_may_be_for_a_friend(client, people):
    ana, ben = people
    client.force_login(ana)

    client.post("/pools/new/amount/", _form(recipient=str(ben.pk), recipient_name=""))

    assert Pool.objects.get().recipient == ben


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("0", "Enter an amount of at least €1.00."),
        ("5000.01", "Enter an amount of at most €5,000.00."),
        ("ten", "Enter an amount in euros, e.g. 29.99."),
        ("", "Enter the amount to collect."),
    ],
)
def test_a_wrong_amount_is_said_on_the_form(client, people, target, message):
    client.force_login(people[0])

    response = client.post("/pools/new/amount/", _form(target=target))

    assert response.status_code == 400
    assert message in html(response).one("div", cls="field--error").text
    assert not Pool.objects.exists()


def test_a_minimum_above_the_amount_is_the_services_refusal_on_the_form(client, people):
    client.force_login(people[0])

    response = client.post("/pools/new/amount/", _form(target="10", minimum="20"))

    assert response.status_code == 400
    assert "The smallest contribution cannot be more than the target." in response.content.decode()
    assert not Pool.objects.exists()


def test_a_stranger_cannot_be_the_recipient_nor_nobody(client, people):
    client.force_login(people[0])
    stranger = UserFactory()

    not_a_friend = client.post(
        "/pools/new/amount/", _form(recipient=str(stranger.pk), recipient_name="")
    )
    nobody = client.post("/pools/new/amount/", _form(recipient_name=""))

    assert not_a_friend.status_code == 400 and nobody.status_code == 400
    assert "Give the name of who receives the gift." in nobody.content.decode()
    assert not Pool.objects.exists()


def test_starting_a_pool_for_an_amount_needs_signing_in(client):
    response = client.get("/pools/new/amount/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_both_opening_forms_share_their_rules_and_only_a_gifts_orders_itself(client, people):
    from tests.factories import ShippingMethodFactory, variant_make

    ShippingMethodFactory(code="standard")
    variant = variant_make(title="Kettle")
    client.force_login(people[0])

    amount = html(client.get("/pools/new/amount/"))
    gift = html(client.get(f"/pools/new/?variant={variant.pk}"))

    for page in (amount, gift):
        form = page.one("form", cls="pool-form")
        assert "Chipping in" in [legend.text for legend in form.all("legend")]
        assert form.one("input", name="show_amounts").attrs["type"] == "checkbox"
        assert form.one("button", type="submit").text == "Start the pool"
    assert not amount.all("input", name="auto_order")
    assert gift.one("input", name="auto_order").attrs["type"] == "checkbox"
