from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    """A fixed, tiny response through the full middleware stack (liveness + bench baseline)."""
    return HttpResponse("ok", content_type="text/plain")
