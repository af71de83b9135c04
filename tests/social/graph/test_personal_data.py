"""The graph's part of "download my data" and "delete my account" (shop.core.personal_data)."""

import json

import pytest

from shop.core import personal_data
from social.graph import invite_services, services
from social.graph.models import Block, Follow, FriendRequest, Friendship, Invite, PrivacySettings
from tests.factories import MerchantFactory, UserFactory, friends_make, privacy_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam():
    """Someone with a bit of everything in the graph."""
    sam = UserFactory(username="sam")
    ana, ben, cy = (UserFactory(username=name) for name in ("ana", "ben", "cy"))
    friends_make(sam, ana)
    services.friend_request_send(sender=sam, to=ben, message="Hi Ben")
    services.friend_request_send(sender=cy, to=sam)
    privacy_set(ana, profile="public")
    services.person_follow(follower=sam, person=ana)
    services.merchant_follow(follower=sam, merchant=MerchantFactory(slug="alpine"))
    services.person_block(blocker=sam, person=UserFactory(username="troll"))
    invite_services.invite_email_send(inviter=sam, email="pal@example.com")
    invite_services.invite_link_get_or_create(inviter=sam)
    services.privacy_settings_update(user=sam, purchases="friends")
    newcomer = UserFactory(username="newbie", verified=False)
    services.referral_record(
        newcomer=newcomer, token=invite_services.invite_link_get_or_create(inviter=sam).token
    )
    return sam


def test_the_graph_registers_its_part():
    assert "graph" in [part.name for part in personal_data.personal_data_parts()]


def test_the_export_holds_everything_of_the_person_as_json(sam):
    data = personal_data.personal_data_export(user=sam)["graph"]

    json.dumps(data)  # JSON-able
    assert [f["username"] for f in data["friends"]] == ["ana"]
    assert data["friend_requests_sent"][0]["to"] == "ben"
    assert data["friend_requests_sent"][0]["message"] == "Hi Ben"
    assert data["friend_requests_received"][0]["from"] == "cy"
    assert {(f["person"], f["merchant"]) for f in data["follows"]} == {
        ("ana", None),
        (None, "alpine"),
    }
    assert [b["username"] for b in data["blocks"]] == ["troll"]
    assert {i["email"] for i in data["invites"]} == {"pal@example.com", ""}
    assert data["privacy"]["purchases"] == "friends"
    assert [r["username"] for r in data["people_you_brought"]] == ["newbie"]
    assert data["invited_by"] is None
    assert "token" not in json.dumps(data)


def test_erasing_removes_the_person_from_the_graph_and_no_one_else(sam):
    others = Friendship.objects.exclude(user=sam).exclude(friend=sam).count()
    ana = sam.friendships.get().friend
    carol = UserFactory()
    friends_make(ana, carol)

    personal_data.personal_data_erase(user=sam)

    assert not Friendship.objects.filter(user=sam).exists()
    assert not Friendship.objects.filter(friend=sam).exists()
    assert not FriendRequest.objects.filter(from_user=sam).exists()
    assert not FriendRequest.objects.filter(to_user=sam).exists()
    assert not Follow.objects.filter(follower=sam).exists()
    assert not Block.objects.filter(blocker=sam).exists()
    assert not Invite.objects.filter(inviter=sam).exists()
    assert not PrivacySettings.objects.filter(user=sam).exists()
    assert sam.referrals_made.count() == 0
    assert Friendship.objects.filter(user=ana, friend=carol).exists()
    assert Friendship.objects.exclude(user=sam).exclude(friend=sam).count() == others + 2


def test_a_part_registered_again_replaces_the_first(monkeypatch):
    monkeypatch.setattr(personal_data, "_parts", {})
    personal_data.personal_data_register(name="x", exporter=lambda u: {"v": 1}, eraser=print)
    personal_data.personal_data_register(name="x", exporter=lambda u: {"v": 2}, eraser=print)

    assert personal_data.personal_data_export(user=None) == {"x": {"v": 2}}


def test_a_part_needs_a_plain_name():
    with pytest.raises(ValueError):
        personal_data.personal_data_register(name="../x", exporter=dict, eraser=print)


def test_erasing_removes_others_emailed_invitations_to_the_persons_addresses(sam):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=sam, email="Sam.Other@example.com", verified=True)
    ana = UserFactory(username="ana2")
    invite_services.invite_email_send(inviter=ana, email=sam.email.upper())
    invite_services.invite_email_send(inviter=ana, email="sam.other@example.com")
    invite_services.invite_email_send(inviter=ana, email="someone-else@example.com")

    personal_data.personal_data_erase(user=sam)

    assert list(Invite.objects.filter(inviter=ana).values_list("email", flat=True)) == [
        "someone-else@example.com"
    ]


def test_erasers_run_by_their_order_then_by_name(monkeypatch):
    monkeypatch.setattr(personal_data, "_parts", {})
    ran = []
    for name, order in (("zeta", 100), ("account", 1000), ("alpha", 100)):
        personal_data.personal_data_register(
            name=name,
            exporter=dict,
            eraser=lambda user, name=name: ran.append(name),
            erase_order=order,
        )

    personal_data.personal_data_erase(user=None)

    assert ran == ["alpha", "zeta", "account"]
