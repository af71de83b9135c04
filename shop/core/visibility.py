from django.db import models


class Visibility(models.TextChoices):
    """Who may see a social object. Selectors apply it; views never filter by hand."""

    PRIVATE = "private", "Only me"
    FRIENDS = "friends", "Friends"
    LINK = "link", "Anyone with the link"
    PUBLIC = "public", "Everyone"
