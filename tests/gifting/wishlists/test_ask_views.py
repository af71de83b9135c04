"""The pages of "ask my friends about my list": asking (with its confirmation), voting and
commenting with and without htmx, deleting a comment, and queries that do not grow."""

import pytest

from gifting.wishlists import ask_services, services
from gifting.wishlists.models import ItemComment, ItemVote
from social.notifications.models import Notification
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


def _as(client, user):
    client.force_login(user)
    return client


def _asked(owner, **kwargs):
    item = wish_make(owner, **kwargs)
    ask_services.wishlist_ask(wishlist=item.wishlist)
    item.wishlist.refresh_from_db()
    return item


def test_the_owner_confirms_and_asks_their_friends(
    client, people, django_capture_on_commit_callbacks
):
    ana, _, _ = people
    item = wish_make(ana)
    url = f"/wishlists/{item.wishlist.token}/"

    page = _as(client, ana).get(url).content.decode()
    confirm = client.get(f"{url}ask/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{url}ask/", follow=True)

    assert "Ask my friends" in page
    assert "Ask your friends which gift to pick?" in confirm and "get a notification" in confirm
    assert "Your friends are asked" in response.content.decode()
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "ben",
        "chloe",
    ]


def test_a_private_list_explains_it_must_be_shared_first(client, people):
    ana, _, _ = people
    item = wish_make(ana, visibility="private")
    url = f"/wishlists/{item.wishlist.token}/"

    page = _as(client, ana).get(url).content.decode()
    confirm = client.get(f"{url}ask/").content.decode()
    refused = client.post(f"{url}ask/", follow=True).content.decode()

    assert "Share this list with them first" in page
    # The choices are named as the "Who sees it" select names them.
    choices = "choose Friends, Anyone with the link or Everyone"
    assert choices in page and choices in confirm
    assert "Only you can see" in confirm and "Ask my friends</button>" not in confirm
    assert "share it with your friends first" in refused
    item.wishlist.refresh_from_db()
    assert item.wishlist.asked_at is None


def test_a_friend_cannot_ask_about_someone_elses_list(client, people):
    ana, ben, _ = people
    item = wish_make(ana)

    response = _as(client, ben).post(f"/wishlists/{item.wishlist.token}/ask/")

    assert response.status_code == 404


def test_a_friend_votes_and_comments_without_javascript(client, people):
    ana, ben, _ = people
    item = _asked(ana)
    url = f"/wishlists/{item.wishlist.token}/items/{item.pk}/"

    voted = _as(client, ben).post(f"{url}vote/", {"vote": "up"})
    client.post(f"{url}comments/", {"text": "Blue one please"})
    page = client.get(f"/wishlists/{item.wishlist.token}/").content.decode()

    assert voted.status_code == 302
    assert voted["Location"] == f"/wishlists/{item.wishlist.token}/#wish-{item.pk}"
    assert "👍 1" in page and "(You)" in page and "Blue one please" in page
    assert 'aria-pressed="true"' in page


def test_the_owner_sees_the_vote_and_comment_and_no_claim(client, people):
    ana, ben, chloe = people
    item = _asked(ana)
    services.claim_create(item=item, claimer=chloe)
    ask_services.item_vote_set(item=item, voter=ben, up=True)
    ask_services.item_comment_add(item=item, author=ben, text="Get it")

    page = _as(client, ana).get(f"/wishlists/{item.wishlist.token}/").content.decode()

    assert "👍 1" in page and "(Ben)" in page and "<strong>Ben</strong>: Get it" in page
    assert "Chloe" not in page and "Taken" not in page and "All taken" not in page
    assert "👍 Yes" not in page and "Post comment" not in page


