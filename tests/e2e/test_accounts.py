"""A person's account journey in a real browser: sign up, confirm, log in, make a profile."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

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
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You have logged out.")).to_be_visible()
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email or username").fill("ada@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("You are logged in as ada.")).to_be_visible()

    page.get_by_role("link", name="Edit profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit profile")
    page.get_by_label("Display name").fill("Ada Lovelace")
    page.get_by_label("Short bio").fill("I write programs for engines.")
    page.get_by_label("Avatar").set_input_files(avatar)
    page.get_by_role("button", name="Save profile").click()

    expect(page).to_have_url(re.compile(r"/people/ada/$"))
    expect(page.get_by_text("Your profile has been saved.")).to_be_visible()
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
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


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


@pytest.mark.parametrize("path", ["/accounts/signup/", "/accounts/login/", "/people/{username}/"])
def test_account_pages_fit_a_375_pixel_screen(mobile_page, path):
    user = UserFactory(bio="A bio that is long enough to wrap over several lines on a phone.")

    mobile_page.goto(path.format(username=user.username))

    expect(mobile_page.get_by_role("heading", level=1)).to_be_visible()
    overflow = mobile_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
