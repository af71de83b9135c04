"""Reviews in a real browser: a buyer of a delivered order reviews it with a photo; a friend
finds it first on the product page ("Your friend …") and votes it helpful without a reload;
the merchant's staff reply in admin; an operator hides a reported review and the product
page's average changes."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews.models import Review
from shop.catalog.services import merchant_staff_add
from tests.e2e.conftest import assert_accessible, watched_page
from tests.e2e.test_friends import log_in
from tests.e2e.test_merchant_admin import log_in as admin_log_in
from tests.factories import (
    MerchantFactory,
    ProductFactory,
    UserFactory,
    friends_make,
    image_bytes,
    purchases_make,
)
from tests.reviews.helpers import review_write

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_buyer_reviews_with_a_photo_and_a_friend_sees_it_first_and_votes(
    page, browser, live_server, request, tmp_path
):
    jacket = ProductFactory(title="Trail Jacket", slug="trail-jacket")
    for name in ("Sam", "Kim"):
        review = review_write(UserFactory(display_name=name), jacket, rating=5, title=f"By {name}")
        Review.objects.filter(pk=review.pk).update(helpful_count=7)
    ana = UserFactory(username="ana", display_name="Ana Alves", last_login=timezone.now())
    ben = UserFactory(username="ben", display_name="Ben Brandt", last_login=timezone.now())
    friends_make(ana, ben)
    purchases_make(ana, [jacket], status="delivered")
    photo = tmp_path / "jacket.png"
    photo.write_bytes(image_bytes(size=(200, 150), color="darkred"))

    log_in(page, "ana")
    page.goto("/products/trail-jacket/")
    page.locator("#reviews").get_by_role("link", name="Write a review").click()
    page.get_by_label("4 stars").check()
    page.get_by_label("Title").fill("Warm and light")
    page.get_by_label("Your review").fill("Kept me dry on a wet week in the hills.")
    page.get_by_label("Photos").set_input_files(str(photo))
    page.get_by_role("button", name="Post my review").click()

    mine = page.locator(".review", has_text="Warm and light")
    expect(mine).to_contain_text("Verified purchase")
    expect(mine.get_by_role("img", name=re.compile("Photo 1"))).to_be_visible()
    assert_accessible(page)

    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as other:
        log_in(other, "ben")
        other.goto("/products/trail-jacket/")
        first = other.locator("#reviews-list .review").first
        expect(first).to_contain_text("Your friend Ana Alves")
        expect(first).to_contain_text("Warm and light")
        assert_accessible(other)
        other.evaluate("window.notReloaded = true")

        first.get_by_role("button", name="Helpful", exact=True).click()

        expect(first).to_contain_text("1 found this helpful")
        expect(first.get_by_role("button", name="Helpful", exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
        assert other.evaluate("window.notReloaded") is True


def test_staff_reply_in_admin_and_an_operator_hides_a_reported_review(page, live_server):
    alpha = MerchantFactory(name="Alpha Outdoor", slug="alpha-outdoor")
    staff = UserFactory(username="olivia")
    merchant_staff_add(merchant=alpha, user=staff)
    UserFactory(username="operator", is_staff=True, is_superuser=True)
    jacket = ProductFactory(title="Trail Jacket", slug="trail-jacket", merchant=alpha)
    good = review_write(UserFactory(), jacket, rating=5, title="Lovely jacket")
    spam = review_write(UserFactory(), jacket, rating=1, title="Cheap copies here")
    Review.objects.filter(pk=spam.pk).update(needs_moderation=True, report_count=1)

    admin_log_in(page, "olivia")
    page.goto("/admin/reviews/review/")
    page.locator(f"input[name=_selected_action][value='{good.pk}']").check()
    page.locator("select[name=action]").select_option("reply")
    page.get_by_role("button", name="Go").click()
    page.locator(f"textarea[name='review-{good.pk}-body']").fill("Thank you, enjoy the hills!")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text(f"Reply posted to review #{good.pk}.")).to_be_visible()
    page.goto("/products/trail-jacket/reviews/")
    expect(page.locator(".review", has_text="Lovely jacket")).to_contain_text(
        "Reply from Alpha Outdoor"
    )
    expect(page.locator("[data-rating-average]")).to_have_text("3.0")

    page.context.clear_cookies()
    admin_log_in(page, "operator")
    page.goto("/admin/reviews/review/?needs_moderation__exact=1")
    page.locator(f"input[name=_selected_action][value='{spam.pk}']").check()
    page.locator("select[name=action]").select_option("hide")
    page.get_by_role("button", name="Go").click()
    page.locator(f"input[name='review-{spam.pk}-reason']").fill("Advertising")
    page.get_by_role("button", name="Hide").click()
    expect(page.get_by_text(f"Review #{spam.pk} hidden")).to_be_visible()

    page.goto("/products/trail-jacket/")
    expect(page.locator("#reviews [data-rating-average]")).to_have_text("5.0")
    expect(page.locator("#reviews-list")).not_to_contain_text("Cheap copies here")
