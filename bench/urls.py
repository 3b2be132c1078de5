"""The portal's URLs plus the yardsticks a page is compared with, served by the same server
through the same middleware:

- ``/bench/bare/``: a Django view that does nothing; its throughput is the ceiling.
- ``/bench/lookup/<id>/``: the bare view plus the least any first view of a verification page
  must do, one prepared read of a credential's row id by its verification id.
- ``/bench/first-read/<id>/``: the bare view plus the read a first view makes today
  (``selectors.first_view_read``), nothing rendered.

A first view does all that a reference does and more (counting, the verdict, the page), so no
first view can run faster than either reference measured in the same run."""

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from core.db import planned_cursor
from credentials import selectors
from mcportal.urls import urlpatterns as portal_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"bare", content_type="text/plain")


def lookup(request: HttpRequest, verification_id: uuid.UUID) -> HttpResponse:
    with planned_cursor() as cursor:
        cursor.execute("SELECT id FROM credentials_credential WHERE verification_id = %s", [verification_id])
        if cursor.fetchone() is None:
            raise Http404
    return HttpResponse(b"read", content_type="text/plain")


def first_read(request: HttpRequest, verification_id: uuid.UUID) -> HttpResponse:
    if selectors.first_view_read(str(verification_id)) is None:
        raise Http404
    return HttpResponse(b"read", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/lookup/<uuid:verification_id>/", lookup),
    path("bench/first-read/<uuid:verification_id>/", first_read),
    *portal_urlpatterns,
]
