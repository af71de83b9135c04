"""The API's JSON body parser (DEFAULT_PARSER_CLASSES).

Its own module: DRF reads DEFAULT_PARSER_CLASSES while rest_framework.views is imported, which
shop.core.api itself imports.
"""

from rest_framework import exceptions, parsers

# No client of ours nests deeper than a few levels; a deeper body is an attack on the recursion
# of whatever walks it next (the parser itself at ~1000 levels, serializers, the error handler).
JSON_MAX_DEPTH = 32


def json_depth_exceeds(value, *, max_depth: int) -> bool:
    """Return whether lists and dicts in VALUE nest deeper than MAX_DEPTH (walked without
    recursion, so the check itself cannot overflow the stack)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, dict | list):
            continue
        if depth > max_depth:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies nested deeper than JSON_MAX_DEPTH with a 400.

    Python's decoder raises RecursionError near 1000 levels, which DRF does not catch (a 500).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        too_deep = exceptions.ParseError(
            f"The JSON body is nested too deeply (more than {JSON_MAX_DEPTH} levels).",
            code="json_too_deep",
        )
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if json_depth_exceeds(data, max_depth=JSON_MAX_DEPTH):
            raise too_deep
        return data
