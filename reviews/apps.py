from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Product reviews: ratings, photos, helpful votes, reports, moderation, replies,
    invitations to review."""

    name = "reviews"
    label = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        from reviews.kinds import review_kinds_register
        from reviews.personal_data import reviews_erase, reviews_export
        from shop.core.personal_data import personal_data_register

        review_kinds_register()
        personal_data_register(name="reviews", exporter=reviews_export, eraser=reviews_erase)
