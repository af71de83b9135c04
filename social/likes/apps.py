from django.apps import AppConfig


class LikesConfig(AppConfig):
    """Likes, shares, "ask my friends" and the social proof shown on products."""

    name = "social.likes"
    label = "likes"
    verbose_name = "Likes, shares and asks"
