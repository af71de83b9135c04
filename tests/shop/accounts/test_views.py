import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shop.accounts import services
from shop.core.errors import CoreError
from tests.factories import UserFactory, image_bytes
from tests.shop.accounts.conftest import verified_image

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def with_avatar(user):
    return services.profile_update(
        user=user,
        display_name=user.display_name,
        bio=user.bio,
        avatar=verified_image(),
        remove_avatar=False,
    )


# --- /accounts/profile/ -----------------------------------------------------------------------


def test_profile_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/accounts/profile/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/accounts/profile/")


def test_profile_page_shows_the_current_profile_in_labelled_fields(client):
    user = UserFactory(display_name="Ada Lovelace", bio="Counts things.")
    client.force_login(user)

    page = text(client.get("/accounts/profile/"))

    assert page.count("<h1>") == 1
    assert 'value="Ada Lovelace"' in page
    assert ">\nCounts things.</textarea>" in page
    for field, label in [
        ("display_name", "Display name"),
        ("bio", "Short bio"),
        ("avatar", "Avatar"),
    ]:
        assert f'<label for="id_{field}">{label}' in page
    assert "Remove avatar" not in page  # nothing to remove yet
    assert ">Save profile</button>" in page


def test_avatar_field_shows_the_current_avatar_with_accepted_formats_and_size(client, settings):
    settings.IMAGE_MAX_BYTES = 8 * 1024 * 1024
    user = with_avatar(UserFactory())
    client.force_login(user)

    page = text(client.get("/accounts/profile/"))

    assert f'src="{user.avatar_thumb.url}" alt="Your current avatar"' in page
    assert '<label for="id_avatar">Avatar' in page
    avatar_input = re.search(r'<input[^>]*name="avatar"[^>]*>', page).group(0)
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in avatar_input
    assert f'data-max-bytes="{8 * 1024 * 1024}"' in avatar_input
    assert 'aria-describedby="id_avatar_helptext"' in avatar_input
    assert (
        '<div class="help" id="id_avatar_helptext">A JPEG, PNG, WebP or GIF image, up to 8 MB.'
        in (page)
    )
    assert '<script src="/static/js/avatar-preview.js" defer></script>' in page


def test_avatar_field_without_avatar_shows_the_initial_others_see(client):
    client.force_login(UserFactory(display_name="dana"))

    page = text(client.get("/accounts/profile/"))

    assert "data-avatar-preview-initial>D</span>" in page
    assert "No avatar yet: others see your initial." in page


def test_saving_the_profile_redirects_to_the_public_page_with_a_message(
    client, avatar_upload, django_capture_on_commit_callbacks
):
    user = UserFactory(username="ada")
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/profile/",
            {"display_name": "Ada L.", "bio": "Hello.", "avatar": avatar_upload()},
            follow=True,
        )

    assert response.redirect_chain == [("/people/ada/", 302)]
    assert "Your profile is saved. Others now see you as Ada L." in text(response)
    user.refresh_from_db()
    assert (user.display_name, user.bio) == ("Ada L.", "Hello.")
    assert user.avatar and user.avatar_thumb


def test_remove_avatar_checkbox_removes_it(client, django_capture_on_commit_callbacks):
    user = with_avatar(UserFactory())
    client.force_login(user)
    assert "Remove avatar" in text(client.get("/accounts/profile/"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/profile/",
            {"display_name": user.display_name, "bio": "", "remove_avatar": "on"},
        )

    user.refresh_from_db()
    assert not user.avatar


@pytest.mark.parametrize(
    ("name", "data", "code", "message"),
    [
        ("cv.pdf", b"%PDF-1.4 not an image", CoreError.INVALID_IMAGE, "Upload a valid image"),
        (
            "x.bmp",
            image_bytes(fmt="BMP"),
            CoreError.IMAGE_FORMAT_NOT_ALLOWED,
            "Only JPEG, PNG, WebP and GIF images are accepted.",
        ),
    ],
    ids=["not-an-image", "bmp"],
)
def test_bad_avatar_is_explained_on_the_field_and_other_fields_are_kept(
    client, name, data, code, message
):
    upload = SimpleUploadedFile(name, data)
    user = UserFactory(display_name="Before", bio="Before bio")
    client.force_login(user)

    response = client.post(
        "/accounts/profile/", {"display_name": "After", "bio": "After bio", "avatar": upload}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.as_data()["avatar"][0].code == code
    page = text(response)
    assert message in page
    assert 'id="id_avatar_error"' in page  # linked to the input by aria-describedby
    assert 'value="After"' in page and ">\nAfter bio</textarea>" in page
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.avatar.name) == ("Before", "Before bio", "")


def test_avatar_with_too_many_bytes_is_refused(client, settings, avatar_upload):
    settings.IMAGE_MAX_BYTES = 50
    user = UserFactory()
    client.force_login(user)

    response = client.post("/accounts/profile/", {"display_name": "X", "avatar": avatar_upload()})

    assert response.context["form"].errors.as_data()["avatar"][0].code == CoreError.IMAGE_TOO_LARGE
    user.refresh_from_db()
    assert not user.avatar


def test_too_long_display_name_is_explained_on_the_field(client):
    user = UserFactory(display_name="Before")
    client.force_login(user)

    response = client.post("/accounts/profile/", {"display_name": "x" * 81, "bio": ""})

    assert "display_name" in response.context["form"].errors
    user.refresh_from_db()
    assert user.display_name == "Before"
