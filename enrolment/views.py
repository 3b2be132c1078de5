"""The browser pages: catalogue, enrolment, learner home, gradebook, results queues. Thin: they
call the same services as the API."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import PTj, User
from core.errors import ApplicationError, not_found
from courses import api as courses_api
from enrolment import selectors, services
from enrolment.choices import ResultsStatus
from enrolment.forms import CatalogueFilterForm, ProfileForm, SurveyForm
from enrolment.models import Enrolment, Offering
from enrolment.policies import (
    enrolment_window_open,
    minimum_requirements,
    moodle_problem_summary,
    needs_international_notice,
    next_step,
    progress,
    results_actions,
    time_through,
)
from enrolment.services.results import survey_open

PAGE_SIZE = 20


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def _ptj_name(ptj: PTj) -> str:
    return ptj.name_ms if translation.get_language() == "ms" and ptj.name_ms else ptj.name


# --- public catalogue ---------------------------------------------------------------------------
def catalogue(request: HttpRequest) -> HttpResponse:
    ptjs = list(PTj.objects.filter(is_active=True, offerings__isnull=False).distinct().order_by("code"))
    form = CatalogueFilterForm(request.GET or None, ptj_choices=[(p.code, f"{p.code} {_ptj_name(p)}") for p in ptjs])
    filters = selectors.CatalogueFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.CatalogueFilters(
            q=data["q"].strip(),
            ptj=data["ptj"],
            level=data["level"],
            mode=data["mode"],
            max_fee=data["max_fee"],
            starts_after=data["starts_after"],
            open_only=data["open_only"],
        )
    today = timezone.localdate()
    page = Paginator(selectors.catalogue_offerings(filters, today=today), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [
        {
            "o": o,
            "ptj_name": _ptj_name(o.ptj),
            "open": enrolment_window_open(o.enrolment_opens, o.enrolment_closes, today),
            "seats": max(o.capacity - getattr(o, "taken", 0), 0),
        }
        for o in page.object_list
    ]
    return render(
        request, "catalogue/list.html", {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    )


def course_page(request: HttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_public(pk)
    if offering is None:
        raise not_found("offering")
    course = courses_api.ready_course_get(offering.proposal_id)
    today = timezone.localdate()
    return render(
        request,
        "catalogue/detail.html",
        {
            "o": offering,
            "course": course,
            "ptj_name": _ptj_name(offering.ptj),
            "seats": max(offering.capacity - getattr(offering, "taken", 0), 0),
            "open": enrolment_window_open(offering.enrolment_opens, offering.enrolment_closes, today),
            "requirements": minimum_requirements(offering.minimum_requirements),
            "formative": sum(c.weight for c in course.components if c.kind != "final"),
            "summative": sum(c.weight for c in course.components if c.kind == "final"),
            "introduction": course.units[0] if course.units else None,
            "quality": courses_api.quality_reference_current(offering.proposal_id),
            "mine": selectors.learner_enrolment_in(request.user, offering),
        },
    )


# --- enrolment ---------------------------------------------------------------------------------
def _error(request: HttpRequest, exc: ApplicationError) -> None:
    messages.error(request, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    offering = selectors.offering_public(pk)
    if offering is None:
        raise not_found("offering")
    if request.method == "POST":
        services.enrolment_may(actor=_actor(request))  # before the input is read: only learners enrol
    profile = selectors.learner_profile(request.user)
    if profile is None:
        messages.info(request, _("Complete your learner profile first; then confirm your enrolment."))
        return redirect(f"{reverse('learner-profile')}?next={reverse('enrol', args=[pk])}")
    requirements = minimum_requirements(offering.minimum_requirements)
    error = None
    if request.method == "POST":
        try:
            enrolment = services.enrolment_create(
                actor=_actor(request),
                offering=offering,
                confirmed_requirements=request.POST.getlist("requirements"),
                requirements_evidence=request.POST.get("evidence", ""),
                international_notice_accepted=request.POST.get("international_notice") == "on",
            )
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, _("You are enrolled in %(course)s.") % {"course": offering.course_title})
            return redirect("learning-enrolment", pk=enrolment.pk)
    return render(
        request,
        "enrolment/enrol.html",
        {
            "o": offering,
            "requirements": requirements,
            "international": needs_international_notice(profile.is_malaysian),
            "error": error,
        },
        status=error.status if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    current = selectors.learner_profile(request.user)
    initial: dict[str, Any] = {"legal_name": getattr(_actor(request), "full_name", "")}
    shown_number = ""
    if current is not None:
        shown_number = services.learner_identity_number(viewer=_actor(request), profile=current)
        initial = {
            "legal_name": current.legal_name,
            "identity_kind": current.identity_kind,
            "identity_number": shown_number,
            "nationality": current.nationality,
            "birth_date": current.birth_date,
            "phone": current.phone,
            "student_id": current.student_id,
            "pdpa_consent": True,
        }
    form = ProfileForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.learner_profile_save(
                    actor=_actor(request),
                    legal_name=d["legal_name"],
                    identity_kind=d["identity_kind"],
                    identity_number=d["identity_number"],
                    nationality=d["nationality"],
                    birth_date=d["birth_date"],
                    phone=d["phone"],
                    student_id=d["student_id"],
                    pdpa_consent=d["pdpa_consent"],
                )
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("Your profile is saved."))
                target = request.GET.get("next", "")
                return redirect(target if target.startswith("/") and not target.startswith("//") else "my-learning")
        else:
            status = 400
    name_locked = current is not None and services.legal_name_locked(current.user_id)
    return render(
        request,
        "enrolment/profile.html",
        {"form": form, "profile": current, "name_locked": name_locked},
        status=status,
    )


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    """The learner dashboard (issue 17): each enrolment's assessments done, time through the
    offering and the next thing to do, with a link to it."""
    enrolments = list(selectors.learner_enrolments(request.user))
    courses = courses_api.ready_courses({e.offering.proposal_id for e in enrolments})
    today = timezone.localdate()
    rows = []
    for e in enrolments:
        course = courses[e.offering.proposal_id]
        marked = {m.component_id for m in e.marks.all()}
        done = len(marked & {c.id for c in course.components})
        approved = e.offering.results_status == ResultsStatus.SENATE_APPROVED
        finals = {c.id for c in course.components if c.kind == "final"}
        rows.append(
            {
                "e": e,
                "course": course,
                "done": done,
                "total": len(course.components),
                "pct": progress(done, len(course.components)),
                "time_pct": time_through(e.offering.starts_on, e.offering.ends_on, today=today),
                "approved": approved,
                "next": next_step(
                    status=e.status,
                    starts_on=e.offering.starts_on,
                    today=today,
                    components=[(c.id, c.title) for c in course.components],
                    marked=marked,
                    survey_open=survey_open(e, finals, marked),
                    surveyed=hasattr(e, "survey"),
                    approved=approved,
                    passed=bool(e.passed),
                ),
            }
        )
    return render(
        request, "enrolment/my_learning.html", {"rows": rows, "profile": selectors.learner_profile(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def learning_enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.learner_enrolment(_actor(request), pk)
    if enrolment is None:
        raise not_found("enrolment")
    course = courses_api.ready_course_get(enrolment.offering.proposal_id)
    marks = {m.component_id: m for m in enrolment.marks.all()}
    attempts: dict[int, list[Decimal]] = {}
    for a in enrolment.attempts.all():
        attempts.setdefault(a.component_id, []).append(a.score)
    finals = {c.id for c in course.components if c.kind == "final"}
    has_survey = hasattr(enrolment, "survey")
    survey_form = SurveyForm(request.POST if request.POST.get("form") == "survey" else None)
    if request.method == "POST":
        try:
            action = request.POST.get("form")
            if action == "survey":
                if survey_form.is_valid():
                    services.survey_submit(actor=_actor(request), enrolment=enrolment, **survey_form.cleaned_data)
                    messages.success(request, _("Thank you for answering the survey."))
                    return redirect("learning-enrolment", pk=pk)
            elif action in ("withdraw", "defer"):
                service = services.enrolment_withdraw if action == "withdraw" else services.enrolment_defer
                service(actor=_actor(request), enrolment=enrolment, reason=request.POST.get("reason", ""))
                messages.success(request, _("Your enrolment is updated."))
                return redirect("learning-enrolment", pk=pk)
        except ApplicationError as exc:
            _error(request, exc)
    approved = enrolment.offering.results_status == ResultsStatus.SENATE_APPROVED
    related = list(
        selectors.catalogue_offerings(
            selectors.CatalogueFilters(ptj=enrolment.offering.ptj.code), today=timezone.localdate()
        ).exclude(proposal_id=enrolment.offering.proposal_id)[:3]
    )
    items = [
        {
            "c": c,
            "mark": marks.get(c.id),
            "max": enrolment.offering.max_score_for(c.id),
            "attempts": attempts.get(c.id, []),
        }
        for c in course.components
    ]
    return render(
        request,
        "enrolment/enrolment_detail.html",
        {
            "e": enrolment,
            "course": course,
            "items": items,
            "approved": approved,
            "pct": progress(len(marks), len(course.components)),
            "done": len(marks),
            "survey_open": survey_open(enrolment, finals, set(marks)) and not has_survey,
            "has_survey": has_survey,
            "survey_form": survey_form,
            "related": related,
        },
    )


# --- instructors -------------------------------------------------------------------------------
def _offering_for(request: HttpRequest, pk: int, perm: str = "enrolment.grade_offering") -> Offering:
    offering = selectors.gradebook_offering(pk)
    if offering is None or not request.user.has_perm(perm, offering):
        raise not_found("offering")
    return offering


@login_required
def teaching(request: HttpRequest) -> HttpResponse:
    return render(request, "enrolment/teaching.html", {"offerings": selectors.instructor_offerings(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def gradebook(request: HttpRequest, pk: int) -> HttpResponse:
    offering = _offering_for(request, pk)
    course = courses_api.ready_course_get(offering.proposal_id)
    if request.method == "POST":
        try:
            action = request.POST.get("form")
            if action == "marks":
                component_id = int(request.POST["component"])
                # "was-<id>" (hidden): the mark the page showed; one changed meanwhile is refused, not lost.
                entries = [
                    services.MarkEntry(
                        enrolment_id=int(key.removeprefix("score-")),
                        score=value,
                        feedback=request.POST.get(f"feedback-{key.removeprefix('score-')}") or None,
                        expected=request.POST.get(f"was-{key.removeprefix('score-')}", ""),
                    )
                    for key in request.POST
                    if key.startswith("score-") and (value := request.POST.get(key, "")).strip()
                ]
                # All or nothing: one transaction, every bad row named (issue 14).
                written = services.marks_record(
                    actor=_actor(request), offering=offering, component_id=component_id, entries=entries
                )
                messages.success(request, _("%(count)s marks saved.") % {"count": len(written)})
            elif action == "max":
                services.offering_max_score_set(
                    actor=_actor(request),
                    offering=offering,
                    component_id=int(request.POST["component"]),
                    max_score=request.POST.get("max_score", ""),
                    expected_max_score=request.POST.get("expected_max_score", ""),
                )
                messages.success(request, _("Maximum saved."))
            elif action == "results":
                services.results_transition(actor=_actor(request), offering=offering, action="submit")
                messages.success(request, _("Results submitted to %(committee)s.") % {"committee": offering.committee})
            elif action == "import":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ApplicationError("file_required", _("Choose a CSV file."), field="file")
                grade_import = services.grade_import_upload(
                    actor=_actor(request),
                    offering=offering,
                    file_name=upload.name or "grades.csv",
                    content=upload.read(),
                )
                return redirect("grade-import", pk=grade_import.pk)
        except services.MarksRefused as exc:
            _error(request, exc)
            names = selectors.gradebook_learner_names(offering, [pk_ for pk_, _message in exc.problems])
            for enrolment_id, message in exc.problems:
                messages.error(
                    request,
                    _("%(learner)s: %(problem)s")
                    % {"learner": names.get(enrolment_id, _("Unknown learner")), "problem": message},
                )
        except ApplicationError as exc:
            _error(request, exc)
        except (KeyError, ValueError):
            messages.error(request, _("The form was incomplete."))
        return redirect("gradebook", pk=pk)
    selected = request.GET.get("component")
    component = next(
        (c for c in course.components if str(c.id) == selected), course.components[0] if course.components else None
    )
    rows = []
    for e in selectors.gradebook_rows(offering):
        marks = {m.component_id: m for m in e.marks.all()}
        attempts: dict[int, list[Decimal]] = {}
        for a in e.attempts.all():
            attempts.setdefault(a.component_id, []).append(a.score)
        rows.append(
            {
                "e": e,
                "cells": [
                    {"c": c, "mark": marks.get(c.id), "attempts": attempts.get(c.id, [])} for c in course.components
                ],
                "current": marks[component.id].score if component and component.id in marks else "",
            }
        )
    return render(
        request,
        "enrolment/gradebook.html",
        {
            "o": offering,
            "course": course,
            "rows": rows,
            "component": component,
            "component_max": offering.max_score_for(component.id) if component else None,
            "editable": offering.results_status != ResultsStatus.SENATE_APPROVED,
            "can_submit": "submit" in results_actions(offering.results_status),
            "maxes": [(c, offering.max_score_for(c.id)) for c in course.components],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def grade_import(request: HttpRequest, pk: int) -> HttpResponse:
    upload = services.grade_import_get(actor=_actor(request), pk=pk)
    course = courses_api.ready_course_get(upload.offering.proposal_id)
    from enrolment.policies import moodle_parse, moodle_suggest_mapping

    export = moodle_parse(upload.content)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "map":
                mapping = {col: int(request.POST.get(f"map-{i}") or 0) for i, col in enumerate(export.grade_columns)}
                services.grade_import_map(actor=_actor(request), grade_import=upload, mapping=mapping)
            elif request.POST.get("form") == "confirm":
                count = services.grade_import_confirm(actor=_actor(request), grade_import=upload)
                messages.success(request, _("%(count)s marks imported.") % {"count": count})
                return redirect("gradebook", pk=upload.offering_id)
        except ApplicationError as exc:
            _error(request, exc)
        except ValueError:
            messages.error(request, _("The form was incomplete."))
        return redirect("grade-import", pk=pk)
    preview = services.grade_import_preview(upload) if upload.mapping else None
    titles = {c.id: c.title for c in course.components}
    mapping = {str(k): int(v) for k, v in upload.mapping.items()}
    if not mapping:
        # Proposed, not saved: the mapping this offering used last time, then by component name.
        mapping = moodle_suggest_mapping(
            export.grade_columns,
            [(c.id, c.title) for c in course.components],
            selectors.grade_import_last_mapping(upload.offering, other_than=upload.pk),
        )
    columns = [{"i": i, "name": col, "mapped": mapping.get(col)} for i, col in enumerate(export.grade_columns)]
    column_titles = {col: titles.get(cid, col) for col, cid in mapping.items()}
    context: dict[str, Any] = {
        "imp": upload,
        "course": course,
        "columns": columns,
        "preview": preview,
        "titles": titles,
        "column_titles": column_titles,
        "suggested": not upload.mapping and bool(mapping),
    }
    if preview is not None:
        # A 50,000-row export is shown a page of rows at a time; the totals and the problems by
        # kind are the whole file's.
        context["summary"] = moodle_problem_summary(preview.bad)
        context["problems"] = _pager(request, preview.bad, "problems", other="marks")
        context["marks"] = _pager(request, preview.good, "marks", other="problems")
    return render(request, "enrolment/import.html", context)


IMPORT_PREVIEW_PAGE_SIZE = 50


def _pager(request: HttpRequest, rows: Sequence[object], param: str, *, other: str) -> dict[str, Any]:
    """One page of ``rows`` (``?<param>=N``), with links that keep the other table's page."""
    page = Paginator(rows, IMPORT_PREVIEW_PAGE_SIZE).get_page(request.GET.get(param))

    def link(number: int) -> str:
        query = {param: str(number)}
        if request.GET.get(other):
            query[other] = request.GET[other]
        return "?" + urlencode(query) + f"#{param}"

    return {
        "page": page,
        "previous": link(page.previous_page_number()) if page.has_previous() else "",
        "next": link(page.next_page_number()) if page.has_next() else "",
    }


# --- committees and Senate ---------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def results_queue(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        offering = Offering.objects.filter(pk=int(request.POST.get("offering", 0) or 0)).first()
        if offering is None:
            raise not_found("offering")
        try:
            services.results_transition(
                actor=_actor(request),
                offering=offering,
                action=request.POST.get("action", ""),
                comment=request.POST.get("comment", ""),
            )
            messages.success(request, _("Recorded: %(course)s.") % {"course": offering.course_title})
        except ApplicationError as exc:
            _error(request, exc)
        return redirect("results-queue")
    offerings = list(selectors.results_queue(request.user))
    summary: dict[int, dict[str, Any]] = {}
    for e in Enrolment.objects.filter(offering__in=offerings, status="enrolled").values("offering_id", "passed"):
        s = summary.setdefault(e["offering_id"], {"passed": 0, "failed": 0})
        s["passed" if e["passed"] else "failed"] += 1
    rows = [
        {"o": o, "actions": results_actions(o.results_status), **summary.get(o.pk, {"passed": 0, "failed": 0})}
        for o in offerings
    ]
    return render(request, "enrolment/results_queue.html", {"rows": rows})
