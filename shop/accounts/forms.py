from allauth.account import app_settings as allauth_settings
from allauth.account import forms as allauth_forms
from django import forms
from django.conf import settings

from shop.accounts.models import User
from shop.core.forms import VerifiedImageField
from shop.core.images import AVATAR


class PlainLabelsMixin:
    """Give allauth's fields plain, sentence-case labels and drop placeholders.

    A placeholder that repeats the label disappears as soon as one types; the label stays.
    """

    labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.labels:
                field.label = self.labels[name]


# The log-in field's label names what ACCOUNT_LOGIN_METHODS accepts.
LOGIN_LABELS = {
    frozenset({"email", "username"}): "Email or username",
    frozenset({"email"}): "Email",
    frozenset({"username"}): "Username",
}


class LoginForm(PlainLabelsMixin, allauth_forms.LoginForm):
    labels = {"password": "Password", "remember": "Remember me"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        methods = frozenset(allauth_settings.LOGIN_METHODS) & {"email", "username"}
        login.label = LOGIN_LABELS.get(methods, login.label)
        # "username" is the token password managers pair with current-password, whether the
        # person types an email or a username; phones should not capitalise or correct it.
        login.widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )


class SignupForm(PlainLabelsMixin, allauth_forms.SignupForm):
    labels = {"email": "Email", "username": "Username", "password2": "Password again"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["username"].help_text = (
            "Shown as @username and in the address of your public page. "
            "Letters, digits and @ . + - _ only."
        )


class AddEmailForm(PlainLabelsMixin, allauth_forms.AddEmailForm):
    labels = {"email": "New email address"}


class ChangePasswordForm(PlainLabelsMixin, allauth_forms.ChangePasswordForm):
    labels = {
        "oldpassword": "Current password",
        "password1": "New password",
        "password2": "New password again",
    }


class ResetPasswordForm(PlainLabelsMixin, allauth_forms.ResetPasswordForm):
    labels = {"email": "Email"}


class ResetPasswordKeyForm(PlainLabelsMixin, allauth_forms.ResetPasswordKeyForm):
    labels = {"password1": "New password", "password2": "New password again"}


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        max_length=User._meta.get_field("display_name").max_length,
        required=False,
        help_text="How your name is shown to others. Leave it empty to show your username.",
    )
    bio = forms.CharField(
        label="Short bio",
        max_length=User._meta.get_field("bio").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    avatar = VerifiedImageField(profile=AVATAR, label="Avatar", required=False)
    remove_avatar = forms.BooleanField(label="Remove avatar", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        avatar = self.fields["avatar"]
        limit_mb = settings.IMAGE_MAX_BYTES / (1024 * 1024)
        avatar.help_text = (
            f"A JPEG, PNG, WebP or GIF image, up to {limit_mb:g} MB. "
            "It is shown in a circle: keep your face near the middle."
        )
        # static/js/avatar-preview.js says at once when a chosen file is over the limit.
        avatar.widget.attrs["data-max-bytes"] = settings.IMAGE_MAX_BYTES


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you.",
    )
    confirm = forms.BooleanField(
        label="I understand that my account is deleted for good and cannot be brought back.",
        error_messages={"required": "Tick the box to confirm you want your account deleted."},
    )
