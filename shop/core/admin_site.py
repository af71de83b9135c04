"""The project's admin site: Django's, with a "view on site" redirect that checks access.

Django's /admin/r/<content type>/<pk>/ redirects any staff member to any object's page on the
site, whatever the admin shows them: merchant staff reached other merchants' orders through it.
Ours first asks the object's ModelAdmin for the object, through its get_queryset (which keeps
merchant staff to their merchants' rows) and its view permission; what the admin would not show
is a 404. Objects of models without an admin of their own (inline rows) are for operators only.

Its log-in takes an email or a username, as the shop's does: allauth's authentication backend
(settings.AUTHENTICATION_BACKENDS, ACCOUNT_LOGIN_METHODS) reads the admin's "username" as
either, so the label says so. Its index groups apps into sections: allauth's email addresses,
Django's groups and the API's tokens sit in our Accounts section rather than three of their
own (two of them also called "Accounts").

INSTALLED_APPS names AgoraAdminConfig instead of django.contrib.admin, so admin.site is this
site and every app's admin.py registers with it as before.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


class AgoraAdminConfig(AdminConfig):
    default_site = "shop.core.admin_site.AgoraAdminSite"


# Apps whose models the index lists under another app's section: app label -> section's label.
APP_SECTIONS = {
    "account": "accounts",  # allauth's email addresses (verbose name "Accounts" too)
    "auth": "accounts",  # groups
    "authtoken": "accounts",  # the API's tokens
}


class AgoraAdminSite(admin.AdminSite):
    @property
    def login_form(self) -> type:
        """The log-in form: "Email or username" (see the module's docstring)."""
        # Imported when first used: this module is loaded with the app registry
        # (AgoraAdminConfig), before the auth models that the admin's forms import exist.
        from shop.core.admin_login import AdminLoginForm

        return AdminLoginForm

    def _build_app_dict(self, request, label=None) -> dict:
        """Return the index's sections, apps of APP_SECTIONS merged into their section.

        With `label` (an app's own page), return the section that app is shown in, so
        /admin/account/ (the breadcrumbs of an email address) shows the Accounts section.
        """
        apps = super()._build_app_dict(request)

        def section_of(app_label: str) -> str:
            section = APP_SECTIONS.get(app_label, app_label)
            return section if section in apps else app_label  # a section this user sees

        sections = {
            app_label: {**app, "models": list(app["models"])}
            for app_label, app in apps.items()
            if section_of(app_label) == app_label
        }
        for app_label, app in apps.items():
            if section_of(app_label) != app_label:
                sections[section_of(app_label)]["models"].extend(app["models"])
        if label is None:
            return sections
        found = sections.get(section_of(label))
        return {found["app_label"]: found} if found else {}

    def get_urls(self) -> list:
        urls = [
            url
            for url in super().get_urls()
            if not (isinstance(url, URLPattern) and url.name == "view_on_site")
        ]
        view_on_site = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [view_on_site, *urls]

    def view_on_site(
        self, request: HttpRequest, content_type_id: int, object_id: str
    ) -> HttpResponse:
        """Redirect to the object's page on the site if this admin shows it to the user."""
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            raise Http404("No such object.") from None
        model_admin = self._registry.get(model)
        if model_admin is None:
            if not (request.user.is_active and request.user.is_superuser):
                raise Http404("No such object.")
        else:
            obj = model_admin.get_object(request, unquote(object_id))
            if obj is None or not model_admin.has_view_or_change_permission(request, obj):
                raise Http404("No such object.")
        return shortcut(request, content_type_id, object_id)
