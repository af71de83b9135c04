"""The share control on the product page, /shares/new/ with and without JavaScript, the
sharer's page of a link, and what a shared link's page shows (previews) and records."""

import json
import re

import pytest
from django.utils import timezone

from social.likes import share_services
from social.likes.models import Share, ShareVisit
from social.notifications.models import Notification
from tests.factories import ProductFactory, ProductImageFactory, UserFactory, friends_make

pytestmark = pytest.mark.django_db

SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin"}
QUERIES_FRIENDS_LIST = 4


def person(username):
    return UserFactory(username=username, display_name=username.title(), last_login=timezone.now())


@pytest.fixture
def product():
    product = ProductFactory(title="Trail Jacket", slug="trail-jacket")
    ProductImageFactory(product=product, alt_text="A red jacket")
    return product


@pytest.fixture
def ana(client):
    ana = person("ana")
    client.force_login(ana)
    return ana


def test_a_signed_in_shopper_sees_the_share_control_with_their_friends_list_to_load(
    client, ana, product
):
    ben = person("ben")
    friends_make(ana, ben)

    html = client.get("/products/trail-jacket/").content.decode()

    assert '<details class="share"' in html and ">Share</summary>" in html
    assert 'src="/static/js/share.js"' in html
    assert "data-web-share hidden" in html  # shown only where the browser has navigator.share
    # The friends are loaded when the panel opens; without JavaScript the link is a page.
    friends_url = f"/shares/friends/?product={product.pk}"
    assert f'hx-get="{friends_url}" hx-trigger="toggle once from:closest details"' in html
    assert f'<a href="{friends_url}">Choose friends to send it to</a>' in html
    assert 'name="recipients"' not in html


def test_the_share_panel_loads_the_shoppers_friends_when_it_opens(client, ana, product):
    ben, cleo, dan = person("ben"), person("cleo"), person("dan")
    friends_make(ana, ben, cleo)

    response = client.get(f"/shares/friends/?product={product.pk}", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'name="recipients" value="{ben.pk}"' in html
    assert f'name="recipients" value="{cleo.pk}"' in html
    assert f'value="{dan.pk}"' not in html  # not a friend
    assert 'hx-post="/shares/new/"' in html and ">Send to friends</button>" in html


def test_without_javascript_the_friends_to_send_to_are_a_page_that_posts_back(client, ana, product):
    ben = person("ben")
    friends_make(ana, ben)

    html = client.get(f"/shares/friends/?product={product.pk}").content.decode()

    assert "<h1>Send Trail Jacket to friends</h1>" in html
    assert f'name="recipients" value="{ben.pk}"' in html
    assert 'method="post" action="/shares/new/"' in html
    assert '<a href="/products/trail-jacket/">Back to Trail Jacket</a>' in html


def test_a_shopper_without_friends_is_told_how_to_find_some(client, ana, product):
    html = client.get(
        f"/shares/friends/?product={product.pk}", headers={"HX-Request": "true"}
    ).content.decode()

    assert "Once you have friends here you can send them products." in html
    assert 'name="recipients"' not in html


@pytest.mark.parametrize("query", ["", "?product=", "?product=abc", "?product=999999999"])
def test_the_friends_list_of_no_product_is_not_found(client, ana, query):
    assert client.get(f"/shares/friends/{query}").status_code == 404


def test_the_friends_list_of_a_blocked_friend_leaves_them_out(client, ana, product):
    from social.graph.models import Block

    ben, cleo = person("ben"), person("cleo")
    friends_make(ana, ben, cleo)
    # Written by hand, the friendship kept: the list itself must leave a blocked person out.
    Block.objects.create(blocker=cleo, blocked=ana)

    html = client.get(f"/shares/friends/?product={product.pk}").content.decode()

    assert f'value="{ben.pk}"' in html and f'value="{cleo.pk}"' not in html


def test_a_visitor_asking_for_the_friends_list_is_sent_to_log_in(product):
    from django.test import Client

    response = Client().get(f"/shares/friends/?product={product.pk}")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_visitor_sees_no_share_control(client, product):
    html = client.get("/products/trail-jacket/").content.decode()

    assert "share__panel" not in html


def test_sharing_with_friends_without_javascript_says_so_and_goes_back(
    client, ana, product, django_capture_on_commit_callbacks
):
    ben = person("ben")
    friends_make(ana, ben)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/shares/new/",
            {"product": product.pk, "channel": "friends", "recipients": [ben.pk], "message": "Hi"},
            **SAME_SITE,
        )

    assert response.status_code == 302 and response["Location"] == "/products/trail-jacket/"
    page = client.get(response["Location"]).content.decode()
    assert "Shared with Ben." in page
    assert Notification.objects.filter(recipient=ben, kind="share_received").count() == 1


def test_sharing_with_friends_with_htmx_answers_in_place(client, ana, product):
    ben = person("ben")
    friends_make(ana, ben)

    response = client.post(
        "/shares/new/",
        {"product": product.pk, "channel": "friends", "recipients": [ben.pk]},
        headers={"HX-Request": "true"},
        **SAME_SITE,
    )

    assert response.status_code == 200
    assert "Shared with Ben." in response.content.decode()