def test_voting_with_htmx_answers_the_wish_block(client, people):
    ana, ben, _ = people
    item = _asked(ana)

    response = _as(client, ben).post(
        f"/wishlists/{item.wishlist.token}/items/{item.pk}/vote/",
        {"vote": "down"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200 and f'id="answers-{item.pk}"' in html
    assert "You voted 👎." in html and "👎 1" in html and "<html" not in html
    assert ItemVote.objects.get().up is False


def test_taking_back_a_vote(client, people):
    ana, ben, _ = people
    item = _asked(ana)
    ask_services.item_vote_set(item=item, voter=ben, up=True)

    _as(client, ben).post(
        f"/wishlists/{item.wishlist.token}/items/{item.pk}/vote/", {"vote": "none"}
    )

    assert not ItemVote.objects.exists()


def test_an_empty_comment_is_a_message_not_an_error_page(client, people):
    ana, ben, _ = people
    item = _asked(ana)

    response = _as(client, ben).post(
        f"/wishlists/{item.wishlist.token}/items/{item.pk}/comments/",
        {"text": "  "},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200 and "Please enter the comment." in response.content.decode()
    assert not ItemComment.objects.exists()


def test_a_refused_comment_keeps_what_was_typed(client, people):
    ana, ben, _ = people
    item = _asked(ana)

    response = _as(client, ben).post(
        f"/wishlists/{item.wishlist.token}/items/{item.pk}/comments/",
        {"text": "x" * 501},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert "at most 500 characters" in html and ">" + "x" * 501 + "</textarea>" in html


def test_a_bad_vote_is_a_message(client, people):
    ana, ben, _ = people
    item = _asked(ana)

    response = _as(client, ben).post(
        f"/wishlists/{item.wishlist.token}/items/{item.pk}/vote/", {"vote": "maybe"}, follow=True
    )

    assert response.status_code == 200 and "Vote 👍 or 👎." in response.content.decode()


def test_the_owner_deletes_a_friends_comment_another_friend_cannot(client, people):
    ana, ben, chloe = people
    item = _asked(ana)
    comment = ask_services.item_comment_add(item=item, author=ben, text="Hmm")
    url = f"/wishlists/{item.wishlist.token}/comments/{comment.pk}/delete/"

    refused = _as(client, chloe).post(url, follow=True).content.decode()
    still = ItemComment.objects.exists()
    _as(client, ana).post(url)

    assert "Only its author or the list" in refused and still
    assert not ItemComment.objects.exists()


def test_a_stranger_cannot_vote(client, people):
    ana, _, _ = people
    item = _asked(ana)

    response = _as(client, UserFactory()).post(
        f"/wishlists/{item.wishlist.token}/items/{item.pk}/vote/", {"vote": "up"}
    )

    assert response.status_code == 404 and not ItemVote.objects.exists()


def _answered_list(owner, n, voters):
    wishlist = services.wishlist_create(owner=owner, title="Birthday", visibility="friends")
    for product in ProductFactory.create_batch(n):
        services.wishlist_item_add(wishlist=wishlist, variant_id=product.variants.get().pk)
    ask_services.wishlist_ask(wishlist=wishlist)
    for item in wishlist.items.all():
        for index, voter in enumerate(voters):
            ask_services.item_vote_set(item=item, voter=voter, up=index % 2 == 0)
            ask_services.item_comment_add(item=item, author=voter, text=f"Note {index}")
    return wishlist


@pytest.mark.parametrize("n", [5, 50])
def test_the_owners_asked_page_queries_do_not_grow(client, django_assert_num_queries, n):
    ana, ben, chloe = UserFactory(), UserFactory(), UserFactory()
    friends_make(ana, ben, chloe)
    wishlist = _answered_list(ana, n, [ben, chloe])
    _as(client, ana)

    # list, the session with its user, items, the owner's addresses (where gifts go), votes,
    # comments, people named; base.html: categories, 2 nav badges (notifications, requests; one
    # query) (+1: the products' pictures, prefetched with the wishes)
    with django_assert_num_queries(9):
        page = client.get(f"/wishlists/{wishlist.token}/")
    assert page.content.decode().count("Note 1") == n


@pytest.mark.parametrize("n", [5, 50])
def test_a_friends_asked_page_queries_do_not_grow(client, django_assert_num_queries, n):
    ana, ben, chloe = UserFactory(), UserFactory(), UserFactory()
    friends_make(ana, ben, chloe)
    wishlist = _answered_list(ana, n, [ben, chloe])
    for item in wishlist.items.all()[:3]:
        services.claim_create(item=item, claimer=chloe)
    _as(client, ben)

    # list, the session with its user, ties (friend, block), items, claims, claimers seen, votes,
    # comments, people named; base.html: categories, 2 nav badges (read with the session)
    # (+1: the products' pictures, prefetched with the wishes)
    with django_assert_num_queries(11):
        page = client.get(f"/wishlists/{wishlist.token}/")
    assert page.content.decode().count("Note 1") == n
