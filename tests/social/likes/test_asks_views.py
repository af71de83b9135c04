"""The pages of "ask my friends": the ask form, the product page's box, the cart's lines, the
feed's answer form, an ask's page and the list; each in constant queries."""

import pytest
from django.utils import timezone

from social.feed.models import FeedState
from social.likes import ask_services as services
from social.likes.models import Ask, AskAnswer
from tests.factories import CartFactory, CartLineFactory, friends_make
from tests.html import html, main_text
from tests.social.likes.asks_helpers import ask_make, person, product_make

pytestmark = pytest.mark.django_db

SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture
def ana():
    return person("ana", display_name="Ana Alves")


@pytest.fixture
def ben(ana):
    ben = person("ben", display_name="Ben Brandt")
    friends_make(ana, ben)
    return ben


@pytest.fixture
def cleo(ana):
    cleo = person("cleo", display_name="Cleo Costa")
    friends_make(ana, cleo)
    return cleo


@pytest.fixture
def jacket():
    return product_make("Trail Jacket", slug="trail-jacket")


def _logged_in(client, user):
    client.force_login(user)
    FeedState.objects.filter(user=user).update(rebuilt_at=timezone.now())
    return client


# --- the ask form -------------------------------------------------------------------------------


def test_the_ask_form_lists_friends_only(client, ana, ben, cleo, jacket):
    stranger = person("stan", display_name="Stan Stranger")
    friends_make(ben, stranger)
    _logged_in(client, ana)

    response = client.get(f"/asks/new/?product={jacket.pk}")

    assert response.status_code == 200
    boxes = html(response).all("input", type="checkbox", name="friends")
    assert sorted(box.attrs["value"] for box in boxes) == ["ben", "cleo"]
    assert "All my friends" in main_text(response)


