"""Every storefront page passes axe (axe-core, bundled with axe-playwright-python) with 0
violations, at 1280 and 375 px, visited by the person who sees it: a visitor browsing and
buying as a guest, and the demo shopper signed in with orders of their own.

Each test walks its pages in one browser context and reports every violation it met at the
end (page, rule, elements), rather than stopping at the first page that has one.
"""

import io
import re
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from shop.accounts.models import User
from shop.catalog.models import Product
from shop.orders import services
from shop.orders.models import ShippingMethod
from tests.e2e.conftest import assert_accessible, axe_violations
from tests.factories import (
    ACTION_CARD,
    DECLINED_CARD,
    GOOD_CARD,
    CartLineFactory,
    address_input,
    cart_make,
)

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"1280": {"width": 1280, "height": 900}, "375": {"width": 375, "height": 812}}
SHOPPER_PASSWORD = "agora-shopper"  # demo/data/accounts.toml
# Store pages the checkout links to (templates/checkout/checkout.html and review.html).
CHECKOUT_STORE_PAGES = ["/pages/terms/", "/pages/shipping-returns/"]


@pytest.fixture
def shop(settings, live_server):
    """A small demo shop (8 products, the demo accounts and discount codes, shipping methods),
    and the demo shopper's orders: one paid, one waiting for payment."""
    settings.SITE_URL = live_server.url
    settings.PAYMENT_GATEWAY = "fake"
    call_command("demo_data", products=8, stdout=io.StringIO())
    call_command("demo_discounts", stdout=io.StringIO())
    # A transactional test empties the tables the migrations filled: put the methods back.
    for code, name, price in (("standard", "Standard delivery", 490), ("express", "Express", 990)):
        ShippingMethod.objects.get_or_create(code=code, defaults={"name": name, "price": price})
    method = ShippingMethod.objects.get(code="standard")
    shopper = User.objects.get(username="shopper")
    in_stock = [
        p
        for p in Product.objects.filter(is_published=True).prefetch_related("variants", "images")
        if any(v.stock > 2 for v in p.variants.all())
    ]
    product = in_stock[0]
    variant = next(v for v in product.variants.all() if v.stock > 2)

    cart = cart_make(user=shopper)

    def placed():
        CartLineFactory(cart=cart, variant=variant, quantity=1)
        return services.order_place(
            cart=cart,
            customer=shopper,
            email=shopper.email,
            address=address_input(),
            shipping_method_id=method.pk,
        )

    paid = placed()
    services.order_pay(order=paid, payment_method=GOOD_CARD)
    unpaid = placed()
    return SimpleNamespace(
        product=product,
        category=product.category,
        merchant=product.merchant,
        shopper=shopper,
        paid=paid,
        unpaid=unpaid,
    )


class Audit:
    """Runs axe on each page it is shown and keeps what it found, page by page."""

    def __init__(self, page):
        self.page = page
        self.width = ""
        self.found: list[str] = []
        self.seen: list[str] = []

    def check(self, what: str) -> None:
        self.page.wait_for_load_state("load")
        self.seen.append(what)
        for violation in axe_violations(self.page):
            self.found.append(f"[{self.width} px] {what} ({self.page.url}): {violation}")

    def visit(self, what: str, path: str, *, status: int = 200) -> None:
        response = self.page.goto(path)
        assert response is not None
        assert response.status == status, f"{what}: {path} answered {response.status}"
        self.check(what)

    def check_header_menus(self, what: str) -> None:
        """Open each of the header's disclosures (menus, a drawer) in turn and check the page
        with it open: what a closed menu hides, axe does not see."""
        toggles = self.page.get_by_role("banner").locator("button[aria-expanded]")
        for index in range(toggles.count()):
            toggle = toggles.nth(index)
            if not toggle.is_visible():
                continue
            toggle.click()
            expect(toggle).to_have_attribute("aria-expanded", "true")
            name = " ".join(toggle.inner_text().split()) or toggle.get_attribute("aria-label")
            self.check(f"{what}, the menu of the '{name}' button open")
            toggle.click()

    def at_width(self, width: str) -> None:
        """Go on at WIDTHS[width], as a new visitor (no cookies)."""
        self.width = width
        self.page.context.clear_cookies()
        self.page.set_viewport_size(WIDTHS[width])

    def assert_clean(self) -> None:
        assert not self.found, (
            f"axe found {len(self.found)} violation(s) on {len(self.seen)} pages:\n"
            + "\n".join(self.found)
        )


