"""R-CR-6 / R-QA-3: recording and renewing a micro-credential's MQR reference or QVC
verification, and reminding CFLEX before a QVC verification lapses (docs/decisions/0181)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind
from core.services import notification_queue
from courses.choices import ACCREDITED_KINDS, ProposalKind
from courses.models import Proposal, QualityKind, QualityReference, QualityReminder
from courses.policies.quality import qvc_latest_until, reminders_due
from courses.selectors import not_found
from policy.api import policy_in_force

_PERMS = {QualityKind.MQR: "courses.record_mqr_reference", QualityKind.QVC: "courses.record_qvc_reference"}


def quality_kind_for(proposal_kind: str) -> str | None:
    """MQR for Category 1 MCs of accredited programmes, QVC for QVC-verified SAMCs, else none."""
    if proposal_kind in ACCREDITED_KINDS:
        return QualityKind.MQR.value
    if proposal_kind == ProposalKind.CAT3_QVC:
        return QualityKind.QVC.value
    return None


@transaction.atomic(durable=True)
def quality_reference_record(
    *,
    actor: User,
    proposal_id: int,
    reference: str,
    valid_from: date,
    valid_until: date | None = None,
) -> QualityReference:
    """Record a course's MQR reference (Category 1) or QVC verification (QVC SAMC), or renew it:
    the current one is superseded, never edited. A QVC verification lasts at most the policy's
    ``qvc_validity_months`` (36): its end defaults to that and may not be later."""
    proposal = Proposal.objects.select_for_update().filter(pk=proposal_id).first()
    if proposal is None or not actor.has_perm("courses.view_quality_references"):
        raise not_found()
    kind = quality_kind_for(proposal.kind)
    if kind is None:
        raise ApplicationError(
            "quality_kind_none",
            _("Only Category 1 and QVC-verified stand-alone micro-credentials carry a quality reference."),
            field="reference",
            kind=ErrorKind.CONFLICT,
        )
    if not actor.has_perm(_PERMS[QualityKind(kind)]):
        raise ApplicationError(
            "quality_forbidden", _("You may not record this kind of reference."), kind=ErrorKind.FORBIDDEN
        )
    reference = " ".join((reference or "").split())
    if not reference or len(reference) > 80:
        raise ApplicationError("reference_required", _("Give the reference, at most 80 characters."), field="reference")
    policy = policy_in_force()
    if kind == QualityKind.QVC:
        latest = qvc_latest_until(valid_from, policy.qvc_validity_months)
        valid_until = valid_until or latest
        if valid_until > latest:
            raise ApplicationError(
                "qvc_too_long",
                _("A QVC verification is valid for at most %(months)s months: until %(latest)s at the latest.")
                % {"months": policy.qvc_validity_months, "latest": latest.isoformat()},
                field="valid_until",
            )
    elif valid_until is None:
        raise ApplicationError(
            "valid_until_required", _("Give the date the accreditation is valid until."), field="valid_until"
        )
    if valid_until <= valid_from:
        raise ApplicationError(
            "valid_until_before_start", _("The end of validity must come after its start."), field="valid_until"
        )
    now = timezone.now()
    current = QualityReference.objects.select_for_update().filter(
        proposal=proposal, kind=kind, superseded_at__isnull=True
    )
    renewed = [q.reference for q in current]
    current.update(superseded_at=now)
    try:
        with transaction.atomic():
            row = QualityReference.objects.create(
                proposal=proposal,
                kind=kind,
                reference=reference,
                valid_from=valid_from,
                valid_until=valid_until,
                policy_version_id=policy.id,
                recorded_by=actor,
                recorded_at=now,
            )
    except IntegrityError:
        raise ApplicationError(
            "quality_conflict", _("Someone recorded a reference at the same time."), kind=ErrorKind.CONFLICT
        ) from None
    # The course record changed: anything cached by its stamp (issuance) reads it again.
    Proposal.objects.filter(pk=proposal.pk).update(updated_at=now)
    audit_record(
        actor=actor,
        action="proposal.quality_renew" if renewed else "proposal.quality_record",
        obj=proposal,
        from_state=renewed[0] if renewed else "",
        to_state=reference,
        data={"kind": kind, "valid_from": valid_from.isoformat(), "valid_until": valid_until.isoformat()},
    )
    return row


def quality_reminders_send(*, today: date | None = None) -> int:
    """Daily (Celery beat): remind CFLEX administrators of each current QVC verification at
    ``qvc_first_reminder_months`` and ``qvc_last_reminder_months`` before it lapses. One reminder
    per verification and threshold, however often this runs (unique constraint). Returns how
    many it sent now."""
    today = today or timezone.localdate()
    policy = policy_in_force(today)
    thresholds = (policy.qvc_first_reminder_months, policy.qvc_last_reminder_months)
    sent = 0
    current = QualityReference.objects.filter(kind=QualityKind.QVC, superseded_at__isnull=True).select_related(
        "proposal"
    )
    for ref in current:
        for months in reminders_due(ref.valid_until, today, thresholds):
            with transaction.atomic():
                _reminder, created = QualityReminder.objects.get_or_create(quality_reference=ref, months_before=months)
                if not created:
                    continue
                admins = User.objects.filter(
                    is_active=True, role_assignments__role=Role.CFLEX_ADMIN, role_assignments__revoked_at__isnull=True
                ).distinct()
                notification_queue(
                    recipients=list(admins),
                    template="qvc_expiry_reminder",
                    context={
                        "course": f"{ref.proposal.code} {ref.proposal.title}",
                        "reference": ref.reference,
                        "valid_until": ref.valid_until.isoformat(),
                        "months": months,
                    },
                    event_key=f"qvc:{ref.pk}:{months}",
                    url=settings.PUBLIC_BASE_URL + reverse("proposal-quality", args=[ref.proposal_id]),
                )
                audit_record(
                    actor=None,
                    action="proposal.quality_reminder",
                    obj=ref.proposal,
                    comment=f"{ref.reference}: {months} months before {ref.valid_until.isoformat()}",
                )
                sent += 1
    return sent
