"""What every API shares: pagination and the one JSON error shape (see also shop.core.parsers).

Errors: 4xx {"errors": {field: [{"message": ..., "code": ...}]}}.
"""

import json
import math

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.http import Http404, HttpResponse
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from shop.core.errors import NON_FIELD, DomainError, RateLimitError
from shop.core.images import ImageProfile, image_verify


class ErrorItemSerializer(serializers.Serializer):
    message = serializers.CharField()
    code = serializers.CharField()


class ErrorResponseSerializer(serializers.Serializer):
    """The one error body every endpoint answers with (documented in the schema)."""

    errors = serializers.DictField(child=ErrorItemSerializer(many=True))


class VerifiedImageUploadField(serializers.FileField):
    """An uploaded file whose validated value is a VerifiedImage (checked and re-encoded);
    the API twin of shop.core.forms.VerifiedImageField, limited by its use (`profile`)."""

    def __init__(self, *, profile: ImageProfile, **kwargs):
        self.profile = profile
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        upload = super().to_internal_value(data)
        try:
            return image_verify(upload, profile=self.profile, field=self.field_name)
        except DomainError as exc:
            raise serializers.ValidationError(exc.message, code=exc.code) from None


class StandardPagination(PageNumberPagination):
    page_size = 24
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param) or 1
        try:
            number = int(raw)
        except (TypeError, ValueError):
            raise exceptions.ValidationError(
                {"page": ["A page number must be a whole number."]}
            ) from None
        if number < 1:
            raise exceptions.ValidationError({"page": ["A page number must be 1 or more."]})
        return number


def _detail_to_errors(detail, field=NON_FIELD) -> dict[str, list[dict[str, str]]]:
    if isinstance(detail, dict):
        errors: dict[str, list[dict[str, str]]] = {}
        for key, value in detail.items():
            # A list field's errors are keyed by the item's position: they are the field's.
            name_of = field if isinstance(key, int) and field != NON_FIELD else str(key)
            for name, items in _detail_to_errors(value, field=name_of).items():
                errors.setdefault(name, []).extend(items)
        return errors
    if isinstance(detail, list):
        errors = {}
        for item in detail:
            for name, items in _detail_to_errors(item, field=field).items():
                errors.setdefault(name, []).extend(items)
        return errors
    code = getattr(detail, "code", "invalid")
    return {field: [{"message": str(detail), "code": str(code)}]}


def exception_handler(exc, context):
    if isinstance(exc, RateLimitError):
        response = Response(
            {"errors": exc.as_error_dict()}, status=status.HTTP_429_TOO_MANY_REQUESTS
        )
        if exc.retry_after:
            response["Retry-After"] = str(max(1, math.ceil(exc.retry_after)))
        return response
    if isinstance(exc, DomainError):
        return Response({"errors": exc.as_error_dict()}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        return request_too_large_response()
    elif isinstance(exc, SuspiciousOperation):  # too many fields or files, a malformed body
        exc = exceptions.ParseError(str(exc) or "The request body is not acceptable.")
    elif isinstance(exc, exceptions.Throttled):
        exc = _throttled_plainly(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    field = "detail" if not isinstance(exc, exceptions.ValidationError) else NON_FIELD
    response.data = {"errors": _detail_to_errors(exc.detail, field=field)}
    return response


def _throttled_plainly(exc: exceptions.Throttled) -> exceptions.Throttled:
    """Return EXC with a plain message; its wait still becomes the Retry-After header."""
    seconds = math.ceil(exc.wait) if exc.wait else None
    message = "Too many requests: please wait a moment and try again."
    if seconds:
        unit = "second" if seconds == 1 else "seconds"
        message = f"Too many requests: please try again in {seconds} {unit}."
    plain = exceptions.Throttled(detail=message)
    plain.wait = exc.wait
    return plain


def request_too_large_response() -> Response:
    """Return the 413 JSON error for a body over DATA_UPLOAD_MAX_MEMORY_SIZE."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    message = f"The request body is too large; the limit is {limit // 1024} KB."
    return Response(
        {"errors": {"detail": [{"message": message, "code": "request_too_large"}]}},
        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    )


def json_render(data) -> bytes:
    """DATA as every JSON answer of the API is rendered (to cache as bytes, sent as is)."""
    return JSONRenderer().render(data)


def json_bytes_response(request, body: bytes):
    """Answer REQUEST with BODY, JSON that json_render made (cached), without rendering it
    again; a client that negotiated another renderer (the browsable API, with DEBUG on) gets
    the data rendered as usual."""
    if not isinstance(request.accepted_renderer, JSONRenderer):
        return Response(json.loads(body))
    return HttpResponse(body, content_type="application/json")