def test_a_refused_share_with_htmx_says_why_in_place(client, ana, product):
    stranger = person("stranger")

    response = client.post(
        "/shares/new/",
        {"product": product.pk, "channel": "friends", "recipients": [stranger.pk]},
        headers={"HX-Request": "true"},
        **SAME_SITE,
    )

    assert 'role="alert"' in response.content.decode()
    assert "only share with your friends" in response.content.decode()
    assert not Share.objects.exists()


def test_a_refused_share_without_javascript_says_why_on_the_product_page(client, ana, product):
    response = client.post(
        "/shares/new/", {"product": product.pk, "channel": "friends"}, follow=True, **SAME_SITE
    )

    assert "Choose at least one friend" in response.content.decode()


def test_get_a_link_without_javascript_leads_to_the_sharers_page_of_it(client, ana, product):
    response = client.post("/shares/new/", {"product": product.pk, "channel": "link"}, **SAME_SITE)

    share = Share.objects.get()
    assert response["Location"] == f"/shares/{share.token}/"
    html = client.get(response["Location"]).content.decode()
    assert f"/products/trail-jacket/?s={share.token}" in html
    assert "https://twitter.com/intent/tweet?" in html
    assert "https://www.facebook.com/sharer/sharer.php?" in html
    assert "https://wa.me/?" in html
    assert "https://pinterest.com/pin/create/button/?" in html
    assert 'href="mailto:?subject=Trail%20Jacket' in html
    assert '<script src="http' not in html  # no third-party script


def test_get_a_link_with_htmx_answers_the_link_in_place(client, ana, product):
    response = client.post(
        "/shares/new/",
        {"product": product.pk, "channel": "link"},
        headers={"HX-Request": "true"},
        **SAME_SITE,
    )

    share = Share.objects.get()
    html = response.content.decode()
    assert f"?s={share.token}" in html and "data-share-copy" in html


def test_the_web_share_api_gets_a_link_as_json(client, ana, product):
    response = client.post(
        "/shares/new/",
        {"product": product.pk, "channel": "network", "network": "native"},
        headers={"Accept": "application/json"},
        **SAME_SITE,
    )

    assert response.status_code == 201
    share = Share.objects.get()
    assert (share.channel, share.network) == ("network", "native")
    assert response.json()["url"].endswith(f"/products/trail-jacket/?s={share.token}")


def test_json_errors_name_the_field(client, ana, product):
    response = client.post(
        "/shares/new/",
        {"product": product.pk, "channel": "network", "network": "myspace"},
        headers={"Accept": "application/json"},
        **SAME_SITE,
    )

    assert response.status_code == 400
    assert response.json()["errors"]["network"][0]["code"] == "invalid_network"


def test_a_missing_product_is_a_form_message_not_a_500(client, ana):
    response = client.post(
        "/shares/new/",
        {"product": "999999999999999999999", "channel": "link"},
        headers={"Accept": "application/json"},
        **SAME_SITE,
    )

    assert response.status_code == 400
    assert "product" in response.json()["errors"]


def test_a_visitor_posting_is_sent_to_log_in(client, product):
    response = client.post("/shares/new/", {"product": product.pk, "channel": "link"}, **SAME_SITE)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Share.objects.exists()


def test_a_post_from_another_site_is_refused(product):
    from django.test import Client

    ana = person("ana")
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)

    response = client.post(
        "/shares/new/",
        {"product": product.pk, "channel": "link"},
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_ORIGIN="https://evil.example",
    )

    assert response.status_code == 403
    assert not Share.objects.exists()


def test_someone_elses_share_page_is_not_found(client, ana, product):
    other = share_services.share_create(sharer=person("ben"), product=product, channel="link")

    assert client.get(f"/shares/{other.token}/").status_code == 404


# --- the shared link's page ---------------------------------------------------------------


def test_the_shared_link_page_previews_well(client, product):
    share = share_services.share_create(sharer=person("ana"), product=product, channel="link")

    html = client.get(f"/products/trail-jacket/?s={share.token}").content.decode()

    head = html.split("</head>")[0]
    assert '<meta property="og:title" content="Trail Jacket">' in head
    assert '<meta property="og:type" content="product">' in head
    assert re.search(r'<meta property="og:image" content="https?://[^"]+">', head)
    assert re.search(
        r'<meta property="og:url" content="https?://[^"]+/products/trail-jacket/">', head
    )
    assert '<meta property="og:description"' in head
    assert '<meta property="product:price:amount"' in head
    assert '<meta name="twitter:card" content="summary_large_image">' in head
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)[1])
    assert ld["@type"] == "Product" and ld["name"] == "Trail Jacket"
    # The token is no part of the page: the page is the cached one, the same for everyone.
    assert share.token not in html


