from django import template
from django.utils.safestring import SafeString

from shop.core.icons import icon_svg
from shop.core.navigation import NavMenu, nav_counts_read_for, nav_menu_for

register = template.Library()


@register.simple_tag
def icon(name: str, size: int = 20, css_class: str = "") -> SafeString:
    """Draw one of shop.core.icons.ICONS: {% icon "bell" %}, {% icon "bag" size=24 %}."""
    return icon_svg(name, size=size, css_class=css_class)


@register.simple_tag(takes_context=True)
def nav_menu(context, user) -> NavMenu:
    """Return the registered navigation `user` sees: {% nav_menu user as nav %}.

    The page cache passes the menu it has already read for this user (its badges are in the
    cached nav's key, shop.catalog.nav_cache.account_nav_render) as `account_nav_menu`: the
    nav then shows exactly those counts, each badge read once per page.
    """
    menu = context.get("account_nav_menu")
    if menu is not None:
        return menu
    counts_read = nav_counts_read_for(context.get("request"), user)
    return nav_menu_for(viewer=user, counts_read=counts_read)
