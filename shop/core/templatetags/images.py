from django import template
from django.templatetags.static import static

register = template.Library()

PLACEHOLDER = "img/placeholder.svg"


@register.filter
def image_src(image) -> str:
    """Return the URL to show a product image small: {{ line.image|image_src }}.

    Its thumbnail, else the original (a thumbnail not made yet), else the placeholder picture
    for a product without photos.
    """
    if not image:
        return static(PLACEHOLDER)
    thumbnail = getattr(image, "thumbnail", None)
    return thumbnail.url if thumbnail else image.image.url
