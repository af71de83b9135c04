"""Every API error has one shape: {"errors": {field: [{"message": ..., "code": ...}]}}."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import authentication, permissions, serializers
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from shop.core.errors import NON_FIELD, DomainError

factory = APIRequestFactory()


class QuantityInputSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1)


class ErrorRaisingApi(APIView):
    """Stands in for an endpoint whose service or input check fails in a given way."""

    permission_classes = [permissions.AllowAny]
    failure = ""

    def post(self, request):
        if self.failure == "domain":
            raise DomainError("Only 2 left in stock.", code="out_of_stock", field="quantity")
        if self.failure == "domain_no_field":
            raise DomainError("Your cart is empty.", code="empty_cart")
        if self.failure == "django_validation":
            raise DjangoValidationError({"email": ["Enter a valid email address."]})
        if self.failure == "not_found":
            raise Http404("No such order.")
        if self.failure == "permission_denied":
            raise PermissionDenied
        serializer = QuantityInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


class TokenOnlyApi(APIView):
    authentication_classes = [authentication.TokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]

    def get(self, request):
        return Response({})


class DefaultAuthApi(APIView):
    """The project's default authentication (session first, then token)."""

    permission_classes = [permissions.IsAuthenticated]

    def get(self, request):
        return Response({})


def _post(failure: str, data: dict | None = None):
    request = factory.post("/x", data or {}, format="json")
    response = ErrorRaisingApi.as_view(failure=failure)(request)
    response.render()
    return response


def test_domain_error_is_400_with_its_field_and_code():
    response = _post("domain")

    assert response.status_code == 400
    assert response.data == {
        "errors": {"quantity": [{"message": "Only 2 left in stock.", "code": "out_of_stock"}]}
    }


def test_domain_error_without_field_is_a_non_field_error():
    response = _post("domain_no_field")

    assert response.status_code == 400
    assert response.data["errors"][NON_FIELD][0]["code"] == "empty_cart"


def test_serializer_validation_error_has_the_same_shape():
    response = _post("serializer", {"quantity": 0})

    assert response.status_code == 400
    (error,) = response.data["errors"]["quantity"]
    assert error["code"] == "min_value"
    assert error["message"] == "Ensure this value is greater than or equal to 1."


def test_missing_field_is_named_with_code_required():
    response = _post("serializer", {})

    assert response.status_code == 400
    assert response.data["errors"]["quantity"][0]["code"] == "required"


def test_django_validation_error_has_the_same_shape():
    response = _post("django_validation")

    assert response.status_code == 400
    assert response.data["errors"]["email"][0]["message"] == "Enter a valid email address."


def test_http404_is_404_under_detail():
    response = _post("not_found")

    assert response.status_code == 404
    assert response.data == {"errors": {"detail": [{"message": "Not found.", "code": "not_found"}]}}


def test_permission_denied_is_403_under_detail():
    response = _post("permission_denied")

    assert response.status_code == 403
    assert response.data["errors"]["detail"][0]["code"] == "permission_denied"


def test_missing_token_is_401_under_detail():
    response = TokenOnlyApi.as_view()(factory.get("/x"))
    response.render()

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.data["errors"]["detail"][0]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_wrong_token_is_401_under_detail():
    request = factory.get("/x", HTTP_AUTHORIZATION="Token not-a-real-token")

    response = TokenOnlyApi.as_view()(request)
    response.render()

    assert response.status_code == 401
    assert response.data["errors"]["detail"][0]["code"] == "authentication_failed"


def test_anonymous_visitor_is_403_under_detail_with_session_auth_first():
    # Session authentication comes first and sends no WWW-Authenticate challenge, so DRF
    # answers 403 rather than 401 for a visitor who is not signed in.
    response = DefaultAuthApi.as_view()(factory.get("/x"))
    response.render()

    assert response.status_code == 403
    assert response.data["errors"]["detail"][0]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_unknown_product_is_404_json_through_the_whole_stack(client):
    response = client.get("/api/v1/products/no-such-product/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "errors": {"detail": [{"message": "Not found.", "code": "not_found"}]}
    }


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5"])
def test_page_that_is_not_a_positive_whole_number_is_400_naming_page(client, page):
    response = client.get(f"/api/v1/products/?page={page}")

    assert response.status_code == 400
    (error,) = response.json()["errors"]["page"]
    assert error["code"] == "invalid"
    assert error["message"]


@pytest.mark.django_db
def test_bad_filter_error_names_the_parameter_with_code_invalid_filter(client):
    response = client.get("/api/v1/products/?min_price=lots")

    assert response.status_code == 400
    message = "Enter a price such as 25 or 19.99."
    assert response.json() == {
        "errors": {"min_price": [{"message": message, "code": "invalid_filter"}]}
    }
