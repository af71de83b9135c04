"""People in a real browser: finding someone and asking them from their page, and a block made
from a person's More menu, after which the blocked person finds nothing of the blocker."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, watched_page
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Your account")).to_be_visible()


def person(name: str) -> re.Pattern:
    """The accessible name of a person's link in a list: their name, then @handle."""
    return re.compile(rf"^{re.escape(name)} @")


def test_find_someone_and_ask_them_from_their_page(page):
    UserFactory(username="ana", display_name="Ana Alves")
    UserFactory(username="ben", display_name="Ben Brandt")

    log_in(page, "ben")
    page.goto("/people/")
    page.get_by_label("Name or username").fill("alves")
    page.get_by_role("button", name="Search people").click()
    expect(page.get_by_role("heading", name="1 person found for “alves”")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=person("Ana Alves")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ana Alves")
    expect(page.get_by_text("Ana Alves shares their profile with friends only.")).to_be_visible()
    page.get_by_role("button", name="Add friend Ana Alves").click()

    expect(page.get_by_text("Friend request sent to Ana Alves.")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel request to Ana Alves")).to_be_visible()
    assert_accessible(page)


def test_a_block_from_the_more_menu_hides_the_blocker_from_the_blocked(
    page, browser, live_server, request
):
    UserFactory(username="ana", display_name="Ana Alves")
    UserFactory(username="ben", display_name="Ben Brandt")
    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as ben:
        # Ben has Ana's page open before she blocks him.
        log_in(ben, "ben")
        ben.goto("/people/ana/")
        expect(ben.get_by_role("button", name="Add friend Ana Alves")).to_be_visible()

        log_in(page, "ana")
        page.goto("/people/ben/")
        more = page.locator("details.more-menu > summary")
        expect(more).to_have_text("More for Ben Brandt")
        more.focus()
        page.keyboard.press("Enter")  # the menu opens from the keyboard
        block = page.get_by_role("button", name="Block Ben Brandt")
        expect(block).to_be_visible()
        expect(page.get_by_role("link", name="Report Ben Brandt")).to_be_visible()
        block.click()
        expect(page.get_by_text(re.compile(r"^You blocked Ben Brandt:"))).to_be_visible()
        expect(page.get_by_role("button", name="Unblock Ben Brandt")).to_be_visible()

        # Ben's old page: the button now says there is no such person.
        ben.get_by_role("button", name="Add friend Ana Alves").click()
        expect(ben.get_by_text("There is no one with this username.")).to_be_visible()

        response = ben.goto("/people/ana/")
        assert response.status == 404

        ben.goto("/people/?q=ana")
        expect(ben.get_by_role("heading", name="No one found")).to_be_visible()
        expect(ben.get_by_role("link", name=person("Ana Alves"))).to_have_count(0)

        asked = ben.request.post(
            "/api/v1/friend-requests",
            data={"to": "ana"},
            headers={"X-CSRFToken": _csrf(ben), "Referer": live_server.url + "/"},
        )
        assert asked.status == 400
        assert asked.json()["errors"]["to"][0]["code"] == "person_not_found"


def _csrf(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
