from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app and email notifications, per-kind preferences, one-click unsubscribe."""

    name = "social.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from shop.core.navigation import NavPlace, nav_entry_register
        from shop.core.outbox import TaskDeliverer, outbox_deliverer_register
        from shop.core.personal_data import personal_data_register
        from social.notifications import receivers, services, tasks
        from social.notifications.personal_data import notifications_erase, notifications_export
        from social.notifications.selectors import UNREAD
        from social.notifications.standard_kinds import standard_kinds_register

        standard_kinds_register()
        receivers.connect()
        outbox_deliverer_register(
            prefix="email.notifications.",
            deliverer=TaskDeliverer(tasks={services.EMAIL_TOPIC: tasks.notification_email_send}),
        )
        personal_data_register(
            name="notifications", exporter=notifications_export, eraser=notifications_erase
        )
        nav_entry_register(
            key="notifications",
            label="Notifications",
            url="/notifications/",
            places=[NavPlace.HEADER],
            icon="bell",
            badge=UNREAD,
            badge_label="{count} unread",
            order=10,
        )
        nav_entry_register(
            key="notification-settings",
            label="Notification settings",
            url="/settings/notifications/",
            places=[NavPlace.ACCOUNT],
            icon="bell",
            order=60,
        )
