"""Notifications in a real browser: the bell after a friend request is accepted, the list, and
a change of email preference on /settings/notifications/."""

import re

import pytest
from playwright.sync_api import expect

from social.graph import selectors, services
from tests.e2e.conftest import assert_accessible, watched_page
from tests.e2e.test_friends import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def bell(page):
    return page.locator("header").get_by_role("link", name=re.compile(r"^Notifications"))


def test_the_requester_hears_of_the_accepted_request_and_reads_it(
    page, browser, live_server, request
):
    ana = UserFactory(username="ana", display_name="Ana Alves")
    UserFactory(username="ben", display_name="Ben Brandt")
    services.friend_request_send(
        sender=ana, to=selectors.person_get_for_viewer(viewer=None, username="ben")
    )

    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as other:
        log_in(other, "ben")
        other.goto("/friends/")
        other.get_by_role("button", name="Accept Ana Alves").click()
        expect(other.get_by_text("You and Ana Alves are now friends.")).to_be_visible()

    log_in(page, "ana")
    expect(bell(page)).to_have_accessible_name("Notifications, 1 unread")
    expect(bell(page).locator(".count-badge")).to_have_text("1")
    bell(page).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    item = page.get_by_role("link", name=re.compile("Ben Brandt accepted your friend request"))
    expect(item).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Mark all as read").click()

    expect(page.get_by_text("All your notifications are marked as read.")).to_be_visible()
    expect(bell(page)).to_have_accessible_name("Notifications")
    expect(bell(page).locator(".count-badge")).to_have_count(0)
    page.get_by_role("link", name=re.compile("Ben Brandt accepted your friend request")).click()
    expect(page).to_have_url(re.compile(r"/people/ben/$"))


def test_a_person_chooses_no_email_for_new_followers(page):
    UserFactory(username="sam", display_name="Sam")
    log_in(page, "sam")

    page.goto("/settings/notifications/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Notification settings")
    followers = page.get_by_role("group", name="Someone follows me")
    expect(followers.get_by_label("In a daily digest")).to_be_checked()
    assert_accessible(page)
    followers.get_by_label("No email").check()
    page.get_by_role("button", name="Save notification settings").click()

    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    expect(
        page.get_by_role("group", name="Someone follows me").get_by_label("No email")
    ).to_be_checked()
    expect(
        page.get_by_role("group", name="Someone accepts my friend request").get_by_label(
            "Email me at once"
        )
    ).to_be_checked()
