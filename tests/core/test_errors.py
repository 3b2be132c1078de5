"""One ApplicationError, one DRF handler, one template partial."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from rest_framework.test import APIClient

from accounts.models import Role
from core.errors import ApplicationError, ErrorKind
from core.exceptions import api_exception_handler
from core.middleware import ApplicationErrorMiddleware
from tests.factories import user_with_role


@pytest.mark.parametrize(
    ("kind", "status"),
    [(ErrorKind.INVALID, 400), (ErrorKind.FORBIDDEN, 403), (ErrorKind.NOT_FOUND, 404), (ErrorKind.CONFLICT, 409)],
)
def test_api_handler_maps_each_kind_to_its_status_and_envelope(kind, status):
    exc = ApplicationError("rate_out_of_range", "A slide takes 5-10 minutes.", field="rate_minutes", kind=kind)
    response = api_exception_handler(exc, {})
    assert response is not None
    assert response.status_code == status
    assert response.data == {
        "error": {"code": "rate_out_of_range", "message": "A slide takes 5-10 minutes.", "field": "rate_minutes"}
    }


@pytest.mark.parametrize("kind", list(ErrorKind))
def test_page_shows_the_error_through_the_partial_with_its_status(kind, rf: RequestFactory, db):
    middleware = ApplicationErrorMiddleware(lambda request: HttpResponse())
    request = rf.get("/proposals/1/")
    request.user = user_with_role(Role.LEARNER)
    exc = ApplicationError("proposal_not_ready", "R-AS-1 weights must sum to 100.", field="weight", kind=kind)
    response = middleware.process_exception(request, exc)
    assert response is not None and response.status_code == kind.value
    body = response.content.decode()
    assert 'data-error-code="proposal_not_ready"' in body
    assert "R-AS-1 weights must sum to 100." in body
    assert "weight" in body
    assert "<html" in body  # a whole page


def test_htmx_request_gets_only_the_partial(rf, db):
    middleware = ApplicationErrorMiddleware(lambda request: HttpResponse())
    request = rf.get("/proposals/1/", HTTP_HX_REQUEST="true")
    request.user = user_with_role(Role.LEARNER)
    response = middleware.process_exception(request, ApplicationError("x", "Nope."))
    assert response.status_code == 400
    assert "<html" not in response.content.decode()
    assert 'data-error-code="x"' in response.content.decode()


def test_api_errors_are_left_to_the_api_handler(rf):
    middleware = ApplicationErrorMiddleware(lambda request: HttpResponse())
    assert middleware.process_exception(rf.get("/api/v1/x/"), ApplicationError("x", "Nope.")) is None


@pytest.mark.django_db
def test_drf_validation_error_uses_the_same_envelope_naming_the_field():
    client = APIClient()
    client.force_authenticate(user_with_role(Role.CFLEX_ADMIN))
    response = client.get("/api/v1/policy/in-force/", {"on": "2026-13-45"})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "on"
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.django_db
def test_application_error_from_a_service_reaches_the_api_as_404():
    client = APIClient()
    client.force_authenticate(user_with_role(Role.CFLEX_ADMIN))
    response = client.get("/api/v1/policy/in-force/", {"on": "1999-01-01"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "policy_missing"


@pytest.mark.django_db
def test_unauthenticated_api_call_is_403_in_the_envelope():
    response = APIClient().get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_bad_later_list_item_keeps_its_path():
    from rest_framework import serializers

    class Line(serializers.Serializer):
        quantity = serializers.IntegerField()

    class Unit(serializers.Serializer):
        lines = Line(many=True)

    data = Unit(data={"lines": [{"quantity": 1}, {"quantity": 2}, {"quantity": "x"}]})
    assert not data.is_valid()
    response = api_exception_handler(serializers.ValidationError(data.errors), {})
    assert response.status_code == 400
    assert response.data["error"]["field"] == "lines[2].quantity"
