"""The accounts' part of "download my data" and "delete my account" (shop.core.personal_data):
the profile, the email addresses and the saved shipping addresses.

Erasing keeps the user row (orders, the admin's history and other people's records point at
it) but leaves nothing in it that names or reaches the person: a placeholder username and
email, "Deleted user", no bio or avatar, no usable password, inactive. An inactive person is
found by no page or endpoint (every selector of people asks for is_active), and a password
that no longer matches ends every session they had (Django checks the session's password
hash on each request).
"""

import secrets
from functools import partial

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from rest_framework.authtoken.models import Token

from shop.accounts.models import Address, PersonalDataExport, User

DELETED_NAME = "Deleted user"
# ".invalid" is reserved (RFC 2606): mail to it is never delivered anywhere.
DELETED_EMAIL_DOMAIN = "deleted.invalid"


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _file_name(field) -> str | None:
    return field.name or None


def accounts_export(user: User) -> dict:
    """Return USER's profile, email addresses and saved shipping addresses."""
    return {
        "profile": {
            "username": user.username,
            "email": user.email,
            "display_name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "bio": user.bio,
            "avatar": _file_name(user.avatar),
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user_id=user.pk).order_by("-primary", "email")
        ],
        "addresses": [
            {
                "full_name": a.full_name,
                "line1": a.line1,
                "line2": a.line2,
                "postal_code": a.postal_code,
                "city": a.city,
                "country": a.country,
                "phone": a.phone,
                "is_default": a.is_default,
                "saved_at": _when(a.created_at),
            }
            for a in Address.objects.filter(user_id=user.pk).order_by("-is_default", "created_at")
        ],
    }


def deleted_username() -> str:
    """A placeholder username: random, so it names no one and no one can take it beforehand."""
    return f"deleted-{secrets.token_hex(6)}"


def accounts_erase(user: User) -> None:
    """Anonymise USER's row and remove their addresses, emails, tokens and data exports.

    The row is changed with an UPDATE, not through the USER instance: the other parts' erasers
    (which run after this one, by name) still read the person's former email on it. Files
    (avatar, export ZIPs) are deleted once the transaction commits.
    """
    username = deleted_username()
    avatars = [
        (field.storage, field.name) for field in (user.avatar, user.avatar_thumb) if field.name
    ]
    exports = PersonalDataExport.objects.filter(user_id=user.pk)
    export_files = [export.file.name for export in exports if export.file.name]
    exports.delete()
    Address.objects.filter(user_id=user.pk).delete()
    EmailAddress.objects.filter(user_id=user.pk).delete()
    Token.objects.filter(user_id=user.pk).delete()
    if apps.is_installed("allauth.socialaccount"):  # not installed today; ready if it comes
        from allauth.socialaccount.models import SocialAccount

        SocialAccount.objects.filter(user_id=user.pk).delete()
    User.objects.filter(pk=user.pk).update(
        username=username,
        email=f"{username}@{DELETED_EMAIL_DOMAIN}",
        first_name="",
        last_name="",
        display_name=DELETED_NAME,
        bio="",
        avatar="",
        avatar_thumb="",
        # An unusable password: no log-in, and every session's stored hash stops matching.
        password=make_password(None),
        is_active=False,
        is_staff=False,
        is_superuser=False,
        last_login=None,
    )
    transaction.on_commit(partial(_files_delete, avatars=avatars, export_files=export_files))


def _files_delete(*, avatars: list, export_files: list[str]) -> None:
    from shop.accounts.data_services import export_file_delete

    for storage, name in avatars:
        storage.delete(name)
    for name in export_files:
        export_file_delete(name=name)
