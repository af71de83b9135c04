"""The API of "ask my friends about my list": ask, votes and comments on a wish."""

import pytest
from rest_framework.test import APIClient

from gifting.wishlists import ask_services, services
from gifting.wishlists.models import ItemComment, ItemVote
from tests.factories import ProductFactory, UserFactory, friends_make
from tests.gifting.wishlists.helpers import wish_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    ana, ben, chloe = (
        UserFactory(username=n, display_name=n.title()) for n in ("ana", "ben", "chloe")
    )
    friends_make(ana, ben, chloe)
    return ana, ben, chloe


def _as(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _asked(owner, **kwargs):
    item = wish_make(owner, **kwargs)
    ask_services.wishlist_ask(wishlist=item.wishlist)
    return item


def test_the_owner_asks_and_a_private_list_is_a_400_naming_visibility(people):
    ana, ben, _ = people
    shared = wish_make(ana).wishlist
    private = wish_make(ana, visibility="private", title="Ideas").wishlist

    asked = _as(ana).post(f"/api/v1/wishlists/{shared.pk}/ask")
    again = _as(ana).post(f"/api/v1/wishlists/{shared.pk}/ask")
    refused = _as(ana).post(f"/api/v1/wishlists/{private.pk}/ask")
    not_theirs = _as(ben).post(f"/api/v1/wishlists/{shared.pk}/ask")

    assert asked.status_code == 200 and asked.json()["first"] is True
    assert again.json()["first"] is False
    assert refused.status_code == 400
    assert refused.json()["errors"]["visibility"][0]["code"] == "not_shared"
    assert not_theirs.status_code == 404


def test_a_friend_votes_changes_and_takes_back(people):
    ana, ben, _ = people
    item = _asked(ana)
    url = f"/api/v1/wishlist-items/{item.pk}/votes"

    up = _as(ben).post(url, {"vote": "up"}, format="json")
    down = _as(ben).post(url, {"vote": "down"}, format="json")
    seen_by_owner = _as(ana).get(url).json()
    back = _as(ben).delete(url)

    assert up.status_code == 200 and up.json()["up"] == 1 and up.json()["mine"] == "up"
    assert down.json()["down"] == 1 and down.json()["up"] == 0
    assert seen_by_owner["votes"] == [{"name": "Ben", "vote": "down", "mine": False}]
    assert back.status_code == 200 and back.json()["mine"] is None
    assert not ItemVote.objects.exists()


def test_bad_input_names_the_field(people):
    ana, ben, _ = people
    item = _asked(ana)

    vote = _as(ben).post(f"/api/v1/wishlist-items/{item.pk}/votes", {"vote": "meh"}, format="json")
    empty = _as(ben).post(
        f"/api/v1/wishlist-items/{item.pk}/comments", {"text": "  "}, format="json"
    )
    long = _as(ben).post(
        f"/api/v1/wishlist-items/{item.pk}/comments", {"text": "x" * 501}, format="json"
    )

    assert vote.status_code == 400 and "vote" in vote.json()["errors"]
    assert empty.status_code == 400 and "text" in empty.json()["errors"]
    assert long.status_code == 400 and "text" in long.json()["errors"]


def test_the_owner_cannot_vote_nor_anyone_before_the_ask(people):
    ana, ben, _ = people
    asked = _asked(ana)
    unasked = wish_make(ana, title="Later")

    own = _as(ana).post(f"/api/v1/wishlist-items/{asked.pk}/votes", {"vote": "up"}, format="json")
    early = _as(ben).post(
        f"/api/v1/wishlist-items/{unasked.pk}/votes", {"vote": "up"}, format="json"
    )

    assert own.status_code == 400 and own.json()["errors"]["non_field_errors"][0]["code"] == (
        "own_list"
    )
    assert early.status_code == 400
    assert early.json()["errors"]["non_field_errors"][0]["code"] == "not_asked"


def test_comment_and_delete_by_the_author_and_the_owner(people):
    ana, ben, chloe = people
    item = _asked(ana)
    url = f"/api/v1/wishlist-items/{item.pk}/comments"

    posted = _as(ben).post(url, {"text": "The blue one"}, format="json")
    second = _as(chloe).post(url, {"text": "Red!"}, format="json").json()
    listed = _as(ana).get(url).json()
    refused = _as(chloe).delete(f"{url}/{posted.json()['id']}")
    by_author = _as(ben).delete(f"{url}/{posted.json()['id']}")
    by_owner = _as(ana).delete(f"{url}/{second['id']}")

    assert posted.status_code == 201 and posted.json()["name"] == "You"
    assert [(c["name"], c["text"], c["may_delete"]) for c in listed] == [
        ("Ben", "The blue one", True),
        ("Chloe", "Red!", True),
    ]
    assert refused.status_code == 400
    assert refused.json()["errors"]["non_field_errors"][0]["code"] == "not_yours"
    assert by_author.status_code == 204 and by_owner.status_code == 204
    assert not ItemComment.objects.exists()


def test_a_stranger_and_a_visitor_get_404s(people):
    ana, _, _ = people
    item = _asked(ana)
    stranger = UserFactory()

    assert _as(stranger).get(f"/api/v1/wishlist-items/{item.pk}/votes").status_code == 404
    assert _as(None).get(f"/api/v1/wishlist-items/{item.pk}/comments").status_code == 404
    posted = _as(stranger).post(
        f"/api/v1/wishlist-items/{item.pk}/comments", {"text": "Hi"}, format="json"
    )
    assert posted.status_code == 404 and not ItemComment.objects.exists()


def test_a_link_holder_votes_with_the_token(people):
    ana, _, _ = people
    item = _asked(ana, visibility="link")
    holder = UserFactory()
    url = f"/api/v1/wishlist-items/{item.pk}/votes"

    without = _as(holder).post(url, {"vote": "up"}, format="json")
    with_token = _as(holder).post(
        f"{url}?token={item.wishlist.token}", {"vote": "up"}, format="json"
    )

    assert without.status_code == 404 and with_token.status_code == 200


@pytest.mark.parametrize("n", [5, 50])
def test_comments_take_the_same_queries_whatever_their_number(django_assert_num_queries, people, n):
    ana, ben, chloe = people
    item = _asked(ana)
    for index in range(n):
        ask_services.item_comment_add(item=item, author=(ben, chloe)[index % 2], text=f"#{index}")
    client = _as(ben)

    # the item, the list (visible to ben), votes, comments, people named
    with django_assert_num_queries(5):
        response = client.get(f"/api/v1/wishlist-items/{item.pk}/comments")
    assert len(response.json()) == n


def test_no_claim_in_the_answers(people):
    ana, ben, chloe = people
    item = _asked(ana, wanted=2)
    services.claim_create(item=item, claimer=chloe)
    ProductFactory()
    ask_services.item_vote_set(item=item, voter=ben, up=True)

    votes = _as(ana).get(f"/api/v1/wishlist-items/{item.pk}/votes").json()

    assert "Chloe" not in str(votes) and "claim" not in str(votes)
