"""People you may know, as the demo shopper meets it: on /friends/ and beside the feed, each
person with their mutual friends; "Not now" dismisses one and "Add friend" asks another,
both without a reload, and what was done holds after one."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.test_accessibility import SHOPPER_PASSWORD
from tests.e2e.test_accessibility import log_in as log_in_with_password

pytestmark = pytest.mark.django_db(transaction=True)


def _suggestions(page):
    return page.locator("section").filter(
        has=page.get_by_role("heading", name="People you may know")
    )


def test_the_demo_shopper_dismisses_one_and_adds_another(page, settings, live_server):
    settings.SITE_URL = live_server.url
    call_command("demo_data", products=3, stdout=io.StringIO())

    log_in_with_password(page, "shopper", SHOPPER_PASSWORD)
    page.goto("/feed/")
    expect(
        _suggestions(page).get_by_role("link", name=re.compile(r"^Julia Nowak @"))
    ).to_be_visible()

    page.goto("/friends/")
    people = _suggestions(page)
    julia = people.get_by_role("listitem").filter(has_text="Julia Nowak")
    oskar = people.get_by_role("listitem").filter(has_text="Oskar Eriksson")
    expect(julia).to_contain_text(re.compile(r"\d+ mutual friends: "))
    expect(oskar).to_contain_text("3 mutual friends: ")
    expect(oskar.get_by_role("link", name="Robin")).to_be_visible()
    page.evaluate("window.notReloaded = true")

    people.get_by_role("button", name="Not now Oskar Eriksson").click()
    expect(people.get_by_text("Oskar Eriksson will not be suggested again.")).to_be_visible()
    people.get_by_role("button", name="Add friend Julia Nowak").click()
    expect(people.get_by_text("Friend request sent to Julia Nowak.")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True

    page.reload()
    people = _suggestions(page)
    expect(people.get_by_role("listitem").first).to_be_visible()
    expect(people).not_to_contain_text("Oskar Eriksson")
    expect(people).not_to_contain_text("Julia Nowak")
    sent = page.locator("section").filter(has=page.get_by_role("heading", name="Requests you sent"))
    expect(sent.get_by_role("link", name=re.compile(r"^Julia Nowak @"))).to_be_visible()