def test_asking_from_the_form_goes_back_to_the_product_with_a_message(
    client, ana, ben, cleo, jacket
):
    _logged_in(client, ana)

    response = client.post(
        "/asks/new/",
        {"product": jacket.pk, "friends": ["ben"], "note": "For the rain?", "next": "/cart/"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/cart/"
    assert "You asked Ben Brandt: should you buy Trail Jacket?" in response.content.decode()
    ask = Ask.objects.get()
    assert (ask.asker, ask.note, list(ask.recipients.values_list("user__username", flat=True))) == (
        ana,
        "For the rain?",
        ["ben"],
    )


def test_asking_nobody_shows_the_error_on_the_friends_field(client, ana, ben, jacket):
    _logged_in(client, ana)

    response = client.post("/asks/new/", {"product": jacket.pk, "note": "?"})

    assert response.status_code == 200
    assert "Choose at least one friend" in html(response).one(id="friends-error").text
    assert not Ask.objects.exists()


def test_a_friend_already_asked_is_shown_checked_and_not_offered(client, ana, ben, cleo, jacket):
    ask_make(ana, ben, product=jacket)
    _logged_in(client, ana)

    response = client.get(f"/asks/new/?product={jacket.pk}")

    boxes = html(response).all("input", type="checkbox", name="friends")
    assert [box.attrs["value"] for box in boxes] == ["cleo"]
    assert "Ben Brandt (already asked)" in main_text(response)


@pytest.mark.parametrize("product", ["", "abc", "0", "99999999999999999999"])
def test_the_ask_form_of_no_product_is_not_found(client, ana, product):
    _logged_in(client, ana)

    assert client.get(f"/asks/new/?product={product}").status_code == 404


def test_the_ask_form_needs_a_sign_in(client, jacket):
    response = client.get(f"/asks/new/?product={jacket.pk}")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the product page ---------------------------------------------------------------------------


def test_the_product_page_offers_to_ask_my_friends(client, ana, ben, jacket):
    _logged_in(client, ana)

    response = client.get("/products/trail-jacket/")

    link = html(response).one("a", cls="button", href=f"/asks/new/?product={jacket.pk}")
    assert link.text == "Ask my friends"


def test_the_asker_sees_the_tally_and_comments_on_the_product_page(client, ana, ben, cleo, jacket):
    ask = ask_make(ana, ben, cleo, product=jacket)
    services.ask_answer(ask=ask, friend=ben, yes=False, comment="Too warm for summer")
    services.ask_answer(ask=ask, friend=cleo, yes=True)
    _logged_in(client, ana)

    response = client.get("/products/trail-jacket/")

    box = html(response).one("section", cls="ask-box")
    assert "1 says yes, 1 says no" in box.text
    answers = [" ".join(a.text.split()) for a in box.all("li", cls="ask-answer")]
    assert answers == ["Ben Brandt No Too warm for summer", "Cleo Costa Yes"]


def test_a_friend_asked_answers_from_the_product_page(client, ana, ben, jacket):
    ask_make(ana, ben, product=jacket)
    _logged_in(client, ben)

    page = html(client.get("/products/trail-jacket/"))
    assert "Ana Alves asks you: should I buy this?" in page.one("section", cls="ask-box").text
    form = page.one("form", cls="ask-answer-form")
    response = client.post(
        form.attrs["action"],
        {"answer": "no", "comment": "Wait for the sale", "next": "/products/trail-jacket/"},
        **SAME_ORIGIN,
    )

    assert response.status_code == 302 and response["Location"] == "/products/trail-jacket/"
    answer = AskAnswer.objects.get()
    assert (answer.friend, answer.yes, answer.comment) == (ben, False, "Wait for the sale")
    page = html(client.get("/products/trail-jacket/"))
    assert "You said No" in page.one("section", cls="ask-box").text


def test_a_token_less_answer_from_another_site_is_refused(client, ana, ben, jacket):
    ask = ask_make(ana, ben, product=jacket)
    client = type(client)(enforce_csrf_checks=True)
    _logged_in(client, ben)

    response = client.post(
        f"/asks/{ask.pk}/answer/", {"answer": "no"}, HTTP_SEC_FETCH_SITE="cross-site"
    )

    assert response.status_code == 403
    assert not AskAnswer.objects.exists()


def test_a_stranger_sees_nothing_of_an_ask_on_the_product_page(client, ana, ben, jacket):
    ask = ask_make(ana, ben, product=jacket)
    services.ask_answer(ask=ask, friend=ben, yes=False, comment="Secret")
    stranger = person("stan")
    _logged_in(client, stranger)

    page = client.get("/products/trail-jacket/").content.decode()

    assert "Secret" not in page and "Ana Alves" not in page and "says no" not in page


@pytest.mark.parametrize("n", [2, 12])
def test_the_product_page_takes_the_same_queries_whatever_the_answers(
    client, django_assert_num_queries, ana, jacket, n
):
    friends = [person(f"friend{i}") for i in range(n)]
    ask = ask_make(ana, *friends, product=jacket)
    for i, friend in enumerate(friends):
        services.ask_answer(ask=ask, friend=friend, yes=i % 2 == 0, comment=f"Because {i}")
    _logged_in(client, ana)
    client.get("/products/trail-jacket/")

    # the session with its user and the header's badges (one query); the friends to share with
    # (shares); the asks, their answers (with names)
    with django_assert_num_queries(4):
        response = client.get("/products/trail-jacket/")

    assert len(html(response).all("li", cls="ask-answer")) == n


# --- the cart -----------------------------------------------------------------------------------


def _cart_with(user, *products):
    cart = CartFactory(user=user)
    for product in products:
        CartLineFactory(cart=cart, variant=product.variants.first(), quantity=1)
    return cart


def test_the_cart_shows_the_tally_and_comments_and_asks_for_the_others(
    client, ana, ben, cleo, jacket
):
    boots = product_make("Boots")
    ask = ask_make(ana, ben, cleo, product=jacket)
    services.ask_answer(ask=ask, friend=ben, yes=False, comment="Too warm")
    _cart_with(ana, jacket, boots)
    _logged_in(client, ana)

    response = client.get("/cart/")

    lines = html(response).all("li", cls="cart-line")
    assert "Your friends say: 0 say yes, 1 says no" in " ".join(lines[0].text.split())
    assert "Ben Brandt No" in lines[0].text and "Too warm" in lines[0].text
    ask_link = lines[1].one("a", cls="ask-cart__ask")
    assert ask_link.attrs["href"] == f"/asks/new/?product={boots.pk}&next=/cart/"


def test_the_cart_shows_nothing_of_asks_put_to_me(client, ana, ben, jacket):
    ask = ask_make(ana, ben, product=jacket)
    services.ask_answer(ask=ask, friend=ben, yes=False, comment="Too warm")
    _cart_with(ben, jacket)
    _logged_in(client, ben)

    page = client.get("/cart/").content.decode()

    assert "Too warm" not in page and "says no" not in page
    assert "Ask my friends" in page


@pytest.mark.parametrize("n", [1, 8])
def test_the_cart_takes_the_same_queries_whatever_the_lines_and_asks(
    client, django_assert_num_queries, ana, ben, n
):
    products = [product_make(f"Thing {i}") for i in range(n)]
    for product in products:
        ask = ask_make(ana, ben, product=product)
        services.ask_answer(ask=ask, friend=ben, yes=True, comment="Sure")
    _cart_with(ana, *products)
    _logged_in(client, ana)
    client.get("/cart/")

    # the session with its user and the header's badges (one query); cart, lines, images; the asks,
    # their answers
    with django_assert_num_queries(6):
        response = client.get("/cart/")

    assert len(html(response).all("li", cls="ask-answer")) == n


# --- the feed -----------------------------------------------------------------------------------


def test_a_friend_answers_from_the_feed(
    client, ana, ben, jacket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask = ask_make(ana, ben, product=jacket, note="For the rain?")
    _logged_in(client, ben)

    page = html(client.get("/feed/"))
    entry = page.one("li", cls="feed-entry")
    assert "Ana Alves asks: should I buy Trail Jacket?" in " ".join(entry.text.split())
    assert entry.one("p", cls="ask-note").text == "For the rain?"
    form = entry.one("form", cls="ask-answer-form")
    assert form.attrs["action"] == f"/asks/{ask.pk}/answer/"
    response = client.post(
        form.attrs["action"], {"answer": "yes", "comment": "", "next": "/feed/"}, **SAME_ORIGIN
    )

    assert response["Location"] == "/feed/"
    entry = html(client.get("/feed/")).one("li", cls="feed-entry")
    assert "You said Yes" in entry.text


def test_the_asker_sees_the_tally_in_their_feed_entry_never_others(
    client, ana, ben, cleo, jacket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask = ask_make(ana, ben, product=jacket)
    services.ask_answer(ask=ask, friend=ben, yes=False, comment="No way")
    _logged_in(client, cleo)

    assert "Trail Jacket" not in client.get("/feed/").content.decode()


@pytest.mark.parametrize("n", [2, 10])
def test_the_feed_takes_the_same_queries_whatever_the_asks(
    client, django_assert_num_queries, ana, ben, n, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(n):
            ask = ask_make(ana, ben, product=product_make(f"Thing {i}"))
            services.ask_answer(ask=ask, friend=ben, yes=True, comment="Sure")
    _logged_in(client, ben)
    client.get("/feed/")

    # the session with its user and the header's badges (one query); the feed's version (the page
    # itself is cached: social.feed.page_cache); the asks, their answers
    with django_assert_num_queries(4):
        response = client.get("/feed/")

    assert len(html(response).all("form", cls="ask-answer-form")) == n


# --- an ask's page, the list, htmx --------------------------------------------------------------


def test_the_asker_sees_answers_and_who_was_asked_on_the_asks_page(client, ana, ben, cleo, jacket):
    ask = ask_make(ana, ben, cleo, product=jacket, note="Rain?")
    services.ask_answer(ask=ask, friend=ben, yes=False, comment="Too warm")
    _logged_in(client, ana)

    response = client.get(f"/asks/{ask.pk}/")

    text = main_text(response)
    assert html(response).one("h1").text == "Your question: should I buy Trail Jacket?"
    assert "0 say yes, 1 says no" in text and "Too warm" in text
    assert "Asked: Ben Brandt, Cleo Costa." in text


def test_a_friend_asked_sees_their_answer_but_not_the_others(client, ana, ben, cleo, jacket):
    ask = ask_make(ana, ben, cleo, product=jacket)
    services.ask_answer(ask=ask, friend=cleo, yes=True, comment="Cleo says buy")
    services.ask_answer(ask=ask, friend=ben, yes=False, comment="Ben says no")
    _logged_in(client, ben)

    response = client.get(f"/asks/{ask.pk}/")

    text = main_text(response)
    assert "Ana Alves asks: should I buy Trail Jacket?" in text
    assert "You said No" in text and "Ben says no" in text
    assert "Cleo" not in text and "says yes" not in text


def test_answering_with_htmx_swaps_the_block(client, ana, ben, jacket):
    ask = ask_make(ana, ben, product=jacket)
    _logged_in(client, ben)

    response = client.post(
        f"/asks/{ask.pk}/answer/",
        {"answer": "no", "comment": "Hmm", "form_id": "ask-1"},
        HTTP_HX_REQUEST="true",
        **SAME_ORIGIN,
    )

    block = html(response).one("div", cls="ask-answer-block")
    assert "Your answer is sent to Ana Alves: No." in block.text
    assert "You said No" in block.text


def test_a_bad_answer_is_a_message_not_an_error_page(client, ana, ben, jacket):
    ask = ask_make(ana, ben, product=jacket)
    _logged_in(client, ben)

    response = client.post(
        f"/asks/{ask.pk}/answer/", {"answer": "maybe"}, follow=True, **SAME_ORIGIN
    )

    assert response.status_code == 200
    assert "Answer yes or no." in response.content.decode()
    assert not AskAnswer.objects.exists()


def test_the_asker_withdraws_from_the_asks_page(client, ana, ben, jacket):
    ask = ask_make(ana, ben, product=jacket)
    _logged_in(client, ana)

    response = client.post(f"/asks/{ask.pk}/close/", follow=True)

    assert "Your question about Trail Jacket is closed." in response.content.decode()
    ask.refresh_from_db()
    assert ask.closed_reason == "withdrawn"


@pytest.mark.parametrize("role", ["stranger", "friend_not_asked"])
def test_an_asks_page_is_not_found_for_anyone_else(client, ana, ben, cleo, jacket, role):
    ask = ask_make(ana, ben, product=jacket)
    viewer = person("stan") if role == "stranger" else cleo
    _logged_in(client, viewer)

    assert client.get(f"/asks/{ask.pk}/").status_code == 404
    assert (
        client.post(f"/asks/{ask.pk}/answer/", {"answer": "yes"}, **SAME_ORIGIN).status_code == 404
    )
    assert client.post(f"/asks/{ask.pk}/close/", **SAME_ORIGIN).status_code == 404


@pytest.mark.parametrize("n", [2, 10])
def test_the_list_and_an_asks_page_take_the_same_queries(client, django_assert_num_queries, ana, n):
    friends = [person(f"friend{i}") for i in range(n)]
    asks = [ask_make(ana, *friends, product=product_make(f"Thing {i}")) for i in range(n)]
    for friend in friends:
        services.ask_answer(ask=asks[0], friend=friend, yes=True, comment="Yes")
    _logged_in(client, ana)
    client.get("/asks/")

    # the session with its user and the header's badges (one query); the asks, their answers
    with django_assert_num_queries(3):
        response = client.get("/asks/")
    assert len(html(response).all("li", cls="ask-list__item")) == n
    # the session with its user and the header's badges (one query); the ask, its answers, who was
    # asked
    with django_assert_num_queries(4):
        response = client.get(f"/asks/{asks[0].pk}/")
    assert len(html(response).all("li", cls="ask-answer")) == n


# --- the product page's first look: does an open question about it concern the viewer? -----


def test_the_first_look_finds_the_askers_and_the_asked_open_question_only():
    from datetime import timedelta

    from django.utils import timezone

    from social.likes.ask_selectors import ask_open_about_exists
    from social.likes.models import Ask
    from tests.social.likes.asks_helpers import ask_make, person, product_make

    ana, ben, cleo, dan = person("ana"), person("ben"), person("cleo"), person("dan")
    jacket, boots = product_make(), product_make("Boots")
    ask = ask_make(ana, ben, cleo, product=jacket)

    assert ask_open_about_exists(viewer=ana, product_id=jacket.pk)  # the asker
    assert ask_open_about_exists(viewer=ben, product_id=jacket.pk)  # a friend asked
    assert not ask_open_about_exists(viewer=dan, product_id=jacket.pk)  # nobody asked them
    assert not ask_open_about_exists(viewer=ana, product_id=boots.pk)  # another product

    Ask.objects.filter(pk=ask.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert not ask_open_about_exists(viewer=ben, product_id=jacket.pk)  # past its time

    Ask.objects.filter(pk=ask.pk).update(
        closes_at=timezone.now() + timedelta(days=1), closed_at=timezone.now()
    )
    assert not ask_open_about_exists(viewer=ana, product_id=jacket.pk)  # closed
