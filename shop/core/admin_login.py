"""The admin's log-in form (AgoraAdminSite.login_form)."""

from django.contrib.admin.forms import AdminAuthenticationForm


class AdminLoginForm(AdminAuthenticationForm):
    """An email or a username, and the password, as the shop's own log-in takes them.

    Both work because allauth's authentication backend reads the "username" it is given as an
    email first, then as a username (ACCOUNT_LOGIN_METHODS = {"email", "username"}).
    """

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "Please enter the correct email or username and password for a staff "
        "account. Note that both fields may be case-sensitive.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = "Email or username"
        username.max_length = max(username.max_length or 0, 254)  # an email may be longer
        username.widget.attrs.update(
            {"maxlength": str(username.max_length), "autocapitalize": "none"}
        )