def test_a_visit_through_a_share_link_is_recorded_once_per_visitor(client, product):
    share = share_services.share_create(sharer=person("ana"), product=product, channel="link")

    for _ in range(3):
        assert client.get(f"/products/trail-jacket/?s={share.token}").status_code == 200

    visit = ShareVisit.objects.get()
    assert visit.share == share and visit.visitor is None and len(visit.visitor_key) == 64
    share.refresh_from_db()
    assert share.visit_count == 1
    assert client.session["attribution"] == f"share:{share.token}:{visit.pk}"


def test_two_visitors_are_two_visits(product):
    from django.test import Client

    share = share_services.share_create(sharer=person("ana"), product=product, channel="link")

    Client().get(f"/products/trail-jacket/?s={share.token}")
    Client().get(f"/products/trail-jacket/?s={share.token}")

    share.refresh_from_db()
    assert share.visit_count == 2 == ShareVisit.objects.count()


def test_a_signed_in_visit_names_the_visitor(client, product):
    share = share_services.share_create(sharer=person("ana"), product=product, channel="link")
    ben = person("ben")
    client.force_login(ben)

    client.get(f"/products/trail-jacket/?s={share.token}")

    assert ShareVisit.objects.get().visitor == ben


def test_the_sharers_own_visit_is_not_counted(client, ana, product):
    share = share_services.share_create(sharer=ana, product=product, channel="link")

    client.get(f"/products/trail-jacket/?s={share.token}")

    assert not ShareVisit.objects.exists()
    assert "attribution" not in client.session


@pytest.mark.parametrize("token", ["unknown-token-123", "x", "a" * 200, "%00", ""])
def test_an_unknown_token_is_no_error_and_records_nothing(client, product, token):
    response = client.get("/products/trail-jacket/", {"s": token})

    assert response.status_code == 200
    assert not ShareVisit.objects.exists()
    assert "attribution" not in client.session
    assert "sessionid" not in response.cookies


def test_a_token_of_another_product_records_nothing(client, product):
    other = ProductFactory(slug="tent")
    share = share_services.share_create(sharer=person("ana"), product=other, channel="link")

    assert client.get(f"/products/trail-jacket/?s={share.token}").status_code == 200

    assert not ShareVisit.objects.exists()


def test_the_token_does_not_change_the_cached_page(client, product):
    share = share_services.share_create(sharer=person("ana"), product=product, channel="link")
    from django.test import Client

    plain = Client().get("/products/trail-jacket/").content
    shared = Client().get(f"/products/trail-jacket/?s={share.token}").content

    assert plain == shared


# --- queries ------------------------------------------------------------------------------


@pytest.mark.parametrize("friends", [3, 30])
def test_the_product_page_with_the_share_control_takes_the_same_queries_for_3_or_30_friends(
    client, ana, product, django_assert_num_queries, friends
):
    people = [person(f"friend{i}") for i in range(friends)]
    friends_make(ana, *people)
    client.get("/products/trail-jacket/")  # warm the page's cached parts

    # The session with its user, the header's two badges (read with it), whether
    # an open question about the product concerns the viewer (social.likes' asks); none for the
    # share control, whose friends are loaded when it opens.
    with django_assert_num_queries(2):
        html = client.get("/products/trail-jacket/").content.decode()

    assert "Choose friends to send it to" in html


@pytest.mark.parametrize("friends", [3, 30])
def test_the_friends_list_takes_the_same_queries_for_3_or_30_friends(
    client, ana, product, django_assert_num_queries, friends
):
    people = [person(f"friend{i}") for i in range(friends)]
    friends_make(ana, *people)

    # The session with its user, the product and its variants, images and category (as on its page),
    # the friends.
    with django_assert_num_queries(QUERIES_FRIENDS_LIST):
        html = client.get(
            f"/shares/friends/?product={product.pk}", headers={"HX-Request": "true"}
        ).content.decode()

    assert html.count('name="recipients"') == friends


@pytest.mark.parametrize("recipients", [2, 20])
def test_sharing_with_friends_takes_the_same_queries_for_2_or_20_friends(
    client, ana, product, django_assert_num_queries, django_capture_on_commit_callbacks, recipients
):
    people = [person(f"friend{i}") for i in range(recipients)]
    friends_make(ana, *people)
    data = {"product": product.pk, "channel": "friends", "recipients": [p.pk for p in people]}

    # The product (2), the session with its user, the sharer's lock and daily count, the share, its
    # recipients (one insert), the activity and its recipients (one insert), two outbox rows,
    # savepoints: none per friend (each is notified from Celery, through the outbox).
    with django_assert_num_queries(22):
        response = client.post("/shares/new/", data, headers={"HX-Request": "true"}, **SAME_SITE)

    assert response.status_code == 200


def test_a_garbled_message_is_a_form_message_not_a_500(client, ana, product):
    ben = person("ben")
    friends_make(ana, ben)

    response = client.post(
        "/shares/new/",
        {
            "product": product.pk,
            "channel": "friends",
            "recipients": [ben.pk, "x"],
            "message": "a\x00",
        },
        follow=True,
        **SAME_SITE,
    )

    assert response.status_code == 200
    assert not Share.objects.exists()
