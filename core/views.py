from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import PTj
from accounts.rules import active_roles
from core.home import role_panels


def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer and the container healthcheck: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors get the portal's front door; staff and learners their role panels."""
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    assignments = sorted(active_roles(request.user))
    ptjs = PTj.objects.in_bulk([p for _, p, _ in assignments if p is not None])
    return render(request, "core/home.html", {"panels": role_panels(assignments, ptjs)})
