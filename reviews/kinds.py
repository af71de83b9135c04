"""The notifications reviews send: a review hidden or restored by the store (with the
reason), and the merchant's reply."""

from reviews import moderation


def review_kinds_register() -> None:
    from social.notifications.kinds import NotificationKind, notification_kind_register

    notification_kind_register(
        NotificationKind(
            key=moderation.HIDDEN_KIND,
            label="The store hides one of my reviews",
            text="Your review of {product} was hidden: {reason}",
            order=80,
        )
    )
    notification_kind_register(
        NotificationKind(
            key=moderation.RESTORED_KIND,
            label="The store shows one of my reviews again",
            text="Your review of {product} is shown again: {reason}",
            order=81,
        )
    )
    notification_kind_register(
        NotificationKind(
            key=moderation.REPLIED_KIND,
            label="A merchant replies to my review",
            text="The merchant replied to your review of {product}",
            order=82,
        )
    )
