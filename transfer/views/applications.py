"""Pages: applications, their review and the queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from core.errors import UNCHECKED, ApplicationError, ErrorKind, not_found
from transfer import selectors, services
from transfer.choices import STANDALONE_KINDS, ApplicationStatus, Source
from transfer.forms import AgeExceptionForm
from transfer.models import Application, DecisionLetter
from transfer.policies.workflow import ACTION_LABELS, ACTOR_LABELS, TABLE, Edit, edit_actors
from transfer.views.common import _actor, _refuse_hard
from transfer.views.counting import _result_context

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


def _may_edit_first(request: HttpRequest, pk: int, edit: str) -> None:
    """The application's permission for ``edit``, before the form is read (issue 12): 404 to whoever
    may not see it, 403 to whoever may not make this change, 409 while nobody may."""
    services.application_edit_may(
        actor=_actor(request), application=selectors.application_get(request.user, pk), edit=edit
    )


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    services.application_act_may(
        actor=_actor(request), application=selectors.application_get(request.user, pk)
    )  # before the input is read
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
    _may_edit_first(request, pk, Edit.MAP)

    def lines(prefix: str) -> dict[int, str]:
        return {
            int(key[len(prefix) :]): request.POST.get(key, "")
            for key in request.POST
            if key.startswith(prefix) and key[len(prefix) :].isdigit()
        }

    # What the page showed for each claim (hidden fields): a change made meanwhile is refused, not lost.
    chosen, expected = lines("line-"), lines("was-line-")
    return _after(
        request,
        pk,
        lambda a: services.application_mapping_set(
            actor=_actor(request),
            application=a,
            mapping=chosen,
            comment=request.POST.get("comment", ""),
            expected={pk_: expected.get(pk_, "") for pk_ in chosen},
        ),
        _("The course mapping is saved."),
    )


@login_required
@require_POST
def line_evidence(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    _may_edit_first(request, pk, Edit.EVIDENCE)
    return _after(
        request,
        pk,
        lambda a: services.application_evidence_decide(
            actor=_actor(request),
            application=a,
            line_id=line,
            accept=request.POST.get("decision") == "accept",
            reason=request.POST.get("reason", ""),
            expected_verification=request.POST.get("was_verification", UNCHECKED),
        ),
        _("The evidence decision is recorded."),
    )


def _split_values(text: str) -> list[str]:
    return [v for v in text.replace(";", ",").split(",") if v.strip()]


@login_required
@require_POST
def line_assess(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    _may_edit_first(request, pk, Edit.ASSESS)
    values = _split_values(request.POST.get("clo_attainment", ""))
    return _after(
        request,
        pk,
        lambda a: services.application_clo_assess(
            actor=_actor(request),
            application=a,
            line_id=line,
            attainment=values,
            comment=request.POST.get("comment", ""),
            expected_attainment=_split_values(request.POST["was_clo_attainment"])
            if "was_clo_attainment" in request.POST
            else UNCHECKED,
        ),
        _("The CLO assessment is recorded."),
    )


@login_required
@require_POST
def age_exception(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.application_get(request.user, pk)
    services.age_exception_may_grant(actor=_actor(request))  # before the input is read
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
