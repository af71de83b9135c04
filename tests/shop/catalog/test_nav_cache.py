"""The header's account nav on cached catalogue pages: cached per visitor, never stale.

Everything it shows changes at once: the user's name and staff flag, signing out or in as
someone else, the cart count, flash messages; the CSRF token is this visitor's, fresh on
each page. An input the cache key does not know (another request attribute, a query) makes
the nav render uncached rather than stale; nav_cache.account_nav_invalidate is the hook for
inputs the template reads from elsewhere; the badges of shop.core.navigation (a social app's
unread count) are read on every page and are part of the key.
"""

import logging

import pytest
from django.conf import settings
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from shop.accounts.models import User
from shop.catalog import nav_cache
from shop.core.navigation import nav_entry_register, nav_entry_unregister
from tests.factories import AddressFactory, ProductFactory, UserFactory, VariantFactory
from tests.html import html
from tests.shop.catalog.nav_test_tags import UNREAD

pytestmark = pytest.mark.django_db

NAV = "components/account_nav.html"


@pytest.fixture
def product():
    product = ProductFactory(title="Brass lamp", slug="brass-lamp", with_variants=0)
    VariantFactory(product=product, sku="LAMP-1", price=4900, stock=10)
    return product


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def header(response) -> str:
    assert response.status_code == 200
    return html(response).one("header", cls="site-header").text


def has_admin_link(response) -> bool:
    return bool(html(response).one("header", cls="site-header").all("a", href="/admin/"))


def cart_label(response) -> str:
    """The header's cart link as a screen reader hears it: "Cart, 2 items"."""
    return html(response).one("a", id="cart-link").attrs["aria-label"]


def logout_token(response) -> str:
    form = html(response).one("form", action="/accounts/logout/")
    return form.one("input", name="csrfmiddlewaretoken").attrs["value"]


def nav_rendered(response) -> bool:
    return NAV in [template.name for template in response.templates]


def test_a_signed_in_visitors_nav_is_served_from_the_cache(client, product):
    client.force_login(UserFactory(display_name="Ada Byron"))
    assert nav_rendered(client.get("/products/"))

    again = client.get("/products/")
    elsewhere = client.get("/products/brass-lamp/")

    # Fails if account_nav.html reads something its cache key does not hold (see
    # nav_cache.account_nav_render): add that input to the key, or the nav renders each time.
    assert (nav_rendered(again), nav_rendered(elsewhere)) == (False, False)
    assert "Ada Byron" in header(again) and "Ada Byron" in header(elsewhere)


