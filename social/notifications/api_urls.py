from django.urls import re_path

from social.notifications import api

urlpatterns = [
    re_path(r"^notifications/?$", api.NotificationListApi.as_view(), name="api-notifications"),
    re_path(
        r"^notifications/read-all/?$",
        api.NotificationReadAllApi.as_view(),
        name="api-notifications-read-all",
    ),
    re_path(
        r"^notifications/unread-count/?$",
        api.UnreadCountApi.as_view(),
        name="api-notifications-unread-count",
    ),
    re_path(
        r"^notifications/(?P<notification_id>[^/]+)/read/?$",
        api.NotificationReadApi.as_view(),
        name="api-notification-read",
    ),
    re_path(
        r"^settings/notifications/?$",
        api.NotificationPreferencesApi.as_view(),
        name="api-settings-notifications",
    ),
]
