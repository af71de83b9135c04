import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models


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