def emailed_link(address: str, path: str) -> str:
    """The link to /accounts/PATH/... in the last email sent to ADDRESS."""
    message = next(m for m in reversed(mail.outbox) if m.to == [address])
    return re.search(rf"https?://\S+/accounts/{path}/\S+", message.body).group(0)


def pay_with(page, number: str) -> None:
    page.get_by_label("Card number").fill(number)
    page.get_by_label("Expiry date").fill("12/34")
    page.get_by_label("Security code (CVC)").fill("123")
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()


def log_in(page, login: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill(login)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_a_visitor_meets_no_axe_violations_from_home_to_paid_order(page, shop):
    audit = Audit(page)
    for width in WIDTHS:
        audit.at_width(width)
        visitor_walk(page, audit, shop, width)
    audit.assert_clean()


def test_a_signed_in_shopper_meets_no_axe_violations_on_their_pages(page, shop):
    audit = Audit(page)
    for width in WIDTHS:
        audit.at_width(width)
        shopper_walk(page, audit, shop)
    audit.assert_clean()


def visitor_walk(page, audit: Audit, shop, width: str) -> None:
    """Browse, buy as a guest, then the account pages signed out.

    Every page is checked at every width; the states of a page that only add a message or
    change its results (a search, an error, a declined card) at the first width only, which
    keeps the test fast: they are the same layout with different words.
    """
    states = width == next(iter(WIDTHS))
    audit.visit("home", "/")
    audit.check_header_menus("home")
    audit.visit("product list", "/products/")
    if states:
        audit.visit(
            "product list, filtered and sorted",
            f"/products/?category={shop.category.slug}&min_price=1&max_price=500&in_stock=1"
            "&sort=price_asc",
        )
        audit.visit("product list, a search", f"/products/?q={shop.product.title.split()[-1]}")
        audit.visit("product list, no results", "/products/?q=zzqxv")
        audit.visit("product list, a bad price", "/products/?min_price=abc")
    audit.visit("category page", shop.category.get_absolute_url())
    audit.visit("merchant page", shop.merchant.get_absolute_url())
    audit.visit("cart, empty", "/cart/")
    audit.visit("product page", shop.product.get_absolute_url())

    with page.expect_response(lambda r: "/cart/add/" in r.url and r.ok):
        page.get_by_role("button", name="Add to cart").click()
    if states:
        audit.check("product page, added to the cart")
    audit.visit("cart, with an item", "/cart/")
    if states:
        page.get_by_label("Discount code").fill("NOT-A-CODE")
        page.get_by_role("button", name="Apply").click()
        audit.check("cart, a wrong discount code")

    audit.visit("checkout, details", "/checkout/")
    if states:
        page.get_by_role("button", name="Continue to review").click()
        expect(page.get_by_role("alert").first).to_be_visible()
        audit.check("checkout, details with errors")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Address line 1").fill("12 Rue des Lilas")
    page.get_by_label("Postal code").fill("75011")
    page.get_by_label("City").fill("Paris")
    page.get_by_label("Country").select_option(label="France")
    page.get_by_role("button", name="Continue to review").click()
    expect(page).to_have_url(re.compile(r"/checkout/review/$"))
    audit.check("checkout, review")

    page.get_by_role("button", name="Place order").click()
    expect(page).to_have_url(re.compile(r"/pay/(\?|$)"))
    audit.check("pay page")
    if states:
        pay_with(page, DECLINED_CARD)
        expect(page.get_by_role("alert").first).to_be_visible()
        audit.check("pay page, card declined")
    pay_with(page, GOOD_CARD)
    expect(page).to_have_url(re.compile(r"/confirmation/(\?|$)"))
    audit.check("order confirmation")
    page.get_by_role("link", name="See your order").click()
    audit.check("order page, a guest's (signed link)")

    audit.visit("log-in", "/accounts/login/")
    if states:
        page.get_by_label("Email or username").fill("nobody")
        page.get_by_label("Password", exact=True).fill("wrong-password")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("alert").first).to_be_visible()
        audit.check("log-in, wrong password")
    audit.visit("sign-up", "/accounts/signup/")
    page.get_by_label("Email", exact=True).fill(f"new{width}@example.com")
    page.get_by_label("Username").fill(f"new{width}")
    page.get_by_label("Password", exact=True).fill("a-long-and-unusual-pass")
    page.get_by_label("Password again").fill("a-long-and-unusual-pass")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    audit.check("check your email")
    audit.visit("confirm your email", emailed_link(f"new{width}@example.com", "confirm-email"))
    audit.visit("password reset", "/accounts/password/reset/")
    page.get_by_label("Email").fill("shopper@agora.test")
    page.get_by_role("button", name="Reset my password").click()
    expect(page).to_have_url(re.compile(r"/password/reset/done/$"))
    audit.check("password reset, email sent")
    page.goto(emailed_link("shopper@agora.test", "password/reset/key"))
    expect(page.get_by_label("New password", exact=True)).to_be_visible()
    audit.check("password reset, new password")
    audit.visit("person page", f"/people/{shop.shopper.username}/")
    audit.visit("404 page", "/no-such-page/", status=404)


