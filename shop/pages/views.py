from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from shop.pages import selectors


@require_safe
def store_page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # The operator previews a draft where it will appear; shoppers get a 404 until it is published.
    page = selectors.store_page_get(slug=slug, include_drafts=request.user.is_superuser)
    return render(request, "pages/store_page.html", {"page": page})
