"""Like and unlike from cards and product pages (htmx in place, or a plain POST and a
redirect back), /likes/, and "more like this"."""

import pytest

from shop.core.cursors import TimeCursor
from social.likes import services
from social.likes.models import Like, ProductLikeCount
from tests.factories import CategoryFactory, MerchantFactory, ProductFactory, UserFactory
from tests.html import html

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def jacket():
    return ProductFactory(title="Trail Jacket", slug="trail-jacket", with_variants=1)


@pytest.fixture
def ana(client):
    person = UserFactory(username="ana", display_name="Ana")
    client.force_login(person)
    return person


def _count(product) -> int:
    row = ProductLikeCount.objects.filter(product=product).first()
    return row.count if row else 0


def test_a_htmx_like_answers_the_button_pressed_with_the_count(client, ana, jacket):
    response = client.post("/likes/trail-jacket/", {"place": "card"}, **HTMX)

    assert response.status_code == 200
    button = html(response).one("button", cls="like-button")
    assert button.attrs["aria-pressed"] == "true"
    assert "Liked" in button.text and "1" in button.text
    assert Like.objects.filter(user=ana, product=jacket).exists()


def test_a_htmx_unlike_answers_the_button_released(client, ana, jacket):
    services.like_create(user=ana, product=jacket)

    response = client.post("/likes/trail-jacket/remove/", {"place": "page"}, **HTMX)

    button = html(response).one("button", cls="like-button")
    assert button.attrs["aria-pressed"] == "false"
    assert _count(jacket) == 0


def test_liking_shows_more_like_this_in_place(client, ana, jacket):
    lamp = ProductFactory(
        title="Storm Shell", category=jacket.category, merchant=MerchantFactory(), with_variants=1
    )
    ProductFactory(title="Sold out", category=jacket.category, with_variants=0)
    ProductFactory(title="Draft", category=jacket.category, is_published=False, with_variants=1)
    ProductFactory(title="Unrelated", category=CategoryFactory(), brand="Other", with_variants=1)

    response = client.post("/likes/trail-jacket/", {"place": "card"}, **HTMX)

    names = [n.text for n in html(response).all("span", cls="more-like-this__name")]
    assert names == [lamp.title]


def test_more_like_this_ranks_what_the_same_people_like_first(client, ana, jacket):
    first = ProductFactory(title="Older pick", category=jacket.category, with_variants=1)
    ProductFactory(title="Newer pick", category=jacket.category, with_variants=1)
    for fan in UserFactory.create_batch(2, verified=False):
        services.like_create(user=fan, product=jacket)
        services.like_create(user=fan, product=first)

    response = client.post("/likes/trail-jacket/", {"place": "card"}, **HTMX)

    names = [n.text for n in html(response).all("span", cls="more-like-this__name")]
    assert names == ["Older pick", "Newer pick"]


def test_without_javascript_a_like_comes_back_to_the_page_it_was_sent_from(client, ana, jacket):
    response = client.post("/likes/trail-jacket/", {"next": "/products/?page=2"})

    assert response.status_code == 302
    assert response["Location"] == "/products/?page=2"
    assert _count(jacket) == 1


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_a_next_to_another_site_goes_to_the_product_instead(client, ana, jacket, evil):
    response = client.post("/likes/trail-jacket/", {"next": evil})

    assert response["Location"] == "/products/trail-jacket/"


def test_without_javascript_the_product_page_shows_more_like_this_after_a_like(client, ana, jacket):
    ProductFactory(title="Storm Shell", category=jacket.category, with_variants=1)

    response = client.post("/likes/trail-jacket/", follow=True)

    page = html(response)
    assert page.one("button", cls="like-button").attrs["aria-pressed"] == "true"
    assert [n.text for n in page.all("span", cls="more-like-this__name")] == ["Storm Shell"]
    assert "You like Trail Jacket." in page.text


