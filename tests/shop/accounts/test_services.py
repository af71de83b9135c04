import io

import pytest
from django.db import DatabaseError
from PIL import Image

from shop.accounts import services
from shop.accounts.errors import AccountError
from shop.core.errors import DomainError
from tests.factories import UserFactory
from tests.shop.accounts.conftest import verified_image

pytestmark = pytest.mark.django_db


def stored_size(field) -> tuple[int, int]:
    with field.storage.open(field.name) as stored:
        return Image.open(io.BytesIO(stored.read())).size


def profile_update(user, **changes):
    arguments = {
        "display_name": user.display_name,
        "bio": user.bio,
        "avatar": None,
        "remove_avatar": False,
        **changes,
    }
    return services.profile_update(user=user, **arguments)


def test_profile_update_saves_display_name_and_bio_trimmed():
    user = UserFactory(display_name="Old", bio="")

    profile_update(user, display_name="  Ada Lovelace ", bio=" Counts things.\n")

    user.refresh_from_db()
    assert (user.display_name, user.bio) == ("Ada Lovelace", "Counts things.")


def test_avatar_and_thumbnail_are_stored_as_webp_under_random_names():
    user = UserFactory()

    profile_update(user, avatar=verified_image(size=(300, 200)))

    user.refresh_from_db()
    assert user.avatar.name.startswith("avatars/") and user.avatar.name.endswith(".webp")
    assert user.avatar_thumb.name.endswith(".webp")
    assert user.avatar.name != user.avatar_thumb.name
    assert "me" not in user.avatar.name.removeprefix("avatars/").removesuffix(".webp")
    assert stored_size(user.avatar) == (300, 200)
    assert stored_size(user.avatar_thumb) == (128, 85)


def test_large_avatar_is_stored_at_most_512_pixels_a_side():
    user = UserFactory()

    profile_update(user, avatar=verified_image(size=(1600, 800)))

    user.refresh_from_db()
    assert stored_size(user.avatar) == (512, 256)


def test_replaced_avatar_files_are_deleted_only_after_the_commit(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user, avatar=verified_image(color="red"))
    old_files = [user.avatar.name, user.avatar_thumb.name]
    storage = user.avatar.storage

    with django_capture_on_commit_callbacks() as callbacks:
        profile_update(user, avatar=verified_image(color="blue"))
        assert all(storage.exists(name) for name in old_files)
    for callback in callbacks:
        callback()

    assert not any(storage.exists(name) for name in old_files)
    assert storage.exists(user.avatar.name) and storage.exists(user.avatar_thumb.name)


def test_remove_avatar_clears_it_and_deletes_its_files(django_capture_on_commit_callbacks):
    user = UserFactory()
    profile_update(user, avatar=verified_image())
    old_files = [user.avatar.name, user.avatar_thumb.name]

    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user, remove_avatar=True)

    user.refresh_from_db()
    assert not user.avatar and not user.avatar_thumb
    assert not any(user.avatar.storage.exists(name) for name in old_files)


def test_without_a_new_avatar_the_current_one_stays(django_capture_on_commit_callbacks):
    user = UserFactory()
    profile_update(user, avatar=verified_image())
    avatar_name = user.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user, display_name="Someone else")

    user.refresh_from_db()
    assert user.avatar.name == avatar_name
    assert user.avatar.storage.exists(avatar_name)


def test_a_new_avatar_wins_over_remove_avatar():
    user = UserFactory()

    profile_update(user, avatar=verified_image(), remove_avatar=True)

    user.refresh_from_db()
    assert user.avatar and user.avatar_thumb


@pytest.mark.parametrize(
    ("field", "length", "code"),
    [
        ("display_name", 81, AccountError.DISPLAY_NAME_TOO_LONG),
        ("bio", 501, AccountError.BIO_TOO_LONG),
    ],
)
def test_too_long_text_is_refused_and_nothing_is_saved(field, length, code):
    user = UserFactory(display_name="Kept", bio="Kept too")

    with pytest.raises(DomainError) as error:
        profile_update(user, **{field: "x" * length}, avatar=verified_image())

    assert error.value.code == code
    assert error.value.field == field
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.avatar.name) == ("Kept", "Kept too", "")


def test_files_written_for_a_save_that_fails_are_deleted(monkeypatch):
    user = UserFactory()
    storage = user.avatar.storage

    def failing_save(*args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(type(user), "save", failing_save)

    with pytest.raises(DatabaseError):
        profile_update(user, avatar=verified_image())

    assert storage.listdir("avatars")[1] == []
