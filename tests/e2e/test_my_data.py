"""My data in a real browser: a person downloads a copy of their data; another deletes their
account with their password and can no longer log in."""

import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from tests.factories import DEFAULT_PASSWORD, UserFactory, friends_make

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Your account")).to_be_visible()


def test_a_person_requests_and_downloads_their_data(page, tmp_path):
    sam = UserFactory(username="sam", display_name="Sam Sample")
    friends_make(sam, UserFactory(username="ana"))
    log_in(page, "sam")

    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Download your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    expect(page.get_by_text("You have not asked for your data yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Request my data").click()

    expect(page.get_by_text("We are preparing your data")).to_be_visible()
    download_link = page.get_by_role("link", name=re.compile(r"^Download your data of"))
    expect(download_link).to_be_visible()
    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / "data.zip"
    info.value.save_as(path)
    archive = zipfile.ZipFile(path)
    assert {"accounts.json", "orders.json", "graph.json"} <= set(archive.namelist())
    graph = json.loads(archive.read("graph.json"))
    assert [friend["username"] for friend in graph["friends"]] == ["ana"]


def test_a_person_deletes_their_account_and_can_no_longer_log_in(page):
    UserFactory(username="dora", display_name="Dora Dee")
    log_in(page, "dora")

    page.goto("/settings/data/")
    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    assert_accessible(page)
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator(".field--error").get_by_text("Wrong password.")).to_be_visible()

    page.get_by_label("Your password").fill(DEFAULT_PASSWORD)
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account").click()

    expect(page.get_by_text("Your account is deleted.")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill("dora")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("button", name="Your account")).to_have_count(0)
    assert page.goto("/people/dora/").status == 404
