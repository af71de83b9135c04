"""Content negotiation (REST_FRAMEWORK's DEFAULT_CONTENT_NEGOTIATION_CLASS): DRF's own, its
answer remembered for each Accept header, format and set of renderers.

DRF parses the Accept header and each renderer's media type on every request (~50 us, a few
per cent of a small signed-in API request). Its choice depends on nothing else: the header,
the `?format=` asked (or the URL's suffix) and the renderers' classes (whose media types are
constants). So the first request with a given combination negotiates as DRF does and the
next ones take its answer. Refusals (406, an unknown format's 404) are raised every time, not
remembered. Accept headers are the client's: at most _MAX answers are kept, then no more.
"""

from rest_framework.negotiation import DefaultContentNegotiation

_MAX = 256
# (Accept, format, renderer classes) -> (index of the renderer chosen, media type)
_chosen: dict[tuple, tuple[int, str]] = {}


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        asked = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        key = (
            request.META.get("HTTP_ACCEPT", "*/*"),
            asked,
            tuple(type(renderer) for renderer in renderers),
        )
        chosen = _chosen.get(key)
        if chosen is None:
            renderer, media_type = super().select_renderer(request, renderers, format_suffix)
            chosen = (next(i for i, r in enumerate(renderers) if r is renderer), media_type)
            if len(_chosen) < _MAX:
                _chosen[key] = chosen
        return renderers[chosen[0]], chosen[1]