def test_an_anonymous_visitor_is_sent_to_log_in(client, jacket):
    response = client.post("/likes/trail-jacket/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fproducts%2Ftrail-jacket%2F"
    assert not Like.objects.exists()


def test_an_anonymous_htmx_like_redirects_the_browser_to_log_in(client, jacket):
    response = client.post("/likes/trail-jacket/", **HTMX)

    assert response["HX-Redirect"].startswith("/accounts/login/?next=")


def test_an_unknown_product_is_a_404(client, ana):
    assert client.post("/likes/no-such-thing/").status_code == 404


def test_an_unpublished_product_is_refused_with_a_message(client, ana):
    ProductFactory(slug="draft", is_published=False)

    response = client.post("/likes/draft/", {"next": "/likes/"}, follow=True)

    assert "This product is not available." in html(response).text
    assert not Like.objects.exists()


def test_liking_needs_a_post(client, ana, jacket):
    assert client.get("/likes/trail-jacket/").status_code == 405


def test_a_cross_site_post_is_refused(ana, jacket):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ana)

    response = browser.post("/likes/trail-jacket/", HTTP_SEC_FETCH_SITE="cross-site")

    assert response.status_code == 403
    assert not Like.objects.exists()


def test_a_same_site_post_without_token_is_accepted(ana, jacket):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ana)

    response = browser.post("/likes/trail-jacket/", HTTP_SEC_FETCH_SITE="same-origin")

    assert response.status_code == 302
    assert Like.objects.filter(user=ana).exists()


def test_cards_and_the_product_page_show_the_like_button_with_the_count(client, ana, jacket):
    services.like_create(user=UserFactory(), product=jacket)

    for url in ["/products/", "/products/trail-jacket/", "/"]:
        button = html(client.get(url)).all("button", cls="like-button")
        assert button and "1" in button[0].text, url


# --- /likes/ ------------------------------------------------------------------------------


def test_my_likes_newest_first_with_a_remove_button(client, ana):
    older = ProductFactory(title="Older", with_variants=1)
    newer = ProductFactory(title="Newer", with_variants=1)
    services.like_create(user=ana, product=older)
    services.like_create(user=ana, product=newer)
    services.like_create(user=UserFactory(), product=ProductFactory(title="Theirs"))

    page = html(client.get("/likes/"))

    titles = [t.text for t in page.all("h3", cls="product-card__title")]
    assert titles == ["Newer", "Older"]
    assert len(page.all("form", cls="likes-grid__remove")) == 2


def test_removing_from_my_likes_comes_back_to_them(client, ana, jacket):
    services.like_create(user=ana, product=jacket)

    response = client.post("/likes/trail-jacket/remove/", {"next": "/likes/"}, follow=True)

    assert response.redirect_chain[-1][0] == "/likes/"
    assert "You have not liked anything yet" in html(response).text


def test_my_likes_are_paged_by_cursor(client, ana, settings):
    from social.likes import selectors

    products = ProductFactory.create_batch(5, with_variants=1)
    for product in products:
        services.like_create(user=ana, product=product)
    first = selectors.like_page_for_user(user=ana, size=3)

    second = selectors.like_page_for_user(
        user=ana, cursor=TimeCursor.decode(first.next_cursor), size=3
    )

    shown = [i.product.pk for i in first.items] + [i.product.pk for i in second.items]
    assert shown == [p.pk for p in reversed(products)]
    assert second.next_cursor is None


def test_a_malformed_cursor_gives_the_first_page(client, ana, jacket):
    services.like_create(user=ana, product=jacket)

    response = client.get("/likes/", {"cursor": "%%%not-a-cursor"})

    assert response.status_code == 200
    assert "Trail Jacket" in html(response).text


def test_show_more_with_htmx_appends_the_next_page(client, ana, monkeypatch):
    from social.likes import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    for product in ProductFactory.create_batch(3, with_variants=1):
        services.like_create(user=ana, product=product)
    more = html(client.get("/likes/")).one("p", id="likes-more").one("a")

    response = client.get("/likes/" + more.attrs["href"], **HTMX)

    page = html(response)
    assert len(page.all("h3", cls="product-card__title")) == 1
    assert page.one("p", id="likes-more").attrs["hx-swap-oob"] == "true"


def test_my_likes_are_for_signed_in_people(client):
    response = client.get("/likes/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_account_menu_lists_likes(client, ana):
    page = html(client.get("/likes/"))

    assert page.all("a", href="/likes/")


@pytest.mark.parametrize("n", [3, 30])
def test_my_likes_cost_the_same_queries_whatever_their_number(
    client, ana, django_assert_num_queries, n
):
    for product in ProductFactory.create_batch(n, with_variants=1, with_images=1):
        services.like_create(user=ana, product=product)
    client.get("/likes/")

    # the session with its user and the header's badges (one query), likes, their products, the
    # products' images
    with django_assert_num_queries(4):
        assert client.get("/likes/").status_code == 200
