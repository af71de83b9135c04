"""Ask my friends about my list: asking notifies the friends who see it (once), friends vote
and comment, the owner sees the answers and is told of each (one line per list)."""

import pytest

from gifting.wishlists import ask_selectors, ask_services, selectors
from gifting.wishlists.models import ItemComment, ItemVote
from shop.core.errors import DomainError
from social.graph.services import person_block
from social.notifications.models import Notification
from social.notifications.selectors import notification_list
from tests.factories import UserFactory, friends_make, privacy_set
from tests.gifting.wishlists.helpers import wish_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    ana, ben, chloe, dan = (
        UserFactory(username=n, display_name=n.title()) for n in ("ana", "ben", "chloe", "dan")
    )
    friends_make(ana, ben, chloe, dan)
    return ana, ben, chloe, dan


def _asked(owner, capture, **kwargs):
    item = wish_make(owner, **kwargs)
    with capture(execute=True):
        ask_services.wishlist_ask(wishlist=item.wishlist)
    item.wishlist.refresh_from_db()
    return item


def _told(kind=ask_services.ASK_RECEIVED):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def test_asking_notifies_each_friend_once_however_often_pressed(
    people, django_capture_on_commit_callbacks
):
    ana, _, _, _ = people
    item = _asked(ana, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        first_again = ask_services.wishlist_ask(wishlist=item.wishlist)

    assert _told() == ["ben", "chloe", "dan"] and first_again is False
    note = Notification.objects.filter(recipient__username="ben").get()
    assert note.url == f"/wishlists/{item.wishlist.token}/"
    assert note.data == {"title": "Birthday"}


def test_a_friend_made_since_is_told_on_the_next_press(people, django_capture_on_commit_callbacks):
    ana, _, _, _ = people
    item = _asked(ana, django_capture_on_commit_callbacks)
    eve = UserFactory(username="eve")
    friends_make(ana, eve)

    with django_capture_on_commit_callbacks(execute=True):
        ask_services.wishlist_ask(wishlist=item.wishlist)

    assert _told() == ["ben", "chloe", "dan", "eve"]


def test_blocked_people_are_not_told(people, django_capture_on_commit_callbacks):
    ana, ben, chloe, _ = people
    person_block(blocker=ana, person=ben)
    person_block(blocker=chloe, person=ana)

    _asked(ana, django_capture_on_commit_callbacks)

    assert _told() == ["dan"]


def test_friends_are_told_in_chunks(people, django_capture_on_commit_callbacks):
    ana, _, _, _ = people
    item = wish_make(ana)
    item.wishlist.asked_at = item.wishlist.created_at
    item.wishlist.save()

    told = ask_services.wishlist_ask_notify(wishlist_id=item.wishlist_id, chunk=2)

    assert told == 3 and _told() == ["ben", "chloe", "dan"]


def test_a_private_list_cannot_be_asked_about(people):
    ana, _, _, _ = people
    item = wish_make(ana, visibility="private")

    with pytest.raises(DomainError) as error:
        ask_services.wishlist_ask(wishlist=item.wishlist)

    assert error.value.code == "not_shared" and error.value.field == "visibility"
    item.wishlist.refresh_from_db()
    assert item.wishlist.asked_at is None and not Notification.objects.exists()


def test_no_vote_before_the_owner_asks(people):
    ana, ben, _, _ = people
    item = wish_make(ana)

    with pytest.raises(DomainError) as error:
        ask_services.item_vote_set(item=item, voter=ben, up=True)

    assert error.value.code == "not_asked" and not ItemVote.objects.exists()


def test_one_vote_per_person_changed_and_removed(people, django_capture_on_commit_callbacks):
    ana, ben, _, _ = people
    item = _asked(ana, django_capture_on_commit_callbacks)

    ask_services.item_vote_set(item=item, voter=ben, up=True)
    ask_services.item_vote_set(item=item, voter=ben, up=False)
    changed = list(ItemVote.objects.values_list("up", flat=True))
    removed = ask_services.item_vote_remove(item=item, voter=ben)

    assert changed == [False] and removed is True and not ItemVote.objects.exists()


def test_the_owner_cannot_vote_nor_a_stranger(people, django_capture_on_commit_callbacks):
    ana, _, _, _ = people
    item = _asked(ana, django_capture_on_commit_callbacks)

    with pytest.raises(DomainError) as own:
        ask_services.item_vote_set(item=item, voter=ana, up=True)
    with pytest.raises(DomainError) as stranger:
        ask_services.item_comment_add(item=item, author=UserFactory(), text="Nice")

    assert (own.value.code, stranger.value.code) == ("own_list", "not_found")


def test_a_link_holder_may_answer_a_link_list(people, django_capture_on_commit_callbacks):
    ana, _, _, _ = people
    item = _asked(ana, django_capture_on_commit_callbacks, visibility="link")
    holder = UserFactory()

    ask_services.item_comment_add(item=item, author=holder, text="This one", link_opened=True)

    assert ItemComment.objects.get().author == holder


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Please enter the comment."), ("x" * 501, "at most 500 characters")],
)
def test_a_bad_comment_names_the_field(people, django_capture_on_commit_callbacks, text, message):
    ana, ben, _, _ = people
    item = _asked(ana, django_capture_on_commit_callbacks)

    with pytest.raises(DomainError) as error:
        ask_services.item_comment_add(item=item, author=ben, text=text)

    assert error.value.field == "text" and message in error.value.message


