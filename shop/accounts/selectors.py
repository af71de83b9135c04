"""Reads of people and their profiles, used by pages, the API and other apps."""

from allauth.account.models import EmailAddress
from django.db.models import QuerySet, Value
from django.db.models.functions import Lower
from django.http import Http404

from shop.accounts.models import Address, PersonalDataExport, User

USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length


def user_get_by_username(*, username: str) -> User:
    """Return the active user whose username matches `username`, ignoring case.

    Both sides are lowered by the database, so the match is the same one the
    case-insensitive unique constraint enforces (and can use its index).
    Raises Http404 for an unknown or inactive username.
    """
    if not username or len(username) > USERNAME_MAX_LENGTH or "\x00" in username:
        # No such username can exist; PostgreSQL would refuse the NUL byte with an error.
        raise Http404("No such person.")
    user = (
        User.objects.alias(username_lower=Lower("username"))
        .filter(username_lower=Lower(Value(username)), is_active=True)
        .first()
    )
    if user is None:
        raise Http404("No such person.")
    return user


def address_list_for_user(*, user) -> QuerySet[Address]:
    """The saved shipping addresses of `user`, default first (none for visitors)."""
    if user is None or not user.is_authenticated:
        return Address.objects.none()
    return Address.objects.filter(user=user).order_by("-is_default", "-created_at", "-id")


def email_is_verified(*, user: User, email: str) -> bool:
    """Return whether `user` has confirmed the address `email` (in any case)."""
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


# --- download my data, delete my account -----------------------------------------------------

EXPORTS_LISTED = 10


def personal_data_export_list_for_user(*, user: User, limit: int = EXPORTS_LISTED) -> list:
    """USER's most recent data exports, newest first (at most LIMIT)."""
    return list(
        PersonalDataExport.objects.filter(user_id=user.pk).order_by("-created_at", "-id")[:limit]
    )


def personal_data_export_get_for_owner(*, user: User, token: str) -> PersonalDataExport:
    """Return USER's export with TOKEN. Raises Http404 for another person's or an unknown one
    (whether someone else's exists is not told)."""
    export = PersonalDataExport.objects.filter(user_id=user.pk, token=token).first()
    if export is None:
        raise Http404("No such data export.")
    return export


def account_is_staff(*, user: User) -> bool:
    """Return whether USER works for the shop: staff, operator, or staff of a merchant."""
    return user.is_staff or user.is_superuser or user.merchants.exists()
