"""My data in the access matrix (tests/social/access_matrix.py): only the owner gets their
export; once the owner deleted their account, no role finds them anywhere."""

import pytest
from django.test import Client

from shop.accounts import data_services
from tests.factories import DEFAULT_PASSWORD
from tests.social.access_matrix import (
    ANONYMOUS,
    BLOCKED,
    BLOCKING,
    FRIEND,
    FRIEND_OF_FRIEND,
    OWNER,
    ROLES,
    STRANGER,
    Endpoint,
    endpoint_cases,
    world_make,
)

pytestmark = pytest.mark.django_db

NOT_SIGNED_IN = "403"


@pytest.fixture
def world():
    return world_make()


def _owner_has_an_export(world):
    export = data_services.personal_data_export_request(user=world.owner)
    data_services.personal_data_export_build(export_id=export.pk)
    export.refresh_from_db()
    world.extra["export"] = export


def _owner_deletes_their_account(world):
    world.extra["former_username"] = world.owner.username
    data_services.account_delete(user=world.owner, password=DEFAULT_PASSWORD)
    world.owner.refresh_from_db()


def _page_get(path_of):
    """GET a page as the role's viewer; "login" for a visitor sent to log in, else the status."""

    def call(world, role):
        client = Client()
        if world.viewer(role) is not None:
            client.force_login(world.viewer(role))
        response = client.get(path_of(world))
        if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
            return "login"
        return str(response.status_code)

    return call


def _exports_listed(world, role):
    response = world.client(role).get("/api/v1/me/export")
    if response.status_code != 200:
        return str(response.status_code)
    ids = [export["id"] for export in response.json()]
    return "listed" if world.extra["export"].pk in ids else "not listed"


def _found_by_search(world, role):
    if world.viewer(role) is None:
        return "not signed in"
    client = world.client(role)
    found = 0
    for query in (world.extra["former_username"], "Olive Owner", world.owner.username):
        found += client.get("/api/v1/people", {"q": query}).json()["count"]
    return "found" if found else "not found"


def _all(outcome, **roles):
    return {role: roles.get(role, outcome) for role in ROLES}


ENDPOINTS = [
    Endpoint(
        "download-the-owners-data",
        arrange=_owner_has_an_export,
        call=_page_get(lambda world: f"/settings/data/{world.extra['export'].token}/download/"),
        expected=_all("404", owner="200", anonymous="login"),
    ),
    Endpoint(
        "list-the-owners-data-exports",
        arrange=_owner_has_an_export,
        call=_exports_listed,
        expected=_all("not listed", owner="listed", anonymous=NOT_SIGNED_IN),
    ),
    Endpoint(
        "profile-page-of-a-deleted-owner",
        arrange=_owner_deletes_their_account,
        call=_page_get(lambda world: f"/people/{world.extra['former_username']}/"),
        expected=_all("404"),
    ),
    Endpoint(
        "api-profile-of-a-deleted-owner",
        arrange=_owner_deletes_their_account,
        call=lambda world, role: str(
            world.client(role).get(f"/api/v1/people/{world.owner.username}").status_code
        ),
        expected=_all("404"),
    ),
    Endpoint(
        "search-for-a-deleted-owner",
        arrange=_owner_deletes_their_account,
        call=_found_by_search,
        expected={
            OWNER: "not found",
            FRIEND: "not found",
            FRIEND_OF_FRIEND: "not found",
            STRANGER: "not found",
            BLOCKED: "not found",
            BLOCKING: "not found",
            ANONYMOUS: "not signed in",
        },
    ),
]


@pytest.mark.parametrize("endpoint, role, expected", endpoint_cases(ENDPOINTS))
def test_who_may_do_what(world, endpoint, role, expected):
    endpoint.arrange(world)

    assert endpoint.call(world, role) == expected
