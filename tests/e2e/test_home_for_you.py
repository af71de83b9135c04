"""The demo shopper's home page in a real browser: built for them ("From your friends", each
pick saying why, "Why am I seeing this?"), and the ordinary home once they turn
personalisation off in their privacy settings."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in_as_the_demo_shopper(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill("shopper")
    page.get_by_label("Password", exact=True).fill("agora-shopper")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Your account")).to_be_visible()


def test_the_demo_shoppers_home_is_built_for_them_and_can_be_turned_off(page):
    call_command("demo_data", products=12, stdout=io.StringIO())
    _log_in_as_the_demo_shopper(page)

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Picked for you")
    friends = page.locator("section").filter(
        has=page.get_by_role("heading", name="From your friends")
    )
    expect(friends).to_be_visible()
    expect(friends.get_by_text(re.compile(r"^Because .+ (liked|bought) it$")).first).to_be_visible()
    page.get_by_text("Why am I seeing this?").click()
    expect(page.get_by_text(re.compile("This page is built for you"))).to_be_visible()

    page.get_by_role("link", name="Turn personalisation off in your privacy settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy")
    page.get_by_label("Personalise my home page and recommendations").uncheck()
    page.get_by_role("button", name="Save privacy settings").click()
    expect(page.get_by_text("Your privacy settings are saved.")).to_be_visible()

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Welcome to"))
    expect(page.get_by_role("heading", name="From your friends")).to_have_count(0)
