"""The graph in admin: the operator looks, searches and filters; merchant staff see nothing."""

import pytest

from social.graph import invite_services, report_services, services
from tests.factories import MerchantFactory, UserFactory, friends_make

pytestmark = pytest.mark.django_db

PAGES = [
    "friendship",
    "friendrequest",
    "follow",
    "block",
    "invite",
    "referral",
    "privacysettings",
    "report",
]


@pytest.fixture
def graph():
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    friends_make(ana, ben)
    services.friend_request_send(sender=ana, to=UserFactory(username="cy"))
    services.merchant_follow(follower=ana, merchant=MerchantFactory())
    services.person_block(blocker=ben, person=UserFactory(username="troll"))
    invite_services.invite_email_send(inviter=ana, email="pal@example.com")
    services.privacy_settings_update(user=ana, profile="public")
    services.referral_record(
        newcomer=UserFactory(username="newbie", verified=False),
        token=invite_services.invite_link_get_or_create(inviter=ana).token,
    )
    report_services.person_report(
        reporter=UserFactory(username="ana-reporter"),
        person=UserFactory(username="spammer"),
        reason="spam",
        text="Sells fakes.",
    )


@pytest.mark.parametrize("model", PAGES)
def test_the_operator_lists_and_searches_each_graph_table(operator_client, graph, model):
    term = "troll" if model == "block" else "ana"

    listing = operator_client.get(f"/admin/graph/{model}/")
    found = operator_client.get(f"/admin/graph/{model}/", {"q": term})
    not_found = operator_client.get(f"/admin/graph/{model}/", {"q": "zzz-nobody"})

    assert listing.status_code == 200
    assert found.context["cl"].result_count >= 1
    assert not_found.context["cl"].result_count == 0


@pytest.mark.parametrize("model", PAGES)
def test_nothing_can_be_added_there(operator_client, model):
    assert operator_client.get(f"/admin/graph/{model}/add/").status_code == 403


def test_filters_narrow_the_requests(operator_client, graph):
    response = operator_client.get("/admin/graph/friendrequest/", {"status__exact": "declined"})

    assert response.context["cl"].result_count == 0


def test_invite_tokens_are_not_shown(operator_client, graph):
    from social.graph.models import Invite

    invite = Invite.objects.get(kind="email")

    page = operator_client.get(f"/admin/graph/invite/{invite.pk}/change/").content.decode()

    assert invite.token not in page
    assert "pal@example.com" in page


def test_merchant_staff_do_not_see_the_graph(client, graph):
    staff = UserFactory(is_staff=True)
    MerchantFactory(staff=[staff])
    client.force_login(staff)

    assert client.get("/admin/graph/friendship/").status_code == 403


def test_reports_are_filtered_and_marked_handled_by_the_operator(operator_client, graph):
    from social.graph.models import Report

    report = Report.objects.get()
    assert (
        operator_client.get("/admin/graph/report/", {"q": "spammer"}).context["cl"].result_count
        == 1
    )
    assert (
        operator_client.get("/admin/graph/report/", {"handled__exact": "1"})
        .context["cl"]
        .result_count
        == 0
    )

    operator_client.post(
        "/admin/graph/report/",
        {"action": "mark_handled", "_selected_action": [report.pk]},
    )

    report.refresh_from_db()
    assert report.handled is True
    assert (
        operator_client.get("/admin/graph/report/", {"reason__exact": "spam"})
        .context["cl"]
        .result_count
        == 1
    )
