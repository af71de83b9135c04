"""`manage.py demo_data` builds a community the social side can be tried on."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from demo import specs
from demo.community import community_spec
from social.graph import profile_selectors, selectors
from social.graph.models import PrivacySettings

pytestmark = pytest.mark.django_db
DEMO_PRODUCTS = 3  # the shop `demo` (tests/demo/conftest.py) is built once for this module

User = get_user_model()
ROBIN = specs.account("robin")


@pytest.fixture
def built(demo):
    return User.objects.get(username="shopper")


def test_about_forty_people_with_names_bios_and_avatars(built):
    people = User.objects.filter(username__in=[p.username for p in community_spec().people])

    assert people.count() >= 38
    assert not people.filter(bio="").exists()
    assert not people.filter(avatar="").exists()
    assert not people.filter(avatar_thumb="").exists()
    assert people.exclude(display_name="").count() == people.count()


def test_the_shopper_has_friends_requests_and_follows(built):
    shopper = built

    assert selectors.friends_count(user=shopper) == 12
    assert selectors.friend_request_list_received(user=shopper).count() == 2
    assert selectors.friend_request_list_sent(user=shopper).count() == 1
    assert set(selectors.follow_list(user=shopper).values_list("merchant__slug", flat=True)) == {
        "northwind-outfitters",
        "maison-verte",
    }
    assert selectors.is_friend(user=shopper, other=User.objects.get(username="robin"))


def test_friends_of_the_shopper_bring_mutual_friends(built):
    jonas = User.objects.get(username="jonas")

    assert profile_selectors.mutual_friends(viewer=built, person=jonas).count >= 1


def test_a_couple_of_public_profiles_and_one_sharing_purchases(built):
    assert PrivacySettings.objects.filter(profile="public").count() >= 2
    assert PrivacySettings.objects.filter(purchases="friends").count() == 1


def test_the_second_shopper_can_sign_in_and_is_printed(demo, client):
    response = client.post("/accounts/login/", {"login": ROBIN.email, "password": ROBIN.password})

    assert response.status_code == 302
    assert ROBIN.email in demo.output and ROBIN.password in demo.output


def test_the_others_cannot_sign_in(built):
    assert not User.objects.get(username="lena").has_usable_password()


def test_the_shopper_has_a_few_unread_notifications_made_once(built):
    from social.notifications.selectors import notification_list, unread_count

    items = notification_list(user=built).items
    call_command("demo_data", products=3, stdout=io.StringIO())

    texts = [item.text for item in items]
    assert unread_count(viewer=built) == sum(len(item.ids) for item in items) >= 4
    assert "Jonas Berg and Priya Raman sent you friend requests" in texts
    assert any(text.endswith("accepted your friend request") for text in texts)
    assert any(text.endswith("has shipped") for text in texts)
