"""The graph's rows of the access matrix (tests/social/access_matrix.py): the audience rule in
both its forms at every visibility and role, the graph's data, and every graph endpoint as
owner, friend, friend of a friend, stranger, blocked both ways and visitor."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client

from social.graph import (
    invite_services,
    people_selectors,
    profile_selectors,
    selectors,
    services,
)
from social.graph.models import PrivacySettings
from tests.factories import MerchantFactory, UserFactory, privacy_set
from tests.social.access_matrix import (
    ANONYMOUS,
    AUDIENCE_WITH_LINK,
    BLOCKED,
    BLOCKING,
    FRIEND,
    FRIEND_OF_FRIEND,
    NOT_BLOCKED,
    OWNER,
    STRANGER,
    Datum,
    Endpoint,
    World,
    datum_cases,
    endpoint_cases,
    world_make,
)

pytestmark = pytest.mark.django_db

ALL = ("private", "friends", "link", "public")
SHARING = ("private", "friends", "public")


@pytest.fixture
def world() -> World:
    return world_make()


# --- data: who sees what ----------------------------------------------------------------------


def _rule(world, role, visibility) -> bool:
    return selectors.audience_allows(
        viewer=world.viewer(role), owner=world.owner, visibility=visibility
    )


def _rule_with_link(world, role, visibility) -> bool:
    return selectors.audience_allows(
        viewer=world.viewer(role), owner=world.owner, visibility=visibility, link_opened=True
    )


def _share_wishlists_default(world, visibility):
    privacy_set(world.owner, wishlists=visibility)
    return visibility


def _queryset_form(world, role, _visibility) -> bool:
    return selectors.audience_filter(
        PrivacySettings.objects.filter(user=world.owner),
        viewer=world.viewer(role),
        owner_field="user",
        visibility_field="wishlists",
    ).exists()


def _queryset_form_through_the_owner(world, role, _visibility) -> bool:
    return selectors.audience_filter(
        type(world.owner).objects.filter(pk=world.owner.pk),
        viewer=world.viewer(role),
        owner_field="pk",
        visibility_field="privacy__wishlists",
    ).exists()


def _relationship_allows(world, role, visibility) -> bool:
    viewer = world.viewer(role)
    return people_selectors.relationship_get(viewer=viewer, person=world.owner).allows(visibility)


def _share_profile(world, visibility):
    privacy_set(world.owner, profile=visibility)


def _sees_whole_profile(world, role, _):
    return people_selectors.relationship_get(
        viewer=world.viewer(role), person=world.owner
    ).sees_profile


def _exists_for(world, role, _):
    try:
        selectors.person_get_for_viewer(viewer=world.viewer(role), username="owner")
    except Http404:
        return False
    return True


def _share_friends_list(world, visibility):
    privacy_set(world.owner, friends_list=visibility)


def _friends_list_through_the_selector(world, role, _):
    try:
        selectors.person_friends_for_viewer(viewer=world.viewer(role), person=world.owner)
    except (Http404, PermissionDenied):
        return False
    return True


def _friends_list_through_the_api(world, role, _):
    response = world.client(role).get("/api/v1/people/owner/friends")
    assert response.status_code in (200, 403, 404), response.content
    return response.status_code == 200


DATA = [
    Datum("audience_allows", ALL, share=lambda world, v: v, sees=_rule),
    Datum(
        "audience_allows-through-the-link",
        ALL,
        share=lambda world, v: v,
        sees=_rule_with_link,
        audience=AUDIENCE_WITH_LINK,
    ),
    Datum("audience_filter", ALL, share=_share_wishlists_default, sees=_queryset_form),
    Datum(
        "audience_filter-owner-setting",
        ALL,
        share=_share_wishlists_default,
        sees=_queryset_form_through_the_owner,
    ),
    Datum("relationship", ALL, share=lambda world, v: v, sees=_relationship_allows),
    Datum("profile-whole", ("friends", "public"), share=_share_profile, sees=_sees_whole_profile),
    Datum(
        "profile-exists",
        ("friends", "public"),
        share=_share_profile,
        sees=_exists_for,
        audience={"friends": NOT_BLOCKED, "public": NOT_BLOCKED},
    ),
    Datum(
        "friends-list-selector",
        SHARING,
        share=_share_friends_list,
        sees=_friends_list_through_the_selector,
    ),
    Datum(
        "friends-list-api", SHARING, share=_share_friends_list, sees=_friends_list_through_the_api
    ),
]


@pytest.mark.parametrize("datum, visibility, role, expected", datum_cases(DATA))
def test_who_sees_what(world, datum, visibility, role, expected):
    thing = datum.share(world, visibility)

    assert datum.sees(world, role, thing) is expected


# --- endpoints: who may do what ---------------------------------------------------------------


def _outcome(response) -> str:
    """ "201", or "400 person_not_found": the status and, for an error, its first code."""
    if response.status_code < 400:
        return str(response.status_code)
    errors = response.json()["errors"]
    return f"{response.status_code} {next(iter(errors.values()))[0]['code']}"


NOT_SIGNED_IN = "403 not_authenticated"


def _post(path, data):
    return lambda world, role: _outcome(world.client(role).post(path, data, format="json"))


def _delete(path):
    return lambda world, role: _outcome(world.client(role).delete(path))


def _public_owner(world):
    privacy_set(world.owner, profile="public")


def _search_for_owner(world, role):
    response = world.client(role).get("/api/v1/people", {"q": "owner"})
    if response.status_code != 200:
        return _outcome(response)
    found = [person["username"] for person in response.json()["results"]]
    return "found" if found == ["owner"] else "absent"


def _request_to_owner(world):
    asker = UserFactory(username="asker", display_name="Asker")
    world.extra["request"] = services.friend_request_send(sender=asker, to=world.owner)


def _request_by_owner(world):
    world.extra["request"] = services.friend_request_send(
        sender=world.owner, to=UserFactory(username="asked", display_name="Asked")
    )


def _answer(action):
    def call(world, role):
        request = world.extra["request"]
        path = f"/api/v1/friend-requests/{request.pk}/{action}"
        return _outcome(world.client(role).post(path))

    return call


def _received_requests_show_owners(world, role):
    response = world.client(role).get("/api/v1/friend-requests", {"direction": "received"})
    if response.status_code != 200:
        return _outcome(response)
    ids = [item["id"] for item in response.json()["results"]]
    return "shown" if world.extra["request"].pk in ids else "not shown"


def _owner_follows_a_merchant(world):
    world.extra["follow"] = services.merchant_follow(
        follower=world.owner, merchant=MerchantFactory(name="Alpine Goods")
    )


def _delete_owners_follow(world, role):
    return _outcome(world.client(role).delete(f"/api/v1/follows/{world.extra['follow'].pk}"))


def _owner_invites(world):
    world.extra["invite"] = invite_services.invite_email_send(
        inviter=world.owner, email="x@example.com"
    )


def _invites_show_owners(world, role):
    response = world.client(role).get("/api/v1/invites")
    if response.status_code != 200:
        return _outcome(response)
    ids = [item["id"] for item in response.json()["results"]]
    return "shown" if world.extra["invite"].pk in ids else "not shown"


def _put_privacy_changes_whose(world, role):
    response = world.client(role).put(
        "/api/v1/settings/privacy", {"purchases": "public"}, format="json"
    )
    if response.status_code != 200:
        return _outcome(response)
    return (
        "owner's"
        if selectors.privacy_settings_get(user=world.owner).purchases == "public"
        else ("their own")
    )


def _page_post(path_of):
    """POST to a page as the role's viewer (signed in with a session); the outcome is "login"
    for a visitor sent to log in, "404", or the message the page then shows."""

    def call(world, role):
        client = Client()
        if world.viewer(role) is not None:
            client.force_login(world.viewer(role))
        response = client.post(path_of(world))
        if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
            return "login"
        if response.status_code != 302:
            return str(response.status_code)
        shown = client.get(response["Location"])
        return " | ".join(str(message) for message in shown.context["messages"])

    return call


def _everyone_else(outcome: str, **roles: str) -> dict[str, str]:
    """OUTCOME for every signed-in role but those named (by role, e.g. owner="200");
    a visitor is asked to sign in unless named too."""
    return {
        role: roles.get(role, outcome)
        for role in (OWNER, FRIEND, FRIEND_OF_FRIEND, STRANGER, BLOCKED, BLOCKING)
    } | {ANONYMOUS: roles.get(ANONYMOUS, NOT_SIGNED_IN)}


ENDPOINTS = [
    Endpoint(
        "ask-the-owner-to-be-friends",
        call=_post("/api/v1/friend-requests", {"to": "owner"}),
        expected={
            OWNER: "400 self_not_allowed",
            FRIEND: "400 already_friends",
            FRIEND_OF_FRIEND: "201",
            STRANGER: "201",
            BLOCKED: "400 person_not_found",
            BLOCKING: "400 person_blocked",
            ANONYMOUS: NOT_SIGNED_IN,
        },
    ),
    Endpoint(
        "follow-the-owner-whose-profile-is-public",
        arrange=_public_owner,
        call=_post("/api/v1/follows", {"person": "owner"}),
        expected={
            OWNER: "400 self_not_allowed",
            FRIEND: "201",
            FRIEND_OF_FRIEND: "201",
            STRANGER: "201",
            BLOCKED: "400 person_not_found",
            BLOCKING: "400 person_blocked",
            ANONYMOUS: NOT_SIGNED_IN,
        },
    ),
    Endpoint(
        "follow-the-owner-whose-profile-is-for-friends",
        call=_post("/api/v1/follows", {"person": "owner"}),
        expected={
            OWNER: "400 self_not_allowed",
            FRIEND: "400 profile_not_public",
            FRIEND_OF_FRIEND: "400 profile_not_public",
            STRANGER: "400 profile_not_public",
            BLOCKED: "400 person_not_found",
            BLOCKING: "400 person_blocked",
            ANONYMOUS: NOT_SIGNED_IN,
        },
    ),
    Endpoint(
        "block-the-owner",
        call=_post("/api/v1/blocks", {"person": "owner"}),
        expected={
            OWNER: "400 self_not_allowed",
            FRIEND: "201",
            FRIEND_OF_FRIEND: "201",
            STRANGER: "201",
            BLOCKED: "400 person_not_found",
            BLOCKING: "200",
            ANONYMOUS: NOT_SIGNED_IN,
        },
    ),
    Endpoint(
        "unblock-the-owner",
        call=_delete("/api/v1/blocks/owner"),
        expected=_everyone_else("400 not_blocked", blocked="404 not_found", blocking="204"),
    ),
    Endpoint(
        "unfriend-the-owner",
        call=_delete("/api/v1/friends/owner"),
        expected=_everyone_else("400 not_friends", friend="204", blocked="404 not_found"),
    ),
    Endpoint(
        "search-for-the-owner",
        call=_search_for_owner,
        expected=_everyone_else("found", owner="absent", blocked="absent", blocking="absent"),
    ),
    Endpoint(
        "accept-a-request-sent-to-the-owner",
        arrange=_request_to_owner,
        call=_answer("accept"),
        expected=_everyone_else("404 not_found", owner="200"),
    ),
    Endpoint(
        "decline-a-request-sent-to-the-owner",
        arrange=_request_to_owner,
        call=_answer("decline"),
        expected=_everyone_else("404 not_found", owner="200"),
    ),
    Endpoint(
        "withdraw-the-owners-request",
        arrange=_request_by_owner,
        call=_answer("cancel"),
        expected=_everyone_else("404 not_found", owner="200"),
    ),
    Endpoint(
        "list-the-requests-the-owner-received",
        arrange=_request_to_owner,
        call=_received_requests_show_owners,
        expected=_everyone_else("not shown", owner="shown"),
    ),
    Endpoint(
        "stop-the-owners-follow",
        arrange=_owner_follows_a_merchant,
        call=_delete_owners_follow,
        expected=_everyone_else("404 not_found", owner="204"),
    ),
    Endpoint(
        "list-the-owners-invitations",
        arrange=_owner_invites,
        call=_invites_show_owners,
        expected=_everyone_else("not shown", owner="shown"),
    ),
    Endpoint(
        "change-privacy-settings",
        call=_put_privacy_changes_whose,
        expected=_everyone_else("their own", owner="owner's"),
    ),
]


PAGE_ENDPOINTS = [
    Endpoint(
        "page-accept-a-request-sent-to-the-owner",
        arrange=_request_to_owner,
        call=_page_post(lambda world: f"/friends/requests/{world.extra['request'].pk}/accept/"),
        expected=_everyone_else("404", owner="You and Asker are now friends.", anonymous="login"),
    ),
    Endpoint(
        "page-withdraw-the-owners-request",
        arrange=_request_by_owner,
        call=_page_post(lambda world: f"/friends/requests/{world.extra['request'].pk}/cancel/"),
        expected=_everyone_else("404", owner="Request to Asked withdrawn.", anonymous="login"),
    ),
    Endpoint(
        "page-stop-the-owners-follow",
        arrange=_owner_follows_a_merchant,
        call=_page_post(lambda world: f"/friends/follows/{world.extra['follow'].pk}/unfollow/"),
        expected=_everyone_else(
            "404", owner="You no longer follow Alpine Goods.", anonymous="login"
        ),
    ),
    Endpoint(
        "page-unfriend-the-owner",
        call=_page_post(lambda world: "/friends/owner/unfriend/"),
        expected=_everyone_else(
            "You and Olive Owner are not friends.",
            friend="You and Olive Owner are no longer friends.",
            blocked="404",
            anonymous="login",
        ),
    ),
]


@pytest.mark.parametrize("endpoint, role, expected", endpoint_cases(ENDPOINTS + PAGE_ENDPOINTS))
def test_who_may_do_what(world, endpoint, role, expected):
    endpoint.arrange(world)

    assert endpoint.call(world, role) == expected


def test_the_world_ties_each_role_to_the_owner_as_named(world):
    owner = world.owner

    assert selectors.is_friend(user=owner, other=world.viewer(FRIEND))
    assert selectors.is_friend(user=world.viewer(FRIEND), other=world.viewer(FRIEND_OF_FRIEND))
    assert not selectors.is_friend(user=owner, other=world.viewer(FRIEND_OF_FRIEND))
    assert (
        profile_selectors.mutual_friends(viewer=world.viewer(FRIEND_OF_FRIEND), person=owner).count
        == 1
    )
    assert not selectors.is_friend(user=owner, other=world.viewer(STRANGER))
    for role in (BLOCKED, BLOCKING):
        assert selectors.is_blocked_either_way(user=owner, other=world.viewer(role))
        assert not selectors.is_friend(user=owner, other=world.viewer(role))
