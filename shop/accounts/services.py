"""Every write to a person's account and profile."""

from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone

from shop.accounts import events
from shop.accounts.errors import AccountError
from shop.accounts.models import Address, Session, User
from shop.core.errors import DomainError
from shop.core.images import VerifiedImage, image_thumbnail

# The stored avatar is at most this many pixels a side; the thumbnail serves lists and menus
# (shown at up to 64 CSS pixels, so 128 covers double-density screens).
AVATAR_MAX_SIDE = 512
AVATAR_THUMB_SIDE = 128


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str,
    bio: str,
    avatar: VerifiedImage | None,
    remove_avatar: bool,
) -> User:
    """Save a person's display name, bio and avatar.

    `avatar` has been verified and re-encoded (shop.core.images.image_verify); it is stored
    with a small thumbnail, both under random names. With `avatar` None the current avatar
    stays unless `remove_avatar` is set; a new avatar wins over `remove_avatar`. Files
    replaced or removed are deleted once the transaction commits.

    Raises DomainError DISPLAY_NAME_TOO_LONG or BIO_TOO_LONG.
    """
    display_name = display_name.strip()
    bio = bio.strip()
    _check_length(display_name, field="display_name", code=AccountError.DISPLAY_NAME_TOO_LONG)
    _check_length(bio, field="bio", code=AccountError.BIO_TOO_LONG)

    storage = user.avatar.storage
    old_names = [name for name in (user.avatar.name, user.avatar_thumb.name) if name]
    shown_changed = display_name != user.display_name or avatar is not None or remove_avatar
    user.display_name = display_name
    user.bio = bio
    new_names: list[str] = []
    try:
        if avatar is not None:
            user.avatar.save("avatar.webp", _avatar_content(avatar), save=False)
            new_names.append(user.avatar.name)
            thumb = image_thumbnail(avatar.content, size=AVATAR_THUMB_SIDE)
            user.avatar_thumb.save("thumb.webp", thumb, save=False)
            new_names.append(user.avatar_thumb.name)
        elif remove_avatar:
            user.avatar = ""
            user.avatar_thumb = ""
        user.save(update_fields=["display_name", "bio", "avatar", "avatar_thumb"])
    except BaseException:
        # The row keeps the old names; the files just written would be orphans.
        _files_delete(storage=storage, names=new_names)
        raise
    if avatar is not None or remove_avatar:
        # Deleting before commit would leave a rolled-back row pointing at nothing.
        transaction.on_commit(partial(_files_delete, storage=storage, names=old_names))
    if shown_changed:
        transaction.on_commit(
            partial(events.profile_changed.send_robust, sender=User, user_id=user.pk)
        )
    return user


def _check_length(value: str, *, field: str, code: AccountError) -> None:
    limit = User._meta.get_field(field).max_length
    if len(value) > limit:
        label = User._meta.get_field(field).verbose_name
        raise DomainError(
            f"The {label} can be at most {limit} characters long (it has {len(value)}).",
            code=code,
            field=field,
        )


def _avatar_content(avatar: VerifiedImage) -> ContentFile:
    if max(avatar.width, avatar.height) <= AVATAR_MAX_SIDE:
        return avatar.content
    return image_thumbnail(avatar.content, size=AVATAR_MAX_SIDE)


def _files_delete(*, storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


ADDRESS_FIELDS = ("full_name", "line1", "line2", "postal_code", "city", "country")


def address_add(
    *,
    user: User,
    full_name: str,
    line1: str,
    line2: str,
    postal_code: str,
    city: str,
    country: str,
    phone: str = "",
) -> Address:
    """Keep a shipping address in `user`'s address book, the default if they have none.

    An address already saved with the same lines is returned as it is, not saved twice.
    """
    fields = {
        "full_name": full_name,
        "line1": line1,
        "line2": line2,
        "postal_code": postal_code,
        "city": city,
        "country": country,
    }
    same = Address.objects.filter(user=user, **fields).first()
    if same is not None:
        return same
    has_default = Address.objects.filter(user=user, is_default=True).exists()
    return Address.objects.create(user=user, phone=phone, is_default=not has_default, **fields)


def sessions_expired_delete() -> int:
    """Delete the sessions past their expiry (Django's clearsessions); return how many.

    An expired session is never read (shop.accounts.session_reads asks for unexpired ones):
    this only keeps the table from growing. One DELETE; running it twice deletes nothing more.
    """
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
