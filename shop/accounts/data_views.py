"""/settings/data/ ("download my data") and /settings/delete/ ("delete my account")."""

import os

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from shop.accounts import data_services, selectors
from shop.accounts.forms import AccountDeleteForm
from shop.accounts.models import PersonalDataExport
from shop.core.errors import DomainError
from shop.core.forms import form_add_domain_error
from shop.core.personal_data import personal_data_parts


@login_required
@require_http_methods(["GET", "POST"])
def personal_data_page(request):
    if request.method == "POST":
        try:
            data_services.personal_data_export_request(user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                "We are preparing your data. It takes a few minutes; we email you a link "
                "as soon as it is ready, and it appears below.",
            )
        return redirect("personal_data")
    exports = selectors.personal_data_export_list_for_user(user=request.user)
    now = timezone.now()
    context = {
        "exports": [(export, export.is_downloadable(now=now)) for export in exports],
        "has_pending": any(e.status == PersonalDataExport.Status.PENDING for e in exports),
        "parts": [part.name for part in personal_data_parts()],
        "valid_days": data_services.EXPORT_VALID_FOR.days,
        "per_day": data_services.EXPORTS_PER_DAY,
    }
    return render(request, "accounts/data/personal_data.html", context)


@login_required
@require_GET
def personal_data_download(request, token: str):
    export = selectors.personal_data_export_get_for_owner(user=request.user, token=token)
    if export.is_downloadable(now=timezone.now()):
        return FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=os.path.basename(export.file.name),
            content_type="application/zip",
        )
    if export.status in (PersonalDataExport.Status.READY, PersonalDataExport.Status.EXPIRED):
        context = {"valid_days": data_services.EXPORT_VALID_FOR.days}
        return render(request, "accounts/data/export_expired.html", context, status=410)
    raise Http404("This data export is not ready.")


@login_required
@require_http_methods(["GET", "POST"])
def account_delete_page(request):
    user = request.user
    is_staff = selectors.account_is_staff(user=user)
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not is_staff and form.is_valid():
        try:
            data_services.account_delete(user=user, password=form.cleaned_data["password"])
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            logout(request)
            messages.success(
                request,
                "Your account is deleted. We sent a last email to confirm it; "
                "your orders are kept for our accounts, without your name or address.",
            )
            return redirect("/")
    return render(
        request, "accounts/data/account_delete.html", {"form": form, "is_staff": is_staff}
    )
