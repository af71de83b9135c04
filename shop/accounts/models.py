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
