from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from shop.accounts import selectors, services
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
                services.profile_update(user=user, **form.cleaned_data)
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                messages.success(request, "Your profile has been saved.")
                return redirect("person_detail", username=user.username)
    else:
        form = ProfileForm(initial={"display_name": user.display_name, "bio": user.bio})
    return render(request, "accounts/profile_edit.html", {"form": form, "person": user})


@require_GET
def person_detail(request, username: str):
    person = selectors.user_get_by_username(username=username)
    is_own = request.user.is_authenticated and request.user.pk == person.pk
    return render(request, "accounts/person_detail.html", {"person": person, "is_own": is_own})
