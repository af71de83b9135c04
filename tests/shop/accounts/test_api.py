import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from shop.accounts import services
from shop.core.errors import CoreError
from tests.factories import UserFactory, image_bytes
from tests.shop.accounts.conftest import verified_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def with_avatar(user):
    return services.profile_update(
        user=user,
        display_name=user.display_name,
        bio=user.bio,
        avatar=verified_image(),
        remove_avatar=False,
    )


# --- /api/v1/me -------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "patch"])
def test_me_refuses_anonymous_clients_with_a_json_error(api, method):
    response = getattr(api, method)("/api/v1/me", {}, format="json")

    assert response.status_code in (401, 403)
    assert response.json()["errors"]["detail"][0]["code"] == "not_authenticated"


def test_me_returns_your_own_account(api):
    user = UserFactory(username="ada", display_name="Ada", bio="Counts.")
    api.force_authenticate(user)

    response = api.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "username": "ada",
        "email": "ada@example.com",
        "display_name": "Ada",
        "bio": "Counts.",
        "avatar": None,
        "avatar_thumbnail": None,
    }


@pytest.mark.parametrize("avatar", [False, True])
def test_me_shows_exactly_what_its_documented_serializer_shows(rf, avatar):
    from shop.accounts.api import MeOutputSerializer, me_shown

    user = UserFactory(display_name="Ada <b>", bio="")
    user = with_avatar(user) if avatar else user
    request = rf.get("/api/v1/me")

    shown = me_shown(user, request=request)

    assert shown == MeOutputSerializer(user, context={"request": request}).data
    assert list(shown) == list(MeOutputSerializer().fields)


def test_me_works_with_or_without_the_trailing_slash(api):
    api.force_authenticate(UserFactory())

    assert api.get("/api/v1/me/").status_code == 200


def test_me_avatar_is_an_absolute_url(api):
    user = with_avatar(UserFactory())
    api.force_authenticate(user)

    body = api.get("/api/v1/me").json()

    assert body["avatar"] == f"http://testserver{user.avatar.url}"
    assert body["avatar_thumbnail"] == f"http://testserver{user.avatar_thumb.url}"


def test_patch_me_changes_only_the_fields_sent(api):
    user = UserFactory(display_name="Ada", bio="Counts.")
    api.force_authenticate(user)

    response = api.patch("/api/v1/me", {"bio": "Writes programs."}, format="json")

    assert response.status_code == 200
    assert response.json()["bio"] == "Writes programs."
    user.refresh_from_db()
    assert (user.display_name, user.bio) == ("Ada", "Writes programs.")


def test_patch_me_uploads_an_avatar_as_multipart(api):
    user = UserFactory()
    api.force_authenticate(user)
    upload = SimpleUploadedFile("me.png", image_bytes(size=(32, 32)), content_type="image/png")

    response = api.patch("/api/v1/me", {"avatar": upload}, format="multipart")

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.avatar.name.endswith(".webp")
    assert response.json()["avatar"].endswith(user.avatar.url)


def test_patch_me_removes_the_avatar(api, django_capture_on_commit_callbacks):
    user = with_avatar(UserFactory())
    api.force_authenticate(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch("/api/v1/me", {"remove_avatar": True}, format="json")

    assert response.json()["avatar"] is None
    user.refresh_from_db()
    assert not user.avatar


def test_patch_me_with_a_bad_avatar_names_the_field_and_saves_nothing(api):
    user = UserFactory(display_name="Before")
    api.force_authenticate(user)
    upload = SimpleUploadedFile("cv.pdf", b"%PDF-1.4 no", content_type="application/pdf")

    response = api.patch(
        "/api/v1/me", {"display_name": "After", "avatar": upload}, format="multipart"
    )

    assert response.status_code == 400
    [error] = response.json()["errors"]["avatar"]
    assert error["code"] == CoreError.INVALID_IMAGE
    assert error["message"].startswith("Upload a valid image")
    user.refresh_from_db()
    assert (user.display_name, user.avatar.name) == ("Before", "")


def test_patch_me_with_a_too_long_display_name_is_a_400_naming_the_field(api):
    api.force_authenticate(UserFactory())

    response = api.patch("/api/v1/me", {"display_name": "x" * 81}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["display_name"][0]["code"] == "max_length"


def test_patch_me_with_a_wrong_type_is_a_400_not_a_500(api):
    api.force_authenticate(UserFactory())

    response = api.patch("/api/v1/me", {"remove_avatar": "perhaps", "bio": 12}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["remove_avatar"][0]["code"] == "invalid"


@pytest.mark.parametrize("size", [2, 30])
def test_me_queries_do_not_grow_with_users_or_avatars(client, django_assert_num_queries, size):
    people = UserFactory.create_batch(size)
    with_avatar(people[0])

    for person in (people[0], people[-1]):
        client.force_login(person)
        with django_assert_num_queries(1):  # the session with its user
            assert client.get("/api/v1/me").status_code == 200
