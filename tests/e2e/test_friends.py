"""Friends in a real browser: accepting a request on /friends/, choosing who sees purchases on
/settings/privacy/, and a newcomer who joins through an invite link."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from social.graph import selectors, services
from tests.e2e.conftest import watched_page
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-and-unusual-pass"


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Your account")).to_be_visible()


def person(name: str) -> re.Pattern:
    """The accessible name of a person's link in a list: their name, then @handle."""
    return re.compile(rf"^{re.escape(name)} @")


def section(page, heading: str):
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading))


def test_two_people_become_friends_and_each_sees_the_other(page, browser, live_server, request):
    ana = UserFactory(username="ana", display_name="Ana Alves")
    UserFactory(username="ben", display_name="Ben Brandt")
    services.friend_request_send(
        sender=ana, to=selectors.person_get_for_viewer(viewer=None, username="ben"), message="Hi!"
    )

    log_in(page, "ben")
    page.goto("/friends/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Friends")
    requests = section(page, "Friend requests")
    expect(requests.get_by_role("link", name=person("Ana Alves"))).to_be_visible()
    expect(requests.get_by_text("“Hi!”")).to_be_visible()
    requests.get_by_role("button", name="Accept Ana Alves").click()

    expect(page.get_by_text("You and Ana Alves are now friends.")).to_be_visible()
    expect(
        section(page, "Your friends").get_by_role("link", name=person("Ana Alves"))
    ).to_be_visible()
    expect(section(page, "Friend requests").get_by_text("No requests waiting")).to_be_visible()

    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as other:
        log_in(other, "ana")
        other.goto("/friends/")
        expect(
            section(other, "Your friends").get_by_role("link", name=person("Ben Brandt"))
        ).to_be_visible()
        expect(
            section(other, "Requests you sent").get_by_text("No requests waiting for an answer")
        ).to_be_visible()


def test_a_person_turns_purchase_sharing_on_and_off(page):
    UserFactory(username="sam", display_name="Sam")
    log_in(page, "sam")

    page.goto("/settings/privacy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy")
    purchases = page.get_by_role("group", name="Who sees what I buy")
    expect(purchases.get_by_label("Only me")).to_be_checked()
    expect(purchases.get_by_text("nobody sees your purchases until you choose")).to_be_visible()
    purchases.get_by_label("My friends").check()
    page.get_by_role("button", name="Save privacy settings").click()

    expect(page.get_by_text("Your privacy settings are saved.")).to_be_visible()
    purchases = page.get_by_role("group", name="Who sees what I buy")
    expect(purchases.get_by_label("My friends")).to_be_checked()
    purchases.get_by_label("Only me").check()
    page.get_by_role("button", name="Save privacy settings").click()

    expect(page.get_by_text("Your privacy settings are saved.")).to_be_visible()
    expect(
        page.get_by_role("group", name="Who sees what I buy").get_by_label("Only me")
    ).to_be_checked()


def test_a_newcomer_through_an_invite_link_is_a_friend_after_confirming(
    page, browser, live_server, request
):
    UserFactory(username="ines", display_name="Inès Ferreira")
    log_in(page, "ines")
    page.goto("/friends/")
    page.get_by_role("button", name="Get my invite link").click()
    link = page.get_by_label("Your invite link").input_value()
    assert re.search(r"/invite/[\w-]{30,}/$", link)

    with watched_page(
        browser, base_url=live_server.url, allowed=(live_server.url,), request=request
    ) as newcomer:
        newcomer.goto(urlsplit(link).path)  # the link names SITE_URL; the test serves elsewhere
        expect(newcomer.get_by_text("Inès Ferreira invited you.")).to_be_visible()
        newcomer.get_by_label("Email", exact=True).fill("nuno@example.com")
        newcomer.get_by_label("Username").fill("nuno")
        newcomer.get_by_label("Password", exact=True).fill(PASSWORD)
        newcomer.get_by_label("Password again").fill(PASSWORD)
        newcomer.get_by_role("button", name="Sign up").click()
        expect(newcomer.get_by_role("heading", level=1)).to_have_text("Check your email")
        message = next(m for m in reversed(mail.outbox) if m.to == ["nuno@example.com"])
        confirm = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)
        newcomer.goto(confirm)
        newcomer.get_by_role("button", name="Confirm").click()
        expect(newcomer.get_by_role("button", name="Your account")).to_be_visible()

        newcomer.goto("/friends/")
        expect(
            section(newcomer, "Your friends").get_by_role("link", name=person("Inès Ferreira"))
        ).to_be_visible()

    page.goto("/friends/")
    expect(section(page, "Your friends").get_by_role("link", name=person("nuno"))).to_be_visible()


def test_from_the_friends_page_a_person_is_found_by_name_and_asked(page):
    """/friends/ leads on to finding someone: its search box opens Find people with the answers,
    where Add friend sends the request."""
    UserFactory(username="me")
    UserFactory(username="ana", display_name="Ana Alves")

    log_in(page, "me")
    page.goto("/friends/")
    page.get_by_label("Find people by name or username").fill("Ana")
    page.get_by_role("button", name="Search people").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Find people")
    expect(page.get_by_role("link", name=person("Ana Alves"))).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Add friend")).first.click()
    expect(page.get_by_role("button", name=re.compile(r"^Cancel request"))).to_be_visible()