def test_the_author_and_the_owner_delete_a_comment_others_cannot(
    people, django_capture_on_commit_callbacks
):
    ana, ben, chloe, _ = people
    item = _asked(ana, django_capture_on_commit_callbacks)
    bens = ask_services.item_comment_add(item=item, author=ben, text="Blue")
    chloes = ask_services.item_comment_add(item=item, author=chloe, text="Red")

    with pytest.raises(DomainError) as error:
        ask_services.item_comment_delete(comment=bens, by=chloe)
    ask_services.item_comment_delete(comment=bens, by=ben)
    ask_services.item_comment_delete(comment=chloes, by=ana)

    assert error.value.code == "not_yours" and not ItemComment.objects.exists()


def test_the_owner_sees_votes_and_comments_with_names_but_no_claim(
    people, django_capture_on_commit_callbacks
):
    ana, ben, chloe, _ = people
    item = _asked(ana, django_capture_on_commit_callbacks, wanted=2)
    from gifting.wishlists import services

    services.claim_create(item=item, claimer=ben)
    ask_services.item_vote_set(item=item, voter=ben, up=True)
    ask_services.item_vote_set(item=item, voter=chloe, up=False)
    ask_services.item_comment_add(item=item, author=ben, text="Get the blue one")

    shown = selectors.wishlist_shown(viewer=ana, wishlist=item.wishlist)

    answers = shown.items[0].answers
    assert (answers.up, answers.down, answers.up_names, answers.down_names) == (
        1,
        1,
        ["Ben"],
        ["Chloe"],
    )
    assert [(c.name, c.text, c.may_delete) for c in answers.comments] == [
        ("Ben", "Get the blue one", True)
    ]
    assert shown.items[0].claims == [] and shown.items[0].taken is None
    assert shown.may_answer is False


def test_names_follow_the_profile_audience_and_the_viewer_is_you(
    people, django_capture_on_commit_callbacks
):
    ana, ben, chloe, _ = people
    item = _asked(ana, django_capture_on_commit_callbacks)
    dave = UserFactory(display_name="Dave Public")
    privacy_set(dave, profile="public")
    friends_make(ana, dave)
    ask_services.item_vote_set(item=item, voter=ben, up=True)
    # Chloé's profile is for her friends; Ben is not one of them.
    ask_services.item_vote_set(item=item, voter=chloe, up=True)
    ask_services.item_vote_set(item=item, voter=dave, up=False)

    answers = ask_selectors.item_answers_for(viewer=ben, wishlist=item.wishlist)[item.pk]

    assert answers.up_names == ["You", "Someone"] and answers.my_vote == "up"
    assert answers.down_names == ["Dave Public"]


def test_a_comment_between_people_who_block_each_other_is_hidden_from_them(
    people, django_capture_on_commit_callbacks
):
    ana, ben, chloe, dan = people
    item = _asked(ana, django_capture_on_commit_callbacks)
    ask_services.item_comment_add(item=item, author=ben, text="Blue")
    ask_services.item_vote_set(item=item, voter=ben, up=True)
    person_block(blocker=chloe, person=ben)

    for_chloe = ask_selectors.item_answers_for(viewer=chloe, wishlist=item.wishlist)
    for_dan = ask_selectors.item_answers_for(viewer=dan, wishlist=item.wishlist)

    assert for_chloe == {}
    assert [c.text for c in for_dan[item.pk].comments] == ["Blue"] and for_dan[item.pk].up == 1


def test_each_answer_notifies_the_owner_as_one_line_per_list(
    people, django_capture_on_commit_callbacks
):
    ana, ben, chloe, dan = people
    item = _asked(ana, django_capture_on_commit_callbacks)

    ask_services.item_vote_set(item=item, voter=ben, up=True)
    ask_services.item_vote_set(item=item, voter=ben, up=False)
    ask_services.item_comment_add(item=item, author=chloe, text="Red")
    ask_services.item_vote_set(item=item, voter=dan, up=True)

    lines = notification_list(user=ana).items
    assert Notification.objects.filter(recipient=ana).count() == 3
    assert [line.text for line in lines] == ["Dan and 2 others answered about “Birthday”"]


def test_votes_and_comments_join_the_export_and_go_with_the_account(
    people, django_capture_on_commit_callbacks
):
    from gifting.wishlists.personal_data import wishlists_erase, wishlists_export

    ana, ben, _, _ = people
    item = _asked(ana, django_capture_on_commit_callbacks)
    ask_services.item_vote_set(item=item, voter=ben, up=True)
    ask_services.item_comment_add(item=item, author=ben, text="Blue")

    exported = wishlists_export(ben)
    wishlists_erase(ben)

    assert [(v["list"], v["vote"]) for v in exported["votes"]] == [("Birthday", "up")]
    assert [(c["list"], c["text"]) for c in exported["comments"]] == [("Birthday", "Blue")]
    assert not ItemVote.objects.exists() and not ItemComment.objects.exists()
    assert "votes" not in str(wishlists_export(ana)["wishlists"])
