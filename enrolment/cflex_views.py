"""CFLEX administrators' pages: offerings of ready courses, their rosters and fees."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from core.errors import ApplicationError, not_found
from courses import api as courses_api
from enrolment import selectors, services
from enrolment.cflex_forms import AssessmentEndForm, FeeForm, OfferingForm
from enrolment.models import Enrolment


def _cflex(request: HttpRequest, perm: str = "enrolment.add_offering") -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_perm(perm):
        raise not_found("offering")
    return user


def _offering_form(request: HttpRequest) -> OfferingForm:
    ready = courses_api.ready_courses(courses_api.ready_to_offer_ids())
    courses = [(c.id, f"{c.code} {c.title}") for c in sorted(ready.values(), key=lambda c: c.code)]
    instructors = [(u.pk, u.full_name) for u in selectors.instructor_choices()]
    return OfferingForm(request.POST or None, courses=courses, instructors=instructors)


@login_required
@require_http_methods(["GET", "POST"])
def offerings(request: HttpRequest) -> HttpResponse:
    actor = _cflex(request)
    form = _offering_form(request)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                offering = services.offering_create(
                    actor=actor,
                    proposal_id=data["proposal"],
                    session=data["session"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    platform=data["platform"],
                    capacity=data["capacity"],
                    fee=data["fee"],
                    enrolment_opens=data["enrolment_opens"],
                    enrolment_closes=data["enrolment_closes"],
                    instructor_ids=data["instructors"],
                    minimum_requirements=data["minimum_requirements"],
                )
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("Offering %(code)s %(session)s opened.")
                    % {"code": offering.course_code, "session": offering.session},
                )
                return redirect("cflex-offering", pk=offering.pk)
        else:
            status = 400
    return render(
        request,
        "enrolment/cflex_offerings.html",
        {"form": form, "offerings": selectors.cflex_offerings()},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def offering(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _cflex(request, "enrolment.record_fee")
    found = selectors.cflex_offerings().filter(pk=pk).first()
    if found is None:
        raise not_found("offering")
    assessment_form = AssessmentEndForm(
        request.POST if request.method == "POST" else None,
        initial={
            "assessment_ends_on": found.assessment_ends_on,
            "expected_assessment_ends_on": found.assessment_ends_on,
        },
    )
    status = 200
    if request.method == "POST":
        if request.POST.get("form") != "assessment":
            assessment_form.add_error(None, _("The form was incomplete."))
            status = 400
        elif assessment_form.is_valid():
            try:
                services.offering_assessment_end_set(
                    actor=actor,
                    offering=found,
                    assessment_ends_on=assessment_form.cleaned_data["assessment_ends_on"],
                    expected_assessment_ends_on=assessment_form.cleaned_data["expected_assessment_ends_on"],
                )
            except ApplicationError as exc:
                if exc.code == "stale_change":  # the page now shows the current date: saving again is meant
                    assessment_form.data = {
                        **assessment_form.data.dict(),  # type: ignore[attr-defined]  # a QueryDict
                        "expected_assessment_ends_on": exc.current["assessment_ends_on"] or "",
                    }
                assessment_form.add_error("assessment_ends_on", exc.message)
                status = exc.status
            else:
                messages.success(request, _("Last assessment date saved."))
                return redirect("cflex-offering", pk=found.pk)
        else:
            status = 400
    return render(
        request,
        "enrolment/cflex_offering.html",
        {
            "offering": found,
            "roster": selectors.offering_roster(found),
            "fee_form": FeeForm(),
            "assessment_form": assessment_form,
        },
        status=status,
    )


@login_required
@require_POST
def fee_record(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _cflex(request, "enrolment.record_fee")
    enrolment = Enrolment.objects.filter(pk=pk).first()
    if enrolment is None:
        raise not_found("offering")
    form = FeeForm(request.POST)
    if not form.is_valid():
        raise ApplicationError("fee_invalid", _("Choose pending, paid or waived."), field="fee_status")
    services.enrolment_fee_record(
        actor=actor,
        enrolment=enrolment,
        fee_status=form.cleaned_data["fee_status"],
        reference=form.cleaned_data["reference"],
        expected_fee_status=form.cleaned_data["expected_fee_status"],
    )
    messages.success(request, _("Fee recorded for %(name)s.") % {"name": enrolment.learner.full_name})
    return redirect("cflex-offering", pk=enrolment.offering_id)
