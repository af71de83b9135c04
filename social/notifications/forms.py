"""The notification settings page's form: one choice per registered kind."""

from django import forms

from social.notifications.kinds import notification_kinds
from social.notifications.models import Delivery

CHOICES = [
    (Delivery.IMMEDIATE.value, "Email me at once"),
    (Delivery.DAILY.value, "In a daily digest"),
    (Delivery.OFF.value, "No email"),
]


class NotificationPreferencesForm(forms.Form):
    """A radio group per kind, named by the kind's key (the registry decides which)."""

    def __init__(self, *args, deliveries: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in notification_kinds():
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                choices=CHOICES,
                widget=forms.RadioSelect,
                help_text=kind.help_text,
                initial=(deliveries or {}).get(kind.key, kind.default_delivery),
            )
