"""Pages: programmes and what would count."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from core.errors import ApplicationError, ErrorKind
from transfer import selectors, services
from transfer.forms import ProgrammeChoiceForm
from transfer.policies.explain import apelm_summary, reason_text, summary
from transfer.views.common import MAP_PREFIX, _actor

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
    services.application_may_submit(actor=user)  # before the input is read
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
