from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Product reviews: ratings, photos, helpful votes, reports, moderation, replies,
    invitations to review."""

    name = "reviews"
    label = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        from reviews import invitations, tasks
        from reviews.feed_cards import review_feed_extra
        from reviews.kinds import review_kinds_register
        from reviews.personal_data import reviews_erase, reviews_export
        from reviews.sections import product_reviews_section
        from shop.catalog.product_sections import product_section_register
        from shop.core.outbox import TaskDeliverer, outbox_deliverer_register
        from shop.core.personal_data import personal_data_register
        from social.feed.selectors import feed_entry_extra_register

        review_kinds_register()
        product_section_register(product_reviews_section)
        outbox_deliverer_register(
            prefix="reviews.",
            deliverer=TaskDeliverer(tasks={invitations.EMAIL_TOPIC: tasks.review_invitation_email}),
        )
        feed_entry_extra_register(verb="review", extra=review_feed_extra)
        personal_data_register(name="reviews", exporter=reviews_export, eraser=reviews_erase)

        # A name, or whether it shows on reviews, changed: the visitors' cached lists too.
        from reviews.list_cache import names_changed
        from shop.accounts.events import profile_changed
        from social.graph.events import privacy_changed

        for signal in (profile_changed, privacy_changed):
            signal.connect(names_changed, weak=False, dispatch_uid=f"reviews.names.{id(signal)}")
