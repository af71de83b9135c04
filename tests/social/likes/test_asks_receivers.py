"""What "ask my friends" does when the shop says an order was paid, when the graph says
someone blocked someone, and what it keeps in "download my data" / "delete my account"."""

import pytest

from shop.core.personal_data import personal_data_erase, personal_data_export
from shop.orders.events import order_paid
from social.likes import ask_services as services
from social.likes.models import Ask, AskAnswer, AskRecipient
from tests.factories import cart_make, friends_make, variant_make
from tests.social.likes.asks_helpers import ask_make, person, product_make

pytestmark = pytest.mark.django_db


def test_buying_closes_the_buyers_open_asks_about_what_they_bought(
    paid_order, django_capture_on_commit_callbacks
):
    ana, ben = person("ana"), person("ben")
    friends_make(ana, ben)
    bought = variant_make(title="Trail Jacket")
    other = variant_make(title="Boots")
    ask_bought = ask_make(ana, ben, product=product_make_from(bought))
    ask_other = ask_make(ana, ben, product=product_make_from(other))
    ben_ask = ask_make(ben, ana, product=product_make_from(bought))

    with django_capture_on_commit_callbacks(execute=True):
        order = paid_order(cart_make((bought, 1)), customer=ana, email=ana.email)
    # The outbox may deliver the event again: nothing changes.
    order_paid.send_robust(sender=None, event_id=1, order_id=order.pk, number=order.number)

    for ask in (ask_bought, ask_other, ben_ask):
        ask.refresh_from_db()
    assert ask_bought.closed_reason == "bought" and not ask_bought.is_open
    assert ask_other.is_open and ben_ask.is_open  # not bought; not the buyer's


def product_make_from(variant):
    from shop.catalog.selectors import product_list_by_ids

    return product_list_by_ids(product_ids=[variant.product_id])[variant.product_id]


def test_a_guest_order_closes_nothing(paid_order, django_capture_on_commit_callbacks):
    ana, ben = person("ana"), person("ben")
    friends_make(ana, ben)
    variant = variant_make()
    ask = ask_make(ana, ben, product=product_make_from(variant))

    with django_capture_on_commit_callbacks(execute=True):
        paid_order(cart_make((variant, 1)), email=ana.email)

    ask.refresh_from_db()
    assert ask.is_open


def test_my_data_holds_my_asks_with_answers_and_my_answers():
    ana, ben = person("ana", display_name="Ana"), person("ben", display_name="Ben")
    friends_make(ana, ben)
    mine = ask_make(ana, ben, product=product_make("Trail Jacket"), note="Rain?")
    services.ask_answer(ask=mine, friend=ben, yes=False, comment="Too warm")
    theirs = ask_make(ben, ana, product=product_make("Boots"))
    services.ask_answer(ask=theirs, friend=ana, yes=True, comment="Love them")

    data = personal_data_export(user=ana)["asks"]

    assert data["asked"][0]["product"] == "Trail Jacket" and data["asked"][0]["note"] == "Rain?"
    assert data["asked"][0]["answers"] == [{"friend": "Ben", "answer": "no", "comment": "Too warm"}]
    assert [(a["asked_by"], a["product"], a["answer"], a["comment"]) for a in data["answered"]] == [
        ("Ben", "Boots", "yes", "Love them")
    ]


def test_erasing_me_removes_my_asks_and_takes_my_answers_out_of_friends_tallies():
    ana, ben, cleo = person("ana"), person("ben"), person("cleo")
    friends_make(ana, ben, cleo)
    mine = ask_make(ana, ben)
    services.ask_answer(ask=mine, friend=ben, yes=True)
    theirs = ask_make(ben, ana, cleo, product=product_make("Boots"))
    services.ask_answer(ask=theirs, friend=ana, yes=False)
    services.ask_answer(ask=theirs, friend=cleo, yes=False)

    personal_data_erase(user=ana)

    assert not Ask.objects.filter(asker=ana).exists()
    assert not AskAnswer.objects.filter(friend=ana).exists()
    assert not AskRecipient.objects.filter(user=ana).exists()
    theirs.refresh_from_db()
    assert (theirs.yes_count, theirs.no_count) == (0, 1)
