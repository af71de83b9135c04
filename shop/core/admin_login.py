"""The admin's log-in form (AgoraAdminSite.login_form)."""

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from django.contrib.admin.forms import AdminAuthenticationForm


class AdminLoginForm(AdminAuthenticationForm):
    """An email or a username, and the password, as the shop's own log-in takes them.

    allauth's authentication backend (the one that checks passwords, shop.accounts.backends)
    reads the "username" it is given as an email, then as a username, when
    ACCOUNT_LOGIN_METHODS holds "email". The label
    says which, as the shop's log-in does (shop.accounts.forms.LOGIN_LABELS).

    The password is checked through allauth's adapter, as the shop's log-in checks it, so the
    same failed-log-in limits (ACCOUNT_RATE_LIMITS["login_failed"]: per address and per
    account) hold on the admin's door: Django's own form would let anyone guess without end.
    """

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "Please enter the correct email or username and password for a staff "
        "account. Note that both fields may be case-sensitive.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        by_email = "email" in allauth_settings.LOGIN_METHODS
        username.label = "Email or username" if by_email else "Username"
        username.max_length = max(username.max_length or 0, 254)  # an email may be longer
        username.widget.attrs.update(
            {"maxlength": str(username.max_length), "autocapitalize": "none", "spellcheck": "false"}
        )

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            # Raises the "too many attempts" error once the limit is reached.
            self.user_cache = get_adapter(self.request).authenticate(
                self.request, username=username, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
