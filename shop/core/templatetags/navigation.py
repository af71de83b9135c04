from django import template
from django.utils.safestring import SafeString

from shop.core.icons import icon_svg
from shop.core.navigation import NavMenu, nav_menu_for

register = template.Library()


@register.simple_tag
def icon(name: str, size: int = 20, css_class: str = "") -> SafeString:
    """Draw one of shop.core.icons.ICONS: {% icon "bell" %}, {% icon "bag" size=24 %}."""
    return icon_svg(name, size=size, css_class=css_class)


@register.simple_tag
def nav_menu(user) -> NavMenu:
    """Return the registered navigation `user` sees: {% nav_menu user as nav %}."""
    return nav_menu_for(viewer=user)
