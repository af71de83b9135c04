import os
import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q


def avatar_upload_to(instance, filename: str) -> str:
    # The uploaded name is never used: images are re-encoded under a random name.
    return f"avatars/{secrets.token_hex(16)}.webp"


class User(AbstractUser):
    """A person with an account. The username is the public handle in /people/<username>/."""

    display_name = models.CharField(max_length=80, blank=True)
    bio = models.TextField("short bio", max_length=500, blank=True)
    avatar = models.ImageField(upload_to=avatar_upload_to, blank=True)
    avatar_thumb = models.ImageField(upload_to=avatar_upload_to, blank=True, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("username"), name="accounts_user_username_ci_unique"
            )
        ]

    @property
    def public_name(self) -> str:
        return self.display_name or self.username


class Session(AbstractBaseSession):
    """A visitor's session (settings.SESSION_ENGINE: shop.accounts.sessions), kept as Django's
    database sessions are, with the person it signs in beside its data: a signed-in request
    reads its session and its user's row in one query (shop.accounts.session_reads).

    `user` is written from the data on every save (log-in, log-out and key changes all save).
    No database constraint, nothing cascades: a session whose person is gone reads as signed
    out, as Django's would.
    """

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+",
    )  # fmt: skip

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls):
        from shop.accounts.sessions import SessionStore

        return SessionStore


class Address(models.Model):
    """A shipping address a signed-in shopper saved at checkout."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    full_name = models.CharField(max_length=120)
    line1 = models.CharField("address line 1", max_length=200)
    line2 = models.CharField("address line 2", max_length=200, blank=True)
    postal_code = models.CharField(max_length=20)
    city = models.CharField(max_length=100)
    country = models.CharField(max_length=2, help_text="ISO 3166 country code, e.g. FR.")
    phone = models.CharField(max_length=40, blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_default=True),
                name="accounts_address_one_default_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.line1}, {self.postal_code} {self.city}"


class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT: nothing serves them at an
    address of their own; a view hands each one to the person it belongs to.

    The folder is read from settings every time (tests give each test its own)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError("Private files have no public address; a view serves them.")


_private_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _private_storage


def export_upload_to(instance, filename: str) -> str:
    # A random folder and name: the path alone tells nothing and cannot be guessed.
    return f"personal-data/{secrets.token_hex(16)}/{filename}"


def export_token_new() -> str:
    return secrets.token_urlsafe(24)


class PersonalDataExport(models.Model):
    """A person's "download my data" ZIP: asked for, built by a Celery task, offered for a
    week (EXPORT_VALID_FOR in shop.accounts.data_services), then its file is deleted."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The download address carries this token, never the row's id.
    token = models.CharField(max_length=64, unique=True, default=export_token_new)
    file = models.FileField(
        upload_to=export_upload_to, storage=private_storage, blank=True, max_length=200
    )
    size = models.PositiveIntegerField(default=0, help_text="Bytes of the ZIP.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Set in the transaction that sent "your data is ready": a task run twice sends one email.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One export being prepared per person, even for two requests at the same moment.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="accounts_export_one_pending_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"Data export {self.pk} of user {self.user_id} ({self.status})"

    def is_downloadable(self, *, now: datetime) -> bool:
        return (
            self.status == self.Status.READY
            and bool(self.file)
            and self.expires_at is not None
            and self.expires_at > now
        )
