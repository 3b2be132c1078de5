"""R-CR-6 / R-QA-3 pages: the quality references of Category 1 and QVC-verified courses (CFLEX
and BJKA), and recording or renewing one. Thin over ``courses.services.quality``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from core.errors import ApplicationError
from courses.choices import ACCREDITED_KINDS, ProposalKind, ProposalStatus
from courses.models import Proposal, QualityReference
from courses.policies.quality import is_lapsed
from courses.selectors import not_found
from courses.services.quality import quality_kind_for, quality_reference_record

DATE = forms.DateInput(attrs={"type": "date"})


class QualityForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=80)
    valid_from = forms.DateField(label=gettext_lazy("Valid from"), widget=DATE)
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until"),
        required=False,
        widget=DATE,
        help_text=gettext_lazy("For a QVC verification, leave empty for the longest the policy allows (3 years)."),
    )


def _viewer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_perm("courses.view_quality_references"):
        raise not_found()
    return user


_KINDS = [*sorted(ACCREDITED_KINDS), ProposalKind.CAT3_QVC]


@login_required
@require_GET
def quality_list(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    courses = list(Proposal.objects.filter(kind__in=_KINDS, status=ProposalStatus.READY_TO_OFFER).order_by("code"))
    current = {
        q.proposal_id: q for q in QualityReference.objects.filter(proposal__in=courses, superseded_at__isnull=True)
    }
    today = timezone.localdate()
    rows = [
        {
            "course": c,
            "quality": current.get(c.pk),
            "lapsed": c.pk in current and is_lapsed(current[c.pk].valid_until, today),
        }
        for c in courses
    ]
    return render(request, "courses/quality_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_quality(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _viewer(request)
    proposal = Proposal.objects.filter(pk=pk, kind__in=_KINDS).first()
    if proposal is None:
        raise not_found()
    form = QualityForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                quality_reference_record(
                    actor=actor,
                    proposal_id=proposal.pk,
                    reference=d["reference"],
                    valid_from=d["valid_from"],
                    valid_until=d["valid_until"],
                )
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("Quality reference recorded."))
                return redirect("proposal-quality", pk=proposal.pk)
        else:
            status = 400
    history = list(QualityReference.objects.filter(proposal=proposal).select_related("recorded_by"))
    return render(
        request,
        "courses/proposal_quality.html",
        {
            "proposal": proposal,
            "kind": quality_kind_for(proposal.kind),
            "history": history,
            "form": form,
            "today": timezone.localdate(),
        },
        status=status,
    )
