"""The shop's line icons, drawn inline (no icon font, no request): {% icon "bell" %}.

Each is the inside of a 24×24 SVG stroked in the text colour, so an icon takes the colour of
its link and its hover and focus states. Icons are decoration: the link or button that holds
one carries its name in text (visible, or visually hidden).
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

ICONS: dict[str, str] = {
    "menu": '<path d="M4 6h16M4 12h16M4 18h16"/>',
    "close": '<path d="M6 6l12 12M18 6 6 18"/>',
    "chevron-down": '<path d="m6 9 6 6 6-6"/>',
    "search": '<circle cx="11" cy="11" r="7"/><path d="m20 20-4-4"/>',
    "bag": '<path d="M5 8h14l-1 12H6L5 8z"/><path d="M9 8V7a3 3 0 0 1 6 0v1"/>',
    "bell": ('<path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15L6 16z"/><path d="M10 21h4"/>'),
    "feed": ('<rect x="4" y="4" width="16" height="16" rx="2"/><path d="M8 9h8M8 13h8M8 17h5"/>'),
    "friends": (
        '<circle cx="9" cy="8" r="3.5"/><path d="M3 20a6 6 0 0 1 12 0"/>'
        '<circle cx="17" cy="9" r="2.5"/><path d="M16.5 14.5A5 5 0 0 1 21 19.5"/>'
    ),
    "heart": (
        '<path d="M12 20s-7.5-4.6-7.5-10.2A4.3 4.3 0 0 1 12 7.2a4.3 4.3 0 0 1 7.5 2.6'
        'C19.5 15.4 12 20 12 20z"/>'
    ),
    "gift": (
        '<rect x="4" y="11" width="16" height="9" rx="1"/>'
        '<rect x="3" y="7" width="18" height="4" rx="1"/>'
        '<path d="M12 7v13M12 7C10.5 4 7 3.6 7 5.6 7 7 9.5 7 12 7z'
        'm0 0c1.5-3 5-3.4 5-1.4C17 7 14.5 7 12 7z"/>'
    ),
    "user": '<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>',
    "package": (
        '<path d="M3 7.5 12 3l9 4.5v9L12 21l-9-4.5v-9z"/><path d="m3 7.5 9 4.5 9-4.5M12 12v9"/>'
    ),
    "settings": (
        '<path d="M4 7h9M17 7h3M4 17h3M11 17h9"/>'
        '<circle cx="15" cy="7" r="2"/><circle cx="9" cy="17" r="2"/>'
    ),
    "lock": '<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>',
    "shield": '<path d="M12 3 20 6v6c0 4.5-3.4 8-8 9-4.6-1-8-4.5-8-9V6l8-3z"/>',
    "logout": (
        '<path d="M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3"/><path d="m10 17-5-5 5-5M5 12h11"/>'
    ),
    "grid": (
        '<rect x="4" y="4" width="7" height="7" rx="1"/>'
        '<rect x="13" y="4" width="7" height="7" rx="1"/>'
        '<rect x="4" y="13" width="7" height="7" rx="1"/>'
        '<rect x="13" y="13" width="7" height="7" rx="1"/>'
    ),
}


def icon_svg(name: str, *, size: int = 20, css_class: str = "") -> SafeString:
    """Return icon `name` as an inline SVG hidden from assistive technology."""
    return format_html(
        '<svg class="icon{}" width="{}" height="{}" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" '
        'aria-hidden="true" focusable="false">{}</svg>',
        f" {css_class}" if css_class else "",
        size,
        size,
        mark_safe(ICONS[name]),
    )
