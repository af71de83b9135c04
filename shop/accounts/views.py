from allauth.account.internal.flows.email_verification import (
    get_address_for_login,
    send_verification_email_at_login,
)
from allauth.account.stages import EmailVerificationStage, LoginStage, LoginStageController
from allauth.account.views import EmailVerificationSentView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from shop.accounts import selectors, services
from shop.accounts.adapter import RESEND_FLAG
from shop.accounts.forms import ProfileForm
from shop.core.errors import DomainError
from shop.core.forms import form_add_domain_error


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                user = services.profile_update(user=user, **form.cleaned_data)
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                messages.success(
                    request, f"Your profile is saved. Others now see you as {user.public_name}."
                )
                return redirect("person_detail", username=user.username)
    else:
        form = ProfileForm(initial={"display_name": user.display_name, "bio": user.bio})
    return render(request, "accounts/profile_edit.html", {"form": form, "person": user})


# --- the check-your-email page and "send the email again" -------------------------------------
#
# With link verification allauth has no resend button of its own (its "resend" is for codes);
# it sends a new link when the person logs in with an unconfirmed address. A sign-up or log-in
# that waits for its link is kept in the session as allauth's email-verification login stage
# (for 15 minutes, ACCOUNT_LOGIN_TIMEOUT); "send again" resends for that stage, through the
# function allauth itself calls at log-in, so the same rules hold: the "confirm_email" rate
# limit (ACCOUNT_RATE_LIMITS, one email per address every 3 minutes) and, for a sign-up with
# an address another account has, the "someone has this address" email instead of a link
# (allauth's enumeration prevention: the page cannot tell the two apart).


def _verification_stage(request) -> LoginStage | None:
    """Return the sign-up or log-in of this session that waits for its email link, if any."""
    return LoginStageController.enter(request, EmailVerificationStage.key)


def _verification_email(stage: LoginStage) -> str:
    """Return the address the waiting sign-up or log-in was (or will be) sent its link to."""
    if stage.login.email:
        return stage.login.email
    address = get_address_for_login(stage.login) if stage.login.user else None
    return address.email if address else ""


class VerificationSentView(EmailVerificationSentView):
    """allauth's check-your-email page, told which address the link went to, so that it can
    name it and offer to send the email again."""

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        stage = _verification_stage(self.request)
        context["verification_email"] = _verification_email(stage) if stage else ""
        return context


verification_sent = VerificationSentView.as_view()


@require_POST
def verification_email_resend(request):
    stage = _verification_stage(request)
    if stage is None:
        messages.info(
            request,
            "Log in with your email and password: if your address is not confirmed yet, "
            "we send you a new link.",
        )
        return redirect("account_login")
    email = _verification_email(stage)
    user = stage.login.user
    if user is not None and selectors.email_is_verified(user=user, email=email):
        messages.success(request, f"{email} is already confirmed: you can log in.")
        return redirect("account_login")
    # allauth adds its "email_confirmation_sent" message when it sends (worded for a resend).
    setattr(request, RESEND_FLAG, True)
    if not send_verification_email_at_login(request, stage.login):
        messages.warning(
            request,
            f"We sent a link to {email} a moment ago. Give it a few minutes (and look in your "
            "spam folder); you can ask for another one after that.",
        )
    return redirect("account_email_verification_sent")
