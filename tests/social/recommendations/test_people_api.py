"""/api/v1/suggestions: people you may know, and "Not now" (people_api.py)."""

import pytest

from social.recommendations.models import Dismissal
from social.recommendations.people_selectors import suggestions_forget_everyone
from tests.factories import UserFactory, friends_make, friends_many

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(api):
    me = UserFactory(username="me")
    api.force_authenticate(me)
    return me


@pytest.fixture
def zoe(me):
    ana = UserFactory(username="ana", display_name="Ana")
    ben = UserFactory(username="ben", display_name="Ben")
    zoe = UserFactory(username="zoe", display_name="Zoe Zed")
    friends_make(me, ana, ben)
    friends_make(zoe, ana, ben)
    return zoe


def test_the_list_gives_each_person_with_the_mutual_friends(api, zoe):
    response = api.get("/api/v1/suggestions")

    assert response.status_code == 200
    (suggestion,) = response.json()["results"]
    assert suggestion["person"]["username"] == "zoe"
    assert suggestion["person"]["name"] == "Zoe Zed"
    assert suggestion["mutual_friends"]["count"] == 2
    assert [p["username"] for p in suggestion["mutual_friends"]["people"]] == ["ana", "ben"]


def test_the_kept_representation_follows_a_new_name_and_the_address_asked(
    api, zoe, settings, django_capture_on_commit_callbacks
):
    from shop.accounts import services as account_services

    settings.ALLOWED_HOSTS = ["testserver", "shop.example"]
    zoe.avatar_thumb = "avatars/zoe.webp"
    zoe.save(update_fields=["avatar_thumb"])

    assert _names(api) == ["Zoe Zed"]  # made, and kept with the answer

    with django_capture_on_commit_callbacks(execute=True):
        account_services.profile_update(
            user=zoe, display_name="Zoe Q", bio="", avatar=None, remove_avatar=False
        )

    assert _names(api) == ["Zoe Q"]
    assert _names(api, limit="1") == ["Zoe Q"]
    elsewhere = api.get("/api/v1/suggestions", HTTP_HOST="shop.example").json()["results"]
    assert elsewhere[0]["person"]["avatar_thumbnail"].startswith("http://shop.example/")


def test_the_kept_representation_goes_with_the_answer_it_was_made_from(api, me, zoe):
    from django.core.cache import cache

    from social.recommendations.people_selectors import ANSWER_KEY, RANKING_KEY

    assert _names(api) == ["Zoe Zed"]  # made, and kept beside the answer
    type(zoe).objects.filter(pk=zoe.pk).update(display_name="Zoe Q")  # no event: no generation
    assert _names(api) == ["Zoe Zed"]  # the kept one, while its answer lasts

    # The answer, its stamp and the ranking expire; the next answer is made anew (a new stamp).
    answer = ANSWER_KEY.format(user_id=me.pk)
    cache.delete_many([answer, f"{answer}:stamp", RANKING_KEY.format(user_id=me.pk)])

    assert _names(api) == ["Zoe Q"]


def _names(api, **params) -> list[str]:
    response = api.get("/api/v1/suggestions", params)
    return [s["person"]["name"] for s in response.json()["results"]]


@pytest.mark.parametrize("limit", ["0", "31", "ten", "-1", "1.5", "٣"])
def test_a_bad_limit_is_refused_on_its_field(api, me, limit):
    response = api.get("/api/v1/suggestions", {"limit": limit})

    assert response.status_code == 400
    assert response.json()["errors"]["limit"][0]["code"] == "invalid_limit"


def test_the_limit_is_kept(api, me):
    friends = friends_many(me, 3)
    for stranger in UserFactory.create_batch(5):
        friends_make(stranger, *friends)

    response = api.get("/api/v1/suggestions", {"limit": "2"})

    assert len(response.json()["results"]) == 2


def test_dismissing_removes_the_person_for_good(api, me, zoe):
    response = api.post("/api/v1/suggestions/zoe/dismiss")

    assert response.status_code == 204
    assert Dismissal.objects.filter(user=me, person=zoe).exists()
    assert api.get("/api/v1/suggestions").json()["results"] == []
    assert api.post("/api/v1/suggestions/ZOE/dismiss/").status_code == 204  # again, any case


def test_dismissing_oneself_is_refused_on_the_person(api, me):
    response = api.post("/api/v1/suggestions/me/dismiss")

    assert response.status_code == 400
    assert response.json()["errors"]["person"][0]["code"] == "self_not_allowed"


def test_dismissing_someone_unknown_is_a_404(api, me):
    assert api.post("/api/v1/suggestions/nobody/dismiss").status_code == 404


@pytest.mark.parametrize(
    "method, path", [("get", "/api/v1/suggestions"), ("post", "/api/v1/suggestions/zoe/dismiss")]
)
def test_a_visitor_is_refused(api, method, path):
    UserFactory(username="zoe")

    assert getattr(api, method)(path).status_code == 403


@pytest.mark.parametrize("n", [4, 40])
def test_the_list_takes_the_same_queries_with_4_or_40_people(api, me, django_assert_num_queries, n):
    friends = friends_many(me, n)
    for stranger in UserFactory.create_batch(n, verified=False):
        friends_make(stranger, *friends)
    api.get("/api/v1/suggestions")  # ranked, and the answer cached

    with django_assert_num_queries(0):  # the answer, from the cache
        cached = api.get("/api/v1/suggestions", {"limit": "30"})
    suggestions_forget_everyone()  # a name changed somewhere: the ranking stays
    with django_assert_num_queries(2):  # the people re-checked, their mutual friends
        response = api.get("/api/v1/suggestions", {"limit": "30"})

    assert len(response.json()["results"]) == min(n, 30)
    assert cached.json() == response.json()
