"""Admin pieces every app shares: who sees a model, read-only rows, money typed in euros, and
actions that ask for input on a page of their own (ship with a tracking number, refund an
amount)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models
from django.template import engines
from django.template.response import TemplateResponse

from shop.core import outbox
from shop.core.errors import DomainError
from shop.core.models import OutboxMessage
from shop.core.money_fields import money_formfield


class MoneyAdminMixin:
    """Type the model fields named in `money_fields` (integer minor units) in euros.

    Put it before the admin class among the bases; it works for ModelAdmins and inlines whose
    form does not declare those fields itself (declare a MoneyField there instead).
    """

    money_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.money_fields:
            return money_formfield(db_field, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """A model only the operator (an active superuser) sees and edits; merchant staff never."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


class ReadOnlyAdminMixin:
    """Rows to look at: never added, changed or deleted in admin (services change them).

    Every field listed in `fields` is shown read-only, display methods included. Put it first
    among the bases: its answers override those of the admin classes after it.
    """

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        if self.fields:
            return list(self.fields)
        return super().get_readonly_fields(request, obj)


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A read-only table of an object's related rows, without empty rows to fill in."""

    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False


# --- actions that ask for input -------------------------------------------------------------

# Rendered from this string (extending the admin's own base) so the admin needs no template
# folder of its own; one row per selected object, each with its own prefixed form.
_ACTION_PAGE = engines["django"].from_string(
    """{% extends "admin/base_site.html" %}{% load admin_urls %}
{% block title %}{{ title }} | {{ site_title|default:"Django site admin" }}{% endblock %}
{% block breadcrumbs %}{% url opts|admin_urlname:'changelist' as changelist %}
<div class="breadcrumbs"><a href="{% url 'admin:index' %}">Home</a>
&rsaquo; <a href="{{ changelist }}">{{ opts.verbose_name_plural|capfirst }}</a>
&rsaquo; {{ title }}</div>
{% endblock %}
{% block content %}{% url opts|admin_urlname:'changelist' as changelist %}
<p>{{ intro }}</p>
<form method="post">{% csrf_token %}
<table>
<thead><tr><th scope="col">{{ opts.verbose_name|capfirst }}</th>
<th scope="col">{{ hint_label }}</th>
{% for field in first_form %}<th scope="col">{{ field.label_tag }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in rows %}<tr>
<th scope="row">{{ row.label }}
{% if row.sublabel %}<br><small>{{ row.sublabel }}</small>{% endif %}</th>
<td>{{ row.hint }}</td>
{% for field in row.form %}<td>{{ field.errors }}{{ field }}</td>{% endfor %}
</tr>
{% endfor %}
</tbody>
</table>
{% for row in rows %}<input type="hidden" name="{{ checkbox_name }}" value="{{ row.obj.pk }}">
{% endfor %}<input type="hidden" name="action" value="{{ action }}">
<input type="hidden" name="apply" value="1">
<p><input type="submit" value="{{ submit }}">
<a href="{{ changelist }}">Back to the {{ opts.verbose_name_plural }}</a></p>
</form>
{% endblock %}"""
)


@dataclass
class ActionRow:
    """One selected object on an action's page: its form and what the page says of it."""

    obj: models.Model
    form: forms.Form
    label: str
    sublabel: str = ""
    hint: str = ""
    # What applying the action to this object needs besides the form (e.g. its merchants).
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ActionPage:
    """The words of an action's page."""

    action: str
    title: str
    intro: str
    hint_label: str
    submit: str


class ActionPageMixin:
    """For ModelAdmin actions that ask for input per selected object before applying.

    The first request (from the change list) shows a page with a form per object; its submit
    (with `apply`) validates every form, shows the page again while any is invalid, and
    otherwise applies the action object by object, each success or DomainError reported.
    """

    def action_rows(
        self,
        request,
        objects,
        *,
        form_class: type[forms.Form],
        describe: Callable[[models.Model], dict],
    ) -> list[ActionRow]:
        """Return a row per object, its form bound to the page's submit (if this is one)."""
        data = request.POST if "apply" in request.POST else None
        prefix = self.model._meta.model_name
        return [
            ActionRow(obj=obj, form=form_class(data, prefix=f"{prefix}-{obj.pk}"), **describe(obj))
            for obj in objects
        ]

    def action_page_or_none(self, request, *, page: ActionPage, rows: list[ActionRow]):
        """Return the action's page while it still needs (valid) input; None once it has it."""
        if "apply" in request.POST and all(row.form.is_valid() for row in rows):
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": page.title,
            "intro": page.intro,
            "hint_label": page.hint_label,
            "submit": page.submit,
            "action": page.action,
            "rows": rows,
            "first_form": rows[0].form if rows else None,
            "checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, _ACTION_PAGE, context)

    def action_step(self, request, *, label: str, step: Callable[[], str]) -> None:
        """Run one step of an action; report its success message, or its DomainError's."""
        try:
            message = step()
        except DomainError as exc:
            self.message_user(request, f"{label}: {exc.message}", messages.ERROR)
        else:
            self.message_user(request, message, messages.SUCCESS)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, SuperuserOnlyAdmin):
    """The outbox, for the operator: what is still owed, why it failed, and "deliver now".

    Rows are written and changed only by shop.core.outbox, never by hand.
    """

    list_display = ["id", "topic", "created_at", "sent_at", "attempts", "available_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "topic"]
    search_fields = ["topic"]
    readonly_fields = [
        "topic",
        "payload",
        "created_at",
        "sent_at",
        "attempts",
        "available_at",
        "last_error",
    ]
    actions = ["deliver_now"]

    @admin.action(description="Deliver the selected unsent messages now")
    def deliver_now(self, request, queryset) -> None:
        message_ids = queryset.filter(sent_at__isnull=True).values_list("pk", flat=True)
        delivered = sum(outbox.outbox_deliver(message_id=pk) for pk in message_ids)
        self.message_user(request, f"{delivered} of {len(message_ids)} delivered.")
