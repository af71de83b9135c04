"""Who is behind an HTTP request, for the views and APIs of every app."""

from django.http import HttpRequest


def request_user(request: HttpRequest):
    """Return the signed-in user making `request`, or None for a visitor.

    Services and selectors take a user or None, never a request nor an AnonymousUser.
    """
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def request_link_token(request: HttpRequest, *, form: bool = True) -> str:
    """Return the link token the request carries (?token=, or a form's hidden `token` field
    when `form`), stripped; "" when there is none. See shop.core.tokens."""
    token = request.GET.get("token") or (request.POST.get("token") if form else "") or ""
    return token.strip() if isinstance(token, str) else ""