def test_a_nav_seen_again_comes_from_process_memory_not_the_shared_cache(
    client, product, monkeypatch
):
    client.force_login(UserFactory(display_name="Ada Byron"))
    client.get("/products/")
    read: list[str] = []
    shared = nav_cache.cache

    class Recording:
        def get(self, key, *args, **kwargs):
            read.append(key)
            return shared.get(key, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(shared, name)

    monkeypatch.setattr(nav_cache, "cache", Recording())
    again = client.get("/products/")

    assert not nav_rendered(again) and "Ada Byron" in header(again)
    # Only the user's nav version, which another process may have moved; not the entry.
    assert [key.split(":")[0] for key in read] == ["nav-version"]


def test_a_process_that_never_rendered_a_nav_takes_it_from_the_shared_cache(client, product):
    client.force_login(UserFactory(display_name="Ada Byron"))
    client.get("/products/")
    nav_cache._navs.clear()  # as another process, sharing the cache (Redis)

    again = client.get("/products/")

    assert not nav_rendered(again) and "Ada Byron" in header(again)


def test_switching_users_shows_the_new_user_at_once(client, product):
    client.force_login(UserFactory(display_name="Ada Byron", is_staff=True))
    assert has_admin_link(client.get("/products/"))

    client.force_login(UserFactory(display_name="Grace Hopper"))
    response = client.get("/products/")

    assert "Grace Hopper" in header(response) and "Ada Byron" not in header(response)
    assert not has_admin_link(response)


def test_signing_out_shows_the_signed_out_nav_at_once(client, product):
    client.force_login(UserFactory(display_name="Ada Byron"))
    assert "Ada Byron" in header(client.get("/products/"))

    client.post("/accounts/logout/")
    page = header(client.get("/products/"))

    assert "Log in" in page and "Ada Byron" not in page


def test_taking_the_staff_flag_away_hides_the_admin_link_at_once(product):
    user = UserFactory(is_staff=True)
    client = signed_in(user)
    assert has_admin_link(client.get("/products/"))

    user.is_staff = False
    user.save(update_fields=["is_staff"])

    assert not has_admin_link(client.get("/products/"))


def test_a_new_username_changes_the_profile_link_at_once(product):
    user = UserFactory(username="ada", display_name="")
    client = signed_in(user)
    client.get("/products/")

    User.objects.filter(pk=user.pk).update(username="lovelace")
    page = html(client.get("/products/"))

    assert page.one("a", href="/people/lovelace/").text == "Your profile"
    assert page.all("a", href="/people/ada/") == []
    assert "Your account (lovelace)" in page.one("header", cls="site-header").text


def test_adding_to_the_cart_shows_the_count_and_the_message_once(product):
    client = signed_in(UserFactory())
    assert cart_label(client.get(f"/products/{product.slug}/")) == "Cart, 0 items"

    added = client.post(
        "/cart/add/",
        {"variant": product.variants.get().pk, "quantity": 2},
        HTTP_SEC_FETCH_SITE="same-origin",
        follow=True,
    )
    later = client.get(f"/products/{product.slug}/")

    assert cart_label(added) == "Cart, 2 items"
    assert "Added 2 × Brass lamp" in html(added).one(cls="messages").text
    assert cart_label(later) == "Cart, 2 items"
    assert not html(later).all(cls="messages")


def test_each_page_carries_a_fresh_token_of_the_visitors_own_csrf_secret(product):
    ada, grace = signed_in(UserFactory()), signed_in(UserFactory())
    pages = [client.get("/products/") for client in (ada, grace, ada, grace)]

    tokens = [logout_token(page) for page in pages]
    secrets = [_unmask_cipher_token(token) for token in tokens]  # what each token stands for
    own = [client.cookies[settings.CSRF_COOKIE_NAME].value for client in (ada, grace, ada, grace)]

    assert secrets == own and own[0] != own[1]
    assert len(set(tokens)) == 4  # masked afresh on every page (BREACH)
    assert all(page.cookies.get(settings.CSRF_COOKIE_NAME) for page in pages)


def test_the_cached_nav_logs_out_with_its_token_under_csrf_checks(product):
    user = UserFactory(display_name="Ada Byron")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/products/")  # the nav is cached now
    token = logout_token(client.get("/products/"))

    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert "Log in" in header(client.get("/products/"))


# --- inputs the key does not hold -------------------------------------------------------------


@pytest.fixture
def nav_template(settings, tmp_path):
    """Put a test's own account_nav.html in front of the project's."""

    def use(source: str) -> None:
        (tmp_path / "components").mkdir(exist_ok=True)
        (tmp_path / "components" / "account_nav.html").write_text(source)
        templates = [dict(settings.TEMPLATES[0])]
        templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
        templates[0]["OPTIONS"] = {
            **templates[0]["OPTIONS"],
            "libraries": {"nav_test": "tests.shop.catalog.nav_test_tags"},
        }
        settings.TEMPLATES = templates

    yield use
    UNREAD.clear()
    nav_cache._templates_fingerprint.cache_clear()
    nav_cache._nav_warned.clear()


def test_account_nav_invalidate_shows_a_value_kept_outside_the_user_row(client, nav_template):
    nav_template("{% load nav_test %}<li>Unread: {% unread user %}</li>")
    user = UserFactory()
    client.force_login(user)
    UNREAD[user.pk] = 1
    assert "Unread: 1" in header(client.get("/products/"))

    UNREAD[user.pk] = 2
    nav_cache.account_nav_invalidate(user_id=user.pk)

    assert "Unread: 2" in header(client.get("/products/"))


def test_account_nav_invalidate_leaves_other_users_navs_cached(client, nav_template):
    nav_template("{% load nav_test %}<li>Unread: {% unread user %}</li>")
    ada, grace = UserFactory(), UserFactory()
    client.force_login(ada)
    client.get("/products/")

    nav_cache.account_nav_invalidate(user_id=grace.pk)

    assert not nav_rendered(client.get("/products/"))


def test_a_nav_reading_another_request_attribute_renders_uncached_and_right(
    client, nav_template, product, caplog
):
    nav_template(
        '<li><a id="login" href="/accounts/login/?next={{ request.path }}">Log in</a></li>'
    )
    client.force_login(UserFactory())

    with caplog.at_level(logging.WARNING, logger="shop.catalog.nav_cache"):
        first = html(client.get("/products/")).one("a", id="login")
        second = html(client.get("/products/brass-lamp/")).one("a", id="login")

    assert first.attrs["href"] == "/accounts/login/?next=/products/"
    assert second.attrs["href"] == "/accounts/login/?next=/products/brass-lamp/"
    assert "reads request.path" in caplog.text


def test_a_nav_that_queries_renders_uncached_and_right(client, nav_template, caplog):
    nav_template("<li>Addresses: {{ user.addresses.count }}</li>")
    user = UserFactory()
    client.force_login(user)
    assert "Addresses: 0" in header(client.get("/products/"))

    AddressFactory(user=user)
    with caplog.at_level(logging.WARNING, logger="shop.catalog.nav_cache"):
        page = header(client.get("/products/"))

    assert "Addresses: 1" in page
    assert "ran a query" in caplog.text


def test_a_template_change_is_not_served_from_an_older_cached_nav(client, nav_template):
    client.force_login(UserFactory())
    nav_template("<li>Version one</li>")
    assert "Version one" in header(client.get("/products/"))

    nav_template("<li>Version two</li>")
    nav_cache._templates_fingerprint.cache_clear()  # as a new process after a deploy

    assert "Version two" in header(client.get("/products/"))


# --- entries of shop.core.navigation (the social apps' Feed, bell...) -------------------------


@pytest.fixture
def bell(nav_registry_empty):
    """A bell whose unread count is read without a query (as from a cache); its reads, listed."""
    counts: dict[int, int] = {}
    reads: list[int] = []

    def unread(*, viewer):
        reads.append(viewer.pk)
        return counts.get(viewer.pk, 0)

    nav_entry_register(
        key="test-bell",
        label="Notifications",
        url="/notifications/",
        icon="bell",
        places=["header"],
        badge=unread,
        badge_label="{count} unread",
    )
    yield counts, reads
    nav_entry_unregister(key="test-bell")


def bell_count(response) -> str:
    badge = html(response).one("a", href="/notifications/").all("span", cls="count-badge")
    return badge[0].text if badge else "0"


def test_a_badges_new_count_shows_at_once_without_any_call(client, product, bell):
    counts, reads = bell
    user = UserFactory()
    client.force_login(user)
    counts[user.pk] = 2
    assert bell_count(client.get("/products/")) == "2"

    counts[user.pk] = 5
    page = client.get("/products/")

    assert bell_count(page) == "5"
    counts[user.pk] = 0
    assert bell_count(client.get("/products/")) == "0"


def test_a_badge_is_read_once_per_page_and_the_nav_stays_cached(client, product, bell):
    counts, reads = bell
    user = UserFactory()
    client.force_login(user)
    counts[user.pk] = 3
    client.get("/products/")
    reads.clear()

    page = client.get("/products/")

    assert reads == [user.pk]
    assert not nav_rendered(page) and bell_count(page) == "3"
