"""shop.core.negotiation: DRF's content negotiation, its answers remembered."""

import pytest
from django.http import Http404
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from shop.core import negotiation
from shop.core.negotiation import ContentNegotiation

ASKED = [
    ("/", None),
    ("/", "*/*"),
    ("/", "application/json"),
    ("/", "application/json; indent=4"),
    ("/", "text/html,application/xhtml+xml,*/*;q=0.8"),
    ("/", "text/html"),
    ("/", "image/png"),
    ("/?format=json", None),
    ("/?format=api", "text/html"),
    ("/?format=xml", None),
]


@pytest.fixture(autouse=True)
def _forget(monkeypatch):
    monkeypatch.setattr(negotiation, "_chosen", {})


def _request(url: str, accept: str | None) -> Request:
    headers = {"HTTP_ACCEPT": accept} if accept is not None else {}
    return Request(APIRequestFactory().get(url, **headers))


def _answer(negotiator, url: str, accept: str | None, renderers: list):
    try:
        renderer, media_type = negotiator.select_renderer(_request(url, accept), renderers)
    except (exceptions.NotAcceptable, Http404) as refused:
        return type(refused).__name__
    return type(renderer).__name__, media_type


@pytest.mark.parametrize("classes", [[JSONRenderer], [JSONRenderer, BrowsableAPIRenderer]])
def test_it_answers_as_drf_first_time_and_every_time_after(classes):
    for _ in range(3):
        for url, accept in ASKED:
            ours = _answer(ContentNegotiation(), url, accept, [cls() for cls in classes])
            drf = _answer(DefaultContentNegotiation(), url, accept, [cls() for cls in classes])
            assert ours == drf, (url, accept)


def test_the_renderer_given_is_this_requests_own():
    renderers = [JSONRenderer(), BrowsableAPIRenderer()]
    ContentNegotiation().select_renderer(_request("/", "text/html"), renderers)
    again = [JSONRenderer(), BrowsableAPIRenderer()]

    renderer, _ = ContentNegotiation().select_renderer(_request("/", "text/html"), again)

    assert renderer is again[1]


def test_a_combination_is_negotiated_once_and_a_refusal_every_time(monkeypatch):
    calls = []
    drf = DefaultContentNegotiation.select_renderer

    def counted(self, request, renderers, format_suffix=None):
        calls.append(request.META.get("HTTP_ACCEPT"))
        return drf(self, request, renderers, format_suffix)

    monkeypatch.setattr(DefaultContentNegotiation, "select_renderer", counted)
    for _ in range(3):
        _answer(ContentNegotiation(), "/", "application/json", [JSONRenderer()])
        _answer(ContentNegotiation(), "/", "text/html", [JSONRenderer()])

    assert calls == ["application/json", "text/html", "text/html", "text/html"]


def test_it_keeps_at_most_max_answers(monkeypatch):
    monkeypatch.setattr(negotiation, "_MAX", 2)
    for n in range(5):
        accept = f"application/json; v={n}"
        assert _answer(ContentNegotiation(), "/", accept, [JSONRenderer()])[0] == "JSONRenderer"

    assert len(negotiation._chosen) == 2
