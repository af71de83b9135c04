"""A person's account journey in a real browser: sign up, confirm, log in, make a profile."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from tests.e2e.header import account_menu
from tests.factories import DEFAULT_PASSWORD, UserFactory, image_bytes

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-and-unusual-pass"


def confirmation_link(address: str) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [address])
    return re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)


def test_person_signs_up_confirms_logs_in_and_makes_a_profile(page, tmp_path):
    avatar = tmp_path / "me.png"
    avatar.write_bytes(image_bytes(size=(120, 120), color="orange"))

    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    page.get_by_label("Email", exact=True).fill("ada@example.com")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    page.goto(confirmation_link("ada@example.com"))
    expect(page.get_by_text("ada@example.com")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Your account")).to_be_visible()

    account_menu(page).get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You have logged out.")).to_be_visible()
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email or username").fill("ada@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Logged in as ada.")).to_be_visible()

    account_menu(page).get_by_role("link", name="Edit profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit profile")
    page.get_by_label("Display name").fill("Ada Lovelace")
    page.get_by_label("Short bio").fill("I write programs for engines.")
    page.get_by_label("Avatar").set_input_files(avatar)
    page.get_by_role("button", name="Save profile").click()

    expect(page).to_have_url(re.compile(r"/people/ada/$"))
    expect(
        page.get_by_text("Your profile is saved. Others now see you as Ada Lovelace.")
    ).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")
    expect(page.get_by_text("@ada")).to_be_visible()
    expect(page.get_by_text("I write programs for engines.")).to_be_visible()
    picture = page.get_by_role("img", name="Ada Lovelace's avatar")
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.complete && img.naturalWidth") > 0


def test_wrong_password_shows_a_clear_error(page):
    user = UserFactory()

    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill(user.username)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD + "-not")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("alert")).to_contain_text("password you specified are not correct")
    expect(page.get_by_role("button", name="Your account")).to_have_count(0)


def test_bad_avatar_is_explained_next_to_the_field(page, tmp_path):
    user = UserFactory(display_name="Bea")
    not_an_image = tmp_path / "notes.png"
    not_an_image.write_bytes(b"these are words, not pixels")
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill(user.email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto("/accounts/profile/")
    page.get_by_label("Short bio").fill("Kept after the error.")
    page.get_by_label("Avatar").set_input_files(not_an_image)
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_label("Avatar")).to_have_accessible_description(
        re.compile("Upload a valid image")
    )
    expect(page.get_by_label("Short bio")).to_have_value("Kept after the error.")


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/signup/",
        "/accounts/login/",
        "/accounts/confirm-email/",
        "/accounts/password/reset/",
        "/people/{username}/",
    ],
)
def test_account_pages_fit_a_375_pixel_screen(mobile_page, path):
    user = UserFactory(bio="A bio that is long enough to wrap over several lines on a phone.")

    mobile_page.goto(path.format(username=user.username))

    expect(mobile_page.get_by_role("heading", level=1)).to_be_visible()
    overflow = mobile_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_person_who_got_no_email_sends_it_again_and_confirms_with_the_new_link(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Email", exact=True).fill("grace@example.com")
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("main")).to_contain_text("We have sent a link to grace@example.com")

    # Right away: allauth's confirm_email rate limit (one email every 3 minutes) says wait.
    page.get_by_role("button", name="Send the email again").click()
    expect(page.get_by_role("status")).to_contain_text(
        "We sent a link to grace@example.com a moment ago"
    )
    assert len([m for m in mail.outbox if m.to == ["grace@example.com"]]) == 1

    cache.clear()  # the rate-limit window passes (allauth counts in the cache)
    page.get_by_role("button", name="Send the email again").click()
    expect(page.get_by_role("status")).to_contain_text(
        "We have sent a new link to grace@example.com"
    )
    assert len([m for m in mail.outbox if m.to == ["grace@example.com"]]) == 2

    page.goto(confirmation_link("grace@example.com"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Logged in as grace.")).to_be_visible()


def test_log_in_field_says_email_or_username_and_fills_from_a_password_manager(page):
    user = UserFactory(username="dana", display_name="Dana Shopper")

    page.goto("/accounts/login/")
    login = page.get_by_label("Email or username")
    expect(login).to_have_attribute("autocomplete", "username")
    expect(page.get_by_label("Password", exact=True)).to_have_attribute(
        "autocomplete", "current-password"
    )
    login.fill(user.username)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("status")).to_contain_text("Logged in as Dana Shopper.")


def test_chosen_avatar_is_previewed_before_saving(page, tmp_path):
    user = UserFactory(display_name="Bea")
    picture = tmp_path / "bea.png"
    picture.write_bytes(image_bytes(size=(200, 200), color="purple"))
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill(user.email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/accounts/profile/")
    expect(page.get_by_text("No avatar yet: others see your initial.")).to_be_visible()

    page.get_by_label("Avatar").set_input_files(picture)

    preview = page.get_by_role("img", name="Preview of your new avatar (not saved yet)")
    expect(preview).to_be_visible()
    assert preview.evaluate("img => img.complete && img.naturalWidth") == 200
    expect(page.get_by_text("Preview of bea.png. Save your profile to keep it.")).to_be_visible()
    page.get_by_role("button", name="Save profile").click()
    page.goto("/accounts/profile/")
    expect(page.get_by_role("img", name="Your current avatar")).to_be_visible()


def test_a_file_too_big_for_an_avatar_is_refused_before_sending(page, tmp_path, settings):
    settings.IMAGE_MAX_BYTES = 1024
    user = UserFactory()
    picture = tmp_path / "big.png"
    picture.write_bytes(image_bytes(size=(300, 300), color="red") + b"\0" * 2048)
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill(user.email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/accounts/profile/")

    page.get_by_label("Avatar").set_input_files(picture)

    expect(page.get_by_role("status").filter(has_text="choose a smaller one")).to_have_text(
        re.compile(r"This picture is \d+ KB; the limit is 1 KB: choose a smaller one\.")
    )
    expect(page.get_by_role("img", name=re.compile("Preview"))).to_have_count(0)


@pytest.mark.parametrize("path", ["/accounts/signup/", "/accounts/login/"])
def test_entrance_pages_are_a_centred_card_with_a_side_panel_on_wide_screens(page, path):
    page.goto(path)

    card = page.locator(".entrance").bounding_box()
    main = page.locator(".entrance__main").bounding_box()
    aside = page.get_by_role("complementary").bounding_box()
    width = page.viewport_size["width"]
    assert abs(card["x"] - (width - card["x"] - card["width"])) <= 2  # centred
    assert 600 <= card["width"] <= 960  # neither a narrow column nor the full width
    assert aside["x"] >= main["x"] + main["width"] - 1  # the panel sits beside the form
    assert abs(aside["y"] - main["y"]) <= 1
