"""Notification pages: /notifications/ (the list, mark all read, open one),
/settings/notifications/ (email per kind), and the one-click unsubscribe link of emails.
Thin: each calls one selector or service."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shop.core.cursors import cursor_parse
from shop.core.errors import DomainError
from shop.core.forms import form_add_domain_error
from social.notifications import selectors, services
from social.notifications.forms import NotificationPreferencesForm
from social.notifications.kinds import notification_kind_get
from social.notifications.unsubscribe import unsubscribe_read


@login_required
@require_GET
def notifications_page(request):
    try:
        cursor = cursor_parse(request.GET.get("before"), field="before")
    except DomainError:
        cursor = None  # a mangled "Older" link shows the newest instead of an error
    page = selectors.notification_list(user=request.user, cursor=cursor)
    context = {
        "items": page.items,
        "next_cursor": page.next_cursor,
        "is_first_page": cursor is None,
        "any_unread": any(item.unread for item in page.items),
    }
    return render(request, "social/notifications/list.html", context)


@login_required
@require_POST
def notifications_read_all(request):
    services.notification_mark_all_read(user=request.user)
    messages.success(request, "All your notifications are marked as read.")
    return redirect("notifications")


@login_required
@require_GET
def notification_open(request, notification_id: int):
    """Mark the notification (and those shown with it) read, and go to what it is about."""
    notification = selectors.notification_get_for_user(
        user=request.user, notification_id=notification_id
    )
    services.notification_mark_read(notification=notification)
    kind = notification_kind_get(notification.kind)
    # ?group=1: the line stood for several alike, which lead to the kind's own page.
    target = notification.url
    if request.GET.get("group") == "1" and kind is not None and kind.group_url:
        target = kind.group_url
    if not target or not url_has_allowed_host_and_scheme(
        target,
        allowed_hosts={request.get_host(), urlsplit(settings.SITE_URL).netloc},
        require_https=request.is_secure(),
    ):
        target = "/notifications/"
    return redirect(target)


@login_required
@require_http_methods(["GET", "POST"])
def preferences_edit(request):
    deliveries = selectors.preferences_get(user=request.user)
    if request.method == "POST":
        form = NotificationPreferencesForm(request.POST, deliveries=deliveries)
        if form.is_valid():
            try:
                services.preferences_update(user=request.user, deliveries=form.cleaned_data)
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                messages.success(request, "Your notification settings are saved.")
                return redirect("notification_settings")
    else:
        form = NotificationPreferencesForm(deliveries=deliveries)
    return render(request, "social/notifications/settings.html", {"form": form})


# Mail clients POST the one-click unsubscribe (RFC 8058) without a CSRF token or a session:
# the signed token is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET: ask to confirm; POST: turn off the email of the token's kinds. No login needed."""
    found = unsubscribe_read(token)
    if found is None:
        return render(request, "social/notifications/unsubscribe_invalid.html", status=400)
    kinds = [notification_kind_get(key) for key in found.kinds]
    labels = [kind.label for kind in kinds if kind is not None]
    if request.method == "POST":
        services.notifications_unsubscribe(user_id=found.user_id, kinds=found.kinds)
        return render(request, "social/notifications/unsubscribe_done.html", {"labels": labels})
    return render(
        request, "social/notifications/unsubscribe.html", {"labels": labels, "token": token}
    )