def shopper_walk(page, audit: Audit, shop) -> None:
    """The demo shopper's own pages: orders, paying, profile, email, password, checkout."""
    log_in(page, "shopper", SHOPPER_PASSWORD)

    audit.visit("home, signed in", "/")
    audit.check_header_menus("home, signed in")
    audit.visit("product page, signed in", shop.product.get_absolute_url())
    audit.visit("orders list", "/orders/")
    audit.visit("order page, paid", shop.paid.get_absolute_url())
    audit.visit("order page, waiting for payment", shop.unpaid.get_absolute_url())
    audit.visit("pay page, signed in", f"/orders/{shop.unpaid.number}/pay/")
    audit.visit("profile edit", "/accounts/profile/")
    audit.visit("person page, your own", f"/people/{shop.shopper.username}/")
    audit.visit("email addresses", "/accounts/email/")
    audit.visit("password change", "/accounts/password/change/")

    with page.expect_response(lambda r: "/cart/add/" in r.url and r.ok):
        page.goto(shop.product.get_absolute_url())
        page.get_by_role("button", name="Add to cart").click()
    audit.visit("checkout, signed in", "/checkout/")

    page.goto(f"/orders/{shop.unpaid.number}/pay/")
    pay_with(page, ACTION_CARD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm payment")
    audit.check("pay page, the bank asks to confirm")

    audit.visit("log-out", "/accounts/logout/")


def test_the_store_pages_meet_no_axe_violations(page, live_server):
    """The pages the operator edits (about, terms, shipping and returns...): those the footer
    links to, and those the checkout links to, with the words a fresh install has."""
    # The browser tests empty the database between tests: put back the migration's pages.
    default_pages = import_module("shop.pages.migrations.0002_default_pages")
    default_pages.store_pages_add(django_apps, None)
    audit = Audit(page)
    page.goto("/")
    footer = page.get_by_role("contentinfo").locator("a[href^='/pages/']")
    linked = footer.evaluate_all("links => [...new Set(links.map(a => a.pathname))]")
    assert linked, "the footer links to no store page"
    for width in WIDTHS:
        audit.at_width(width)
        for path in [*linked, *(p for p in CHECKOUT_STORE_PAGES if p not in linked)]:
            audit.visit(f"store page {path}", path)
    audit.assert_clean()


def test_assert_accessible_names_each_violation_its_rule_and_elements(page):
    page.set_content(
        '<html lang="en"><head><title>Broken</title></head><body><main><h1>Broken</h1>'
        '<input id="nameless"><a href="#" class="empty"></a></main></body></html>'
    )

    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)

    message = str(failure.value)
    assert "label (critical): Form elements must have labels — #nameless" in message
    assert "link-name (serious): Links must have discernible text — a\n" in message + "\n"
