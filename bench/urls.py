"""The portal's URLs plus ``/bench/bare/``: a Django view that does nothing, served by the same
server through the same middleware, so its throughput is the ceiling a page is compared with."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from mcportal.urls import urlpatterns as portal_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"bare", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *portal_urlpatterns]
