"""The report pages and their CSV exports. Thin: check who is asking, validate the filters, let
the dashboard build its tables (one query each) and render them."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import User
from core.errors import ApplicationError, ErrorKind
from reports.dashboards import DASHBOARDS, Dashboard
from reports.forms import EspForm, FilterForm, filters_from
from reports.rules import viewer_scope
from reports.selectors._common import course_options, ptj_options
from reports.selectors.esp import esp_course_choices
from reports.services import esp_export, esp_forbidden
from reports.tables import table_csv


def _forbidden() -> ApplicationError:
    return ApplicationError(
        "reports_forbidden",
        _("Reports are for CFLEX, BJKA, the Senate secretary and the Deans and Heads of PTj."),
        kind=ErrorKind.FORBIDDEN,
    )


def _dashboard(request: HttpRequest, slug: str) -> tuple[Dashboard, FilterForm]:
    kind = DASHBOARDS.get(slug)
    if kind is None:
        raise Http404
    if not request.user.has_perm(kind.perm):
        raise _forbidden()
    scope = viewer_scope(request.user)
    with_teaching = kind.with_teaching
    form = FilterForm(
        request.GET,
        ptjs=ptj_options(scope, with_teaching=with_teaching),
        courses=course_options(scope, with_teaching=with_teaching),
    )
    filters = filters_from(request.GET, scope, form, with_teaching=with_teaching)
    return kind(filters, scope), form


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("reports.view_reports"):
        raise _forbidden()
    available = [d for d in DASHBOARDS.values() if request.user.has_perm(d.perm)]
    return render(request, "reports/index.html", {"dashboards": available})


@login_required
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    board, form = _dashboard(request, slug)
    query = urlencode(board.filters.query)
    return render(
        request,
        "reports/dashboard.html",
        {
            "board": board,
            "blocks": board.blocks(),
            "form": form,
            "query": f"?{query}" if query else "",
            "dashboards": [d for d in DASHBOARDS.values() if request.user.has_perm(d.perm)],
        },
    )


@login_required
@require_GET
def table_export(request: HttpRequest, slug: str, table: str) -> HttpResponse:
    """One table of a dashboard as CSV, with the same filters: exactly the cells the page shows."""
    board, _form = _dashboard(request, slug)
    try:
        data = board.table(table)
    except KeyError:
        raise Http404 from None
    response = HttpResponse(table_csv(data), content_type="text/csv; charset=utf-8")
    name = f"{slug}-{table}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- R-QA-3: the MQA eSP export (CFLEX and BJKA) -------------------------------------------------
@login_required
@require_GET
def esp(request: HttpRequest) -> HttpResponse:
    """The export's form; with ``download`` in the query, the file itself (audited)."""
    if not request.user.has_perm("reports.esp_export"):
        raise esp_forbidden()
    form = EspForm(request.GET if "download" in request.GET else None, courses=esp_course_choices())
    status = 200
    if form.is_bound:
        if form.is_valid():
            d = form.cleaned_data
            assert isinstance(request.user, User)
            try:
                export = esp_export(
                    actor=request.user,
                    proposal_id=d["course"],
                    date_from=d["date_from"],
                    date_to=d["date_to"],
                    fmt=d["format"],
                )
            except ApplicationError as exc:
                if exc.kind != ErrorKind.INVALID:
                    raise
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = exc.status
            else:
                response = HttpResponse(export.content, content_type=export.content_type)
                response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
                response["Cache-Control"] = "private, no-store"
                return response
        else:
            status = 400
    return render(request, "reports/esp.html", {"form": form}, status=status)
