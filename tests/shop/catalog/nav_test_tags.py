"""A template tag for tests of the header's account nav: an unread count kept off the user row.

It stands for a social app's count read without a query (from its own cache): the kind of
nav input that must call nav_cache.account_nav_invalidate when it changes.
"""

from django import template

register = template.Library()

UNREAD: dict[int, int] = {}


@register.simple_tag
def unread(user) -> int:
    return UNREAD.get(user.pk, 0)
