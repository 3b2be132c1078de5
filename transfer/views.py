"""The credit-transfer pages: the learner's credentials and "what would count?", applications
with their review actions, the reviewers' queue, programmes, the decision letter. Thin: they call
the same services as the API, and show a refusal with its HTTP status."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from core.errors import ApplicationError, ErrorKind, not_found
from transfer import selectors, services
from transfer.choices import STANDALONE_KINDS, ApplicationStatus, Source, Verification
from transfer.forms import AgeExceptionForm, PriorCredentialForm, ProgrammeChoiceForm
from transfer.models import Application, DecisionLetter
from transfer.policies.explain import apelm_summary, reason_text, summary
from transfer.policies.workflow import ACTION_LABELS, ACTOR_LABELS, TABLE, Edit, edit_actors

MAP_PREFIX = "map-"


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


def _refuse_hard(exc: ApplicationError) -> None:
    """Not found and forbidden are pages of their own (the middleware renders them)."""
    if exc.kind in (ErrorKind.NOT_FOUND, ErrorKind.FORBIDDEN):
        raise exc


# --- the learner's credentials --------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    return render(
        request,
        "transfer/home.html",
        {
            "held": selectors.learner_credentials(user.pk) if user.has_perm("transfer.apply") else [],
            "applications": selectors.learner_applications(user),
            "is_learner": user.has_perm("transfer.apply"),
            "is_reviewer": user.has_perm("transfer.view_queue"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def credential_add(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    if not user.has_perm("transfer.add_priorcredential"):
        raise ApplicationError(
            "transfer_forbidden", _("Only learners add prior credentials."), kind=ErrorKind.FORBIDDEN
        )
    form = PriorCredentialForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            credential = services.prior_credential_add(actor=user, **data)
        except ApplicationError as exc:
            _refuse_hard(exc)
            error = exc
            if exc.field in form.fields:
                form.add_error(exc.field, exc.message)
        else:
            if credential.verification == Verification.VERIFIED:
                messages.success(request, _("Added, and the badge is verified."))
            else:
                messages.info(request, _("Added. It is marked not verified yet: a reviewer checks the evidence."))
            return redirect("transfer-home")
    status = 400 if request.method == "POST" else 200
    return render(request, "transfer/credential_add.html", {"form": form, "error": error}, status=status)


@login_required
@require_POST
def credential_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    credential = selectors.prior_credential_get(request.user, pk)
    try:
        services.prior_credential_withdraw(actor=_actor(request), credential=credential)
    except ApplicationError as exc:
        _refuse_hard(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The credential is withdrawn; it is kept in the records."))
    return redirect("transfer-home")


@login_required
@require_GET
def credential_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file, to its learner and to the reviewers of an application claiming it."""
    credential = selectors.prior_credential_get(request.user, pk)
    if not credential.evidence_file:
        raise selectors.not_found("credential")
    content_type = "application/pdf" if credential.evidence_kind == "pdf" else "application/json"
    suffix = ".pdf" if credential.evidence_kind == "pdf" else ".json"
    response = FileResponse(
        credential.evidence_file.open("rb"),
        content_type=content_type,
        as_attachment=True,
        filename=f"evidence-{credential.pk}{suffix}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- programmes and "what would count?" ------------------------------------------------------------


@require_GET
def programmes(request: HttpRequest) -> HttpResponse:
    return render(request, "transfer/programmes.html", {"programmes": selectors.programme_choices()})


def _mapping_from(data: Any) -> dict[str, str]:
    return {key[len(MAP_PREFIX) :]: value for key, value in data.items() if key.startswith(MAP_PREFIX)}


def _check_context(user: User, programme_id: int | None, mapping: dict[str, str]) -> dict[str, Any]:
    choices = selectors.programme_choices()
    form = ProgrammeChoiceForm(
        {"programme": programme_id} if programme_id else None,
        programmes=[(p.id, f"{p.code} {p.name}") for p in choices],
    )
    context: dict[str, Any] = {"form": form, "evaluation": None}
    if programme_id and form.is_valid():
        evaluation = selectors.learner_evaluation(user.pk, programme_id, mapping)
        context.update(_result_context(evaluation.result, evaluation.apelm, evaluation.policy.apelc_min_clo_pct))
        context.update(
            evaluation=evaluation,
            rows=[
                {"held": h, "outcome": evaluation.result.outcome(h.ref), "course": evaluation.mapping[h.ref]}
                for h in evaluation.held
            ],
        )
    return context


def _result_context(
    result: Any, apelm: Any, min_clo: int, *, you: bool = True, approved: bool = False
) -> dict[str, Any]:
    return {
        "result": result,
        "apelm": apelm,
        "sentences": summary(result, you=you, approved=approved),
        "apelm_sentences": apelm_summary(apelm),
        "reasons": {o.ref: reason_text(o, min_clo) for o in result.credentials},
    }


@login_required
@require_GET
def check(request: HttpRequest) -> HttpResponse:
    """What would count?: the engine over the learner's credentials for a chosen programme."""
    user = _actor(request)
    raw = request.GET.get("programme", "")
    programme_id = int(raw) if raw.isdigit() else None
    context = _check_context(user, programme_id, _mapping_from(request.GET))
    context["can_apply"] = user.has_perm("transfer.apply")
    return render(request, "transfer/check.html", context)


@login_required
@require_POST
def apply(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    raw = request.POST.get("programme", "")
    programme_id = int(raw) if raw.isdigit() else 0
    mapping = _mapping_from(request.POST)
    claims = [services.Claim(ref, course) for ref, course in mapping.items() if course]
    try:
        application = services.application_submit(
            actor=user, programme_id=programme_id, claims=claims, comment=request.POST.get("comment", "")
        )
    except ApplicationError as exc:
        if exc.kind == ErrorKind.FORBIDDEN:
            raise
        context = _check_context(user, programme_id or None, mapping)
        context.update(error=exc, can_apply=True)
        return render(request, "transfer/check.html", context, status=exc.status)
    messages.success(request, _("Your application is sent."))
    return redirect("transfer-application", pk=application.pk)


# --- applications ----------------------------------------------------------------------------------


def _buttons(user: User, application: Application) -> list[dict[str, Any]]:
    rows = [
        r for r in TABLE if r.source == application.status and user.has_perm(f"transfer.act_as_{r.actor}", application)
    ]
    return [{"row": r, "label": ACTION_LABELS[r.action], "danger": r.danger} for r in rows]


def _may_edit(user: User, application: Application, edit: str) -> bool:
    return any(user.has_perm(f"transfer.act_as_{who}", application) for who in edit_actors(application.status, edit))


def _application_context(request: HttpRequest, application: Application, **extra: Any) -> dict[str, Any]:
    user = _actor(request)
    stored = selectors.stored_result(application.result)
    context: dict[str, Any] = {"application": application, "stored": stored is not None}
    programme = selectors.programme_data(application.programme_id)
    if stored is not None:
        result, apelm = stored
        context.update(
            _result_context(
                result,
                apelm,
                application.policy_version.apelc_min_clo_pct,
                you=application.learner_id == user.pk,
                approved=application.status == ApplicationStatus.APPROVED,
            )
        )
    may_map = _may_edit(user, application, Edit.MAP)
    may_evidence = _may_edit(user, application, Edit.EVIDENCE)
    may_assess = _may_edit(user, application, Edit.ASSESS)
    lines = []
    for position, line in enumerate(application.lines.all()):
        standalone = line.credential.kind in STANDALONE_KINDS
        lines.append(
            {
                "line": line,
                "position": position,
                "standalone": standalone,
                "external": line.credential.source == Source.EXTERNAL,
                "reason": context.get("reasons", {}).get(line.credential.ref, ""),
                # In the APEL.C step the officer judges stand-alone claims only.
                "may_evidence": may_evidence
                and line.credential.source == Source.EXTERNAL
                and (standalone or application.status != ApplicationStatus.APELC_REVIEW),
                "may_assess": may_assess and standalone,
                "clo_text": ", ".join(f"{v}%" for v in line.clo_attainment or []),
            }
        )
    letter = DecisionLetter.objects.filter(application=application).first()
    age_exception = selectors.age_exception_for(application.learner_id, application.programme_id)
    decides_age = application.is_open and user.has_perm("transfer.grant_age_exception", application)
    context.update(
        programme=programme,
        lines=lines,
        courses=programme.courses,
        may_map=may_map,
        buttons=_buttons(user, application),
        letter=letter,
        history=selectors.application_history(application),
        may_grant_age=(decides_age and stored is not None and not stored[1].age_ok and stored[1].min_age is not None),
        age_form=AgeExceptionForm(),
        age_exception=age_exception,
        may_revoke_age=decides_age and age_exception is not None,
        next_actor=_next_actor(application),
        **extra,
    )
    return context


def _next_actor(application: Application) -> str:
    actors = {r.actor for r in TABLE if r.source == application.status and r.action != "withdraw"}
    return ", ".join(str(ACTOR_LABELS[a]) for a in sorted(actors))


@login_required
@require_GET
def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(request.user, pk)
    return render(request, "transfer/application.html", _application_context(request, application))


def _after(request: HttpRequest, pk: int, action: Any, success: str) -> HttpResponse:
    """Run a service on the application; on a refusal show the page again with the error and the
    refusal's status (nothing was saved)."""
    application = selectors.application_get(request.user, pk)
    try:
        action(application)
    except ApplicationError as exc:
        _refuse_hard(exc)
        fresh = selectors.application_get(request.user, pk)
        return render(
            request, "transfer/application.html", _application_context(request, fresh, error=exc), status=exc.status
        )
    messages.success(request, success)
    return redirect("transfer-application", pk=pk)


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    return _after(
        request,
        pk,
        lambda a: services.application_transition(
            actor=_actor(request),
            application=a,
            action=request.POST.get("action", ""),
            comment=request.POST.get("comment", ""),
            expected_state=request.POST.get("expected_state") or None,
        ),
        _("Done."),
    )


@login_required
@require_POST
def mapping(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = {
        int(key[len("line-") :]): request.POST.get(key, "")
        for key in request.POST
        if key.startswith("line-") and key[len("line-") :].isdigit()
    }
    return _after(
        request,
        pk,
        lambda a: services.application_mapping_set(
            actor=_actor(request), application=a, mapping=chosen, comment=request.POST.get("comment", "")
        ),
        _("The course mapping is saved."),
    )


@login_required
@require_POST
def line_evidence(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    return _after(
        request,
        pk,
        lambda a: services.application_evidence_decide(
            actor=_actor(request),
            application=a,
            line_id=line,
            accept=request.POST.get("decision") == "accept",
            reason=request.POST.get("reason", ""),
        ),
        _("The evidence decision is recorded."),
    )


@login_required
@require_POST
def line_assess(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    values = [v for v in request.POST.get("clo_attainment", "").replace(";", ",").split(",") if v.strip()]
    return _after(
        request,
        pk,
        lambda a: services.application_clo_assess(
            actor=_actor(request),
            application=a,
            line_id=line,
            attainment=values,
            comment=request.POST.get("comment", ""),
        ),
        _("The CLO assessment is recorded."),
    )


@login_required
@require_POST
def age_exception(request: HttpRequest, pk: int) -> HttpResponse:
    return _after(
        request,
        pk,
        lambda a: services.age_exception_grant(
            actor=_actor(request),
            learner_id=a.learner_id,
            programme_id=a.programme_id,
            reason=request.POST.get("reason", ""),
        ),
        _("The age exception is recorded."),
    )


@login_required
@require_POST
def age_exception_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    def revoke(application: Application) -> None:
        exception = selectors.age_exception_for(application.learner_id, application.programme_id)
        if exception is None:
            raise not_found("age_exception", _("This learner has no age exception for this programme."))
        services.age_exception_revoke(
            actor=_actor(request), exception_id=exception.pk, reason=request.POST.get("reason", "")
        )

    return _after(request, pk, revoke, _("The age exception is revoked."))


@login_required
@require_GET
def letter_pdf(request: HttpRequest, pk: int) -> FileResponse:
    letter = selectors.decision_letter_get(request.user, pk)
    return FileResponse(letter.file.open("rb"), content_type="application/pdf", filename=f"credit-transfer-{pk}.pdf")


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    if not user.has_perm("transfer.view_queue"):
        raise ApplicationError(
            "transfer_forbidden",
            _("The queue is for APEL.C officers, coordinators and Deans."),
            kind=ErrorKind.FORBIDDEN,
        )
    waiting = list(selectors.application_queue(user))
    seen = {a.pk for a in waiting}
    recent = [
        a
        for a in selectors.applications_visible_to(user)
        .exclude(learner=user)
        .select_related("programme", "ptj", "learner")
        .order_by("-submitted_at")[:50]
        if a.pk not in seen
    ]
    return render(request, "transfer/queue.html", {"waiting": waiting, "recent": recent})
