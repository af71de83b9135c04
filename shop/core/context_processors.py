from django.conf import settings


def site(request):
    return {"STORE_NAME": settings.STORE_NAME, "SITE_URL": settings.SITE_URL}
