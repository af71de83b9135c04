"""The header's badges read with the session (shop.accounts.session_reads): a signed-in page
asked for with GET costs no query of its own for them, and shows each person their own
counts, as a query of their own would."""

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from shop.accounts import session_reads
from shop.accounts.models import User
from shop.core import navigation
from shop.core.compiled_reads import PersonCount, compiled_counts
from social.graph.profile_selectors import REQUESTS_WAITING
from social.graph.services import friend_request_send
from social.notifications.selectors import UNREAD
from tests.factories import UserFactory
from tests.html import html
from tests.social.notifications.helpers import notifications_many

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bell_and_friends(response) -> tuple[str, str]:
    """What a screen reader hears of the header's bell and Friends links."""
    header = html(response).one("header", cls="site-header")

    def heard(href: str) -> str:
        link = header.all("a", href=href)[0]
        return link.attrs.get("aria-label") or link.text

    return heard("/notifications/"), heard("/friends/")


def test_a_signed_in_page_reads_its_badges_with_the_session():
    ana = UserFactory()
    notifications_many(ana, 3)
    friend_request_send(sender=UserFactory(), to=ana)
    client = signed_in(ana)
    client.get("/orders/")  # the page's cached parts

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/orders/")

    bell, friends = bell_and_friends(response)
    assert "3 unread" in bell and "waiting: 1" in friends
    reading = [
        q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]
    ]
    assert len(reading) == 1 and "accounts_session" in reading[0]
    assert not [
        q
        for q in queries.captured_queries
        if "graph_friendrequest" in q["sql"] and "accounts_session" not in q["sql"]
    ]


def test_each_person_sees_their_own_counts_read_with_their_session():
    ana, ben = UserFactory(), UserFactory()
    notifications_many(ana, 2)
    notifications_many(ben, 5)
    friend_request_send(sender=UserFactory(), to=ben)

    anas, bens = signed_in(ana).get("/orders/"), signed_in(ben).get("/orders/")

    assert "2 unread" in bell_and_friends(anas)[0]
    assert "waiting" not in bell_and_friends(anas)[1]
    assert "5 unread" in bell_and_friends(bens)[0] and "waiting: 1" in bell_and_friends(bens)[1]


def test_the_counts_read_with_a_session_are_the_badges_own_queries_answers():
    ana = UserFactory()
    notifications_many(ana, 4)
    friend_request_send(sender=UserFactory(), to=ana)
    friend_request_send(sender=UserFactory(), to=ana)
    session_key = signed_in(ana).session.session_key

    _, _, user = session_reads.session_read(session_key=session_key, badges=True)

    counts = navigation.nav_person_counts()
    assert navigation.nav_counts_read(user) == dict(
        zip([c.name for c in counts], compiled_counts(counts, person_id=ana.pk), strict=True)
    )
    assert navigation.nav_counts_read(user)[UNREAD.name] == 4
    assert navigation.nav_counts_read(user)[REQUESTS_WAITING.name] == 2


def test_the_api_reads_no_badges_with_its_session():
    ana = UserFactory()
    notifications_many(ana, 2)
    client = signed_in(ana)

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/me").status_code == 200

    (query,) = queries.captured_queries
    assert "accounts_session" in query["sql"] and "notifications_notification" not in query["sql"]


def test_a_session_read_without_badges_leaves_none_on_the_person():
    ana = UserFactory()
    session_key = signed_in(ana).session.session_key

    _, _, user = session_reads.session_read(session_key=session_key)

    assert navigation.nav_counts_read(user) is None


def test_a_post_reads_its_badges_afresh():
    user = User(pk=1)
    navigation.nav_counts_read_attach(user, {UNREAD.name: 7})
    factory = RequestFactory()

    assert navigation.nav_counts_read_for(factory.get("/"), user) == {UNREAD.name: 7}
    assert navigation.nav_counts_read_for(factory.head("/"), user) == {UNREAD.name: 7}
    assert navigation.nav_counts_read_for(factory.post("/"), user) is None
    assert navigation.nav_counts_read_for(None, user) is None


def test_a_badge_registered_after_the_first_read_is_counted_right():
    ana = UserFactory(username="ana")
    client = signed_in(ana)
    client.get("/orders/")  # the session's query prepared with the badges of then
    others = PersonCount(
        name="test.session_badges.others", model=User, build=lambda pk: User.objects.exclude(pk=pk)
    )
    navigation.nav_entry_register(
        key="test-others", label="Others", url="/people/", places=["drawer"], badge=others
    )
    try:
        UserFactory.create_batch(3)
        response = client.get("/orders/")
    finally:
        navigation.nav_entry_unregister(key="test-others")

    others_link = html(response).one("header", cls="site-header").all("a", href="/people/")
    assert "Others, 3 new" in [link.attrs.get("aria-label") for link in others_link]


def test_an_htmx_request_reads_no_badges_with_its_session():
    ana = UserFactory()
    client = signed_in(ana)

    with CaptureQueriesContext(connection) as queries:
        client.get("/feed/new-count/", HTTP_HX_REQUEST="true")

    session = [q["sql"] for q in queries.captured_queries if "accounts_session" in q["sql"]]
    assert session and "notifications_notification" not in session[0]
