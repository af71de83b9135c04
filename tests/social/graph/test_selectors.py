"""Reads of the graph: the audience rule's queryset form, people search, mutual friends,
relationships. (The rule at every visibility and viewer is in test_access_matrix.py.)"""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404

from social.graph import people_selectors, profile_selectors, selectors, services
from social.graph.models import PrivacySettings
from tests.factories import UserFactory, friends_make, friends_many, privacy_set

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def me():
    return UserFactory(username="me", display_name="Mia Meyer")


def _usernames(people) -> list[str]:
    return [person.username for person in people]


# --- audience_filter --------------------------------------------------------------------------


@pytest.mark.parametrize("n", [10, 200])
def test_audience_filter_judges_every_row_in_one_query(me, django_assert_num_queries, n):
    friends = friends_many(me, n // 2)
    strangers = UserFactory.create_batch(n // 2, verified=False)
    for index, person in enumerate([*friends, *strangers]):
        privacy_set(person, likes=["private", "friends", "public"][index % 3])
    services.person_block(blocker=strangers[-1], person=me)
    privacy_set(strangers[-1], likes="public")

    with django_assert_num_queries(1):
        seen = set(
            selectors.audience_filter(
                PrivacySettings.objects.all(),
                viewer=me,
                owner_field="user",
                visibility_field="likes",
            ).values_list("user_id", flat=True)
        )

    expected = {
        person.pk
        for person in [*friends, *strangers[:-1]]
        if PrivacySettings.objects.get(user=person).likes == "public"
        or (PrivacySettings.objects.get(user=person).likes == "friends" and person in friends)
    }
    assert seen == expected


def test_audience_filter_gives_people_without_settings_the_defaults(me):
    friend, stranger = UserFactory(verified=False), UserFactory(verified=False)
    friends_make(me, friend)

    seen = selectors.audience_filter(
        User.objects.filter(pk__in=[friend.pk, stranger.pk]),
        viewer=me,
        owner_field="pk",
        visibility_field="privacy__likes",  # default: friends
    )

    assert list(seen) == [friend]


def test_audience_filter_shows_visitors_only_public_rows(me):
    public, friends_only = UserFactory(verified=False), UserFactory(verified=False)
    privacy_set(public, friends_list="public")

    seen = selectors.audience_filter(
        User.objects.filter(pk__in=[public.pk, friends_only.pk]),
        viewer=None,
        owner_field="pk",
        visibility_field="privacy__friends_list",
    )

    assert list(seen) == [public]


def test_audience_filter_refuses_a_path_that_is_not_a_visibility():
    with pytest.raises(ValueError):
        selectors.audience_filter(
            User.objects.all(), viewer=None, owner_field="pk", visibility_field="privacy"
        )


# --- mutual friends ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", [5, 60])
def test_mutual_friends_names_three_and_counts_all_in_one_query(me, django_assert_num_queries, n):
    other = UserFactory(verified=False)
    shared = friends_many(me, n)
    friends_make(other, *shared)
    friends_many(me, 3)  # mine only
    friends_many(other, 3)  # theirs only

    with django_assert_num_queries(1):
        mutual = profile_selectors.mutual_friends(viewer=me, person=other)

    assert mutual.count == n
    assert len(mutual.people) == 3
    assert mutual.more == n - 3
    assert {p.pk for p in mutual.people} <= {p.pk for p in shared}


def test_no_mutual_friends_for_a_visitor_or_oneself(me, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert profile_selectors.mutual_friends(viewer=None, person=me).count == 0
        assert profile_selectors.mutual_friends(viewer=me, person=me).count == 0


# --- people search ----------------------------------------------------------------------------


def test_people_are_found_by_part_of_their_name_or_username(me):
    UserFactory(username="lucia", display_name="Lucía Fernández")
    UserFactory(username="zed", display_name="Lukas Berg")
    UserFactory(username="other", display_name="Nobody Here")

    assert _usernames(people_selectors.people_search(viewer=me, query="luk")) == ["zed"]
    assert _usernames(people_selectors.people_search(viewer=me, query="BERG")) == ["zed"]
    assert _usernames(people_selectors.people_search(viewer=me, query="luci")) == ["lucia"]


def test_an_exact_username_comes_first(me):
    UserFactory(username="sam", display_name="Zoe Sampson")
    UserFactory(username="samuel", display_name="Adam Sam")

    assert _usernames(people_selectors.people_search(viewer=me, query="Sam")) == ["sam", "samuel"]


def test_undiscoverable_people_are_found_only_by_their_exact_username(me):
    hidden = UserFactory(username="quietone", display_name="Quinn Quiet")
    privacy_set(hidden, discoverable=False)

    assert _usernames(people_selectors.people_search(viewer=me, query="Quinn")) == []
    assert _usernames(people_selectors.people_search(viewer=me, query="quiet")) == []
    assert _usernames(people_selectors.people_search(viewer=me, query="QuietOne")) == ["quietone"]


def test_search_leaves_out_oneself_the_inactive_and_anyone_blocked_either_way(me):
    blocked_by_me = UserFactory(username="kim1", display_name="Kim")
    blocking_me = UserFactory(username="kim2", display_name="Kim")
    UserFactory(username="kim3", display_name="Kim", is_active=False)
    kim = UserFactory(username="kim4", display_name="Kim")
    services.person_block(blocker=me, person=blocked_by_me)
    services.person_block(blocker=blocking_me, person=me)

    assert _usernames(people_selectors.people_search(viewer=me, query="kim")) == ["kim4"]
    assert _usernames(people_selectors.people_search(viewer=me, query="kim2")) == []
    assert _usernames(people_selectors.people_search(viewer=kim, query="me")) == ["me"]
    assert _usernames(people_selectors.people_search(viewer=me, query="me")) == []


@pytest.mark.parametrize("query", ["", "   ", "x" * 151, "a\x00b"])
def test_an_empty_or_impossible_query_finds_nobody(me, query):
    UserFactory(username="a", display_name="A")

    assert list(people_selectors.people_search(viewer=me, query=query)) == []


def test_search_results_carry_their_ties_to_the_viewer(me):
    friend = UserFactory(username="pat1", display_name="Pat")
    asked = UserFactory(username="pat2", display_name="Pat")
    asking = UserFactory(username="pat3", display_name="Pat")
    friends_make(me, friend)
    friends_make(asked, friend)
    sent = services.friend_request_send(sender=me, to=asked)
    received = services.friend_request_send(sender=asking, to=me)

    found = {p.username: p for p in people_selectors.people_search(viewer=me, query="pat")}

    assert found["pat1"].is_friend and found["pat1"].mutual_friends == 0
    assert found["pat2"].request_sent_id == sent.pk and found["pat2"].mutual_friends == 1
    assert found["pat3"].request_received_id == received.pk
    assert not found["pat3"].is_friend and found["pat3"].request_sent_id is None


@pytest.mark.parametrize("n", [10, 200])
def test_search_takes_one_query_whatever_the_number_found(me, django_assert_num_queries, n):
    people = UserFactory.create_batch(n, display_name="Alex Same", verified=False)
    friends_make(me, *people[: n // 2])

    with django_assert_num_queries(1):
        found = list(people_selectors.people_search(viewer=me, query="alex")[:24])

    assert len(found) == min(n, 24)
    assert [p.mutual_friends for p in found] == [0] * len(found)


# --- people and relationships -----------------------------------------------------------------


@pytest.mark.parametrize("who_blocks", ["viewer", "person"])
def test_a_person_blocked_either_way_does_not_exist_for_the_other(me, who_blocks):
    person = UserFactory(username="ghost")
    blocker, blocked = (me, person) if who_blocks == "viewer" else (person, me)
    services.person_block(blocker=blocker, person=blocked)

    with pytest.raises(Http404):
        selectors.person_get_for_viewer(viewer=me, username="GHOST")
    assert selectors.person_get_for_viewer(viewer=None, username="ghost") == person


def test_an_inactive_person_does_not_exist(me):
    UserFactory(username="gone", is_active=False)

    with pytest.raises(Http404):
        selectors.person_get_for_viewer(viewer=me, username="gone")


def test_relationship_tells_the_profile_which_button_to_show(me, django_assert_num_queries):
    person = UserFactory(username="robin")
    privacy_set(person, profile="public")
    services.person_follow(follower=me, person=person)
    received = services.friend_request_send(sender=person, to=me)

    with django_assert_num_queries(1):
        ties = people_selectors.relationship_get(viewer=me, person=person)

    assert ties.request_received_id == received.pk
    assert ties.request_sent_id is None
    assert ties.follows and not ties.is_friend and not ties.blocked
    assert ties.sees_profile and not ties.sees_friends_list
    assert not ties.can_follow  # already does


def test_relationship_of_a_blocked_pair_shows_nothing(me):
    person = UserFactory(username="robin")
    privacy_set(person, profile="public", friends_list="public")
    services.person_block(blocker=person, person=me)

    ties = people_selectors.relationship_get(viewer=me, person=person)

    assert ties.blocks_viewer and not ties.blocked_by_viewer
    assert not ties.sees_profile and not ties.sees_friends_list and not ties.can_follow


def test_someones_friends_list_follows_their_setting_and_hides_blocked_names(me):
    person = UserFactory(username="host")
    shown, blocked_name = UserFactory(username="shown"), UserFactory(username="hidden")
    friends_make(person, shown, blocked_name)
    services.person_block(blocker=blocked_name, person=me)

    with pytest.raises(PermissionDenied):
        selectors.person_friends_for_viewer(viewer=me, person=person)  # friends only

    privacy_set(person, friends_list="public")
    listed = selectors.person_friends_for_viewer(viewer=me, person=person)
    assert [f.friend.username for f in listed] == ["shown"]
