"""The store's pages under /pages/: written in admin, shown in the shop's layout."""

import pytest

from shop.pages.models import STORE_PAGE_SLUGS, StorePage
from shop.pages.templatetags.store_pages import store_page_body
from tests.factories import UserFactory
from tests.html import html

pytestmark = pytest.mark.django_db


def page_make(**fields) -> StorePage:
    defaults = {"slug": "gift-cards", "title": "Gift cards", "body": "Give a gift card."}
    return StorePage.objects.create(**{**defaults, **fields})


def test_a_fresh_install_has_the_five_pages_the_footer_and_checkout_link_to(client):
    # Written by the data migration (pages 0002), so `make run` and a new shop have them.
    for slug in STORE_PAGE_SLUGS:
        response = client.get(f"/pages/{slug}/")

        assert response.status_code == 200, slug
        doc = html(response)
        assert doc.one("h1").text == StorePage.objects.get(slug=slug).title
        assert doc.one("header", cls="site-header")  # the shop's own layout
        assert len(doc.one("main").one("div", cls="store-page__body").all("p")) >= 1


def test_the_terms_and_returns_pages_are_at_the_addresses_checkout_links_to(client):
    assert html(client.get("/pages/terms/")).one("h1").text == "Terms and conditions"
    assert html(client.get("/pages/shipping-returns/")).one("h1").text == "Shipping and returns"


def test_a_page_shows_its_title_summary_and_text(client):
    page_make(summary="Cards for any amount.", body="## How\nPick an amount.\n\n- Any amount")

    doc = html(client.get("/pages/gift-cards/"))

    assert doc.one("title").text == "Gift cards · Agora"
    assert doc.one("meta", name="description").attrs["content"] == "Cards for any amount."
    assert doc.one("p", cls="store-page__summary").text == "Cards for any amount."
    body = doc.one("div", cls="store-page__body")
    assert body.one("h2").text == "How"
    assert body.one("p").text == "Pick an amount."
    assert body.one("li").text == "Any amount"


def test_an_unpublished_page_is_not_found(client):
    page_make(is_published=False)

    assert client.get("/pages/gift-cards/").status_code == 404


def test_a_missing_page_is_not_found(client):
    assert client.get("/pages/no-such-page/").status_code == 404


def test_the_operator_previews_a_draft_marked_as_such(client):
    page_make(is_published=False)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get("/pages/gift-cards/")

    assert response.status_code == 200
    assert "Draft: shoppers cannot see this page" in html(response).one("main").text


def test_merchant_staff_do_not_see_drafts(client):
    page_make(is_published=False)
    client.force_login(UserFactory(is_staff=True))

    assert client.get("/pages/gift-cards/").status_code == 404


def test_a_page_answers_only_get_and_head(client):
    page_make()

    assert client.post("/pages/gift-cards/").status_code == 405


@pytest.mark.parametrize("pages", [1, 30])
def test_a_page_takes_one_query_whatever_the_number_of_pages(
    client, django_assert_num_queries, pages
):
    for n in range(pages):
        page_make(slug=f"page-{n}", title=f"Page {n}", body="Words.\n\n" * 20)
    client.get("/pages/page-0/")  # the header's categories menu is cached from then on

    with django_assert_num_queries(1):  # the page
        response = client.get(f"/pages/page-{pages - 1}/")

    assert html(response).one("h1").text == f"Page {pages - 1}"


# --- the text -----------------------------------------------------------------------------------


def test_the_text_is_escaped_and_only_our_markup_is_made():
    rendered = store_page_body("<script>alert(1)</script>\n\n## <b>Terms</b>\n- <i>one</i>")

    assert "<script>" not in rendered and "<b>" not in rendered and "<i>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "<h2>&lt;b&gt;Terms&lt;/b&gt;</h2>" in rendered
    assert "<li>&lt;i&gt;one&lt;/i&gt;</li>" in rendered


def test_a_paragraph_list_and_lines_are_kept_apart():
    rendered = store_page_body("Delivery options:\n- Standard\n- Express\nAsk us.\n\nNext\nline")

    assert rendered == (
        "<p>Delivery options:</p>\n<ul><li>Standard</li><li>Express</li></ul>\n"
        "<p>Ask us.</p>\n<p>Next<br>line</p>"
    )


def test_web_and_email_addresses_become_links():
    rendered = store_page_body("Write to shop@example.com or see https://example.com/help.")

    assert '<a href="mailto:shop@example.com">shop@example.com</a>' in rendered
    assert (
        '<a href="https://example.com/help" rel="nofollow">https://example.com/help</a>' in rendered
    )


# --- admin --------------------------------------------------------------------------------------


def test_the_operator_writes_a_page_in_admin(operator_client):
    response = operator_client.post(
        "/admin/pages/storepage/add/",
        {
            "title": "Gift cards",
            "slug": "gift-cards",
            "summary": "",
            "body": "Give a gift card.",
            "is_published": "on",
        },
    )

    assert response.status_code == 302
    assert html(operator_client.get("/pages/gift-cards/")).one("h1").text == "Gift cards"


def test_merchant_staff_cannot_edit_the_pages(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get("/admin/pages/storepage/").status_code == 403
