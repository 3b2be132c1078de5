"""Pages: the learner's credentials."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError, ErrorKind
from transfer import selectors, services
from transfer.choices import Verification
from transfer.forms import PriorCredentialForm
from transfer.views.common import _actor, _refuse_hard

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
