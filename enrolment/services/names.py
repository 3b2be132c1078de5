"""R-CR-7: a learner's legal name after their first credential changes only through a request
with an identity document, which CFLEX approves (re-issuing the affected credentials) or
refuses. Every step is audited and the learner is told (docs/decisions/0180)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.validators import legal_name_clean
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind, not_found
from core.services import notification_queue
from enrolment.choices import NameChangeStatus
from enrolment.models import LearnerProfile, NameChangeRequest
from enrolment.policies import evidence_kind
from enrolment.ports import credentials

REASON_MAX = 1000


def legal_name_locked(user_id: int) -> bool:
    """R-CR-7: once a learner holds a credential, the profile form no longer changes the name."""
    return credentials().learner_has_credentials(user_id)


def legal_name_locked_error() -> ApplicationError:
    return ApplicationError(
        "legal_name_locked",
        _(
            "Your name is printed on credentials already issued, so it changes only through a name "
            "change request with your identity document."
        ),
        field="legal_name",
        kind=ErrorKind.CONFLICT,
    )


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic(durable=True)
def name_change_request(*, actor: User, new_name: str, reason: str, evidence: UploadedFile | None) -> NameChangeRequest:
    """The learner asks for their legal name to become ``new_name``, with an identity document
    (PDF, PNG or JPEG by content, within the upload size limit). One open request at a time."""
    if not actor.has_perm("enrolment.enrol"):
        raise ApplicationError(
            "profile_forbidden", _("Only learners keep a learner profile."), kind=ErrorKind.FORBIDDEN
        )
    profile = LearnerProfile.objects.select_for_update().filter(user=actor).first()
    if profile is None:
        raise ApplicationError("profile_required", _("Fill in your learner profile first."), field="new_name")
    new_name = legal_name_clean(new_name, field="new_name")
    if new_name == profile.legal_name:
        raise ApplicationError("name_unchanged", _("The new name is the same as your name now."), field="new_name")
    reason = (reason or "").strip()[:REASON_MAX]
    if evidence is None:
        raise ApplicationError(
            "evidence_required", _("Upload your identity document (PDF, PNG or JPEG)."), field="evidence"
        )
    size = evidence.size or 0
    if size > settings.MCPORTAL_UPLOAD_MAX_BYTES:
        raise ApplicationError(
            "evidence_too_large",
            _("The document is larger than %(mb)s MB.") % {"mb": settings.MCPORTAL_UPLOAD_MAX_BYTES // (1024 * 1024)},
            field="evidence",
        )
    evidence.seek(0)
    head = evidence.read(16)
    evidence.seek(0)
    name = (evidence.name or "")[-200:]
    kind = evidence_kind(head, name=name)
    if kind is None:
        raise ApplicationError(
            "evidence_type",
            _("The document must be a PDF, PNG or JPEG file, and its name must end as its content is."),
            field="evidence",
        )
    request = NameChangeRequest(
        user=actor,
        old_name=profile.legal_name,
        new_name=new_name,
        reason=reason,
        evidence_name=name,
        evidence_kind=kind,
        evidence_size=size,
        evidence_sha256=_sha256(evidence),
    )
    try:
        with transaction.atomic():
            request.evidence.save(name, evidence, save=False)
            request.save()
    except IntegrityError:
        stored = request.evidence.name
        if stored:
            storage = request.evidence.storage
            transaction.on_commit(lambda: storage.delete(stored))
        raise ApplicationError(
            "name_change_pending",
            _("You already have a name change request waiting for CFLEX."),
            field="new_name",
            kind=ErrorKind.CONFLICT,
        ) from None
    audit_record(
        actor=actor,
        action="name_change.request",
        obj=request,
        to_state=NameChangeStatus.PENDING,
        data={"kind": kind, "size": size, "sha256": request.evidence_sha256},
    )
    return request


@transaction.atomic(durable=True)
def name_change_decide(*, actor: User, request_id: int, approve: bool, comment: str) -> NameChangeRequest:
    """CFLEX approves (the profile takes the new name and every credential not revoked is
    re-issued with it, the old one revoked with a pointer) or refuses (a comment is required)."""
    if not actor.has_perm("enrolment.decide_name_change"):
        raise not_found("name_change")
    request = NameChangeRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise not_found("name_change")
    if request.status != NameChangeStatus.PENDING:
        raise ApplicationError(
            "name_change_decided", _("This request has already been decided."), kind=ErrorKind.CONFLICT
        )
    comment = (comment or "").strip()[:REASON_MAX]
    if not approve and not comment:
        raise ApplicationError("comment_required", _("Say why the request is refused."), field="comment")
    request.status = NameChangeStatus.APPROVED if approve else NameChangeStatus.REFUSED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_comment = comment
    serials: list[str] = []
    if approve:
        profile = LearnerProfile.objects.select_for_update().get(user_id=request.user_id)
        profile.legal_name = request.new_name
        profile.updated_at = request.decided_at
        profile.save(update_fields=["legal_name", "updated_at"])
        audit_record(actor=actor, action="learner_profile.name_change", obj=profile, comment=f"request {request.pk}")
        serials = credentials().credentials_reissue_for_learner(
            actor=actor, learner_id=request.user_id, reason=f"Legal name corrected (name change request {request.pk})"
        )
        request.reissued = len(serials)
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_comment", "reissued"])
    audit_record(
        actor=actor,
        action="name_change.approve" if approve else "name_change.refuse",
        obj=request,
        from_state=NameChangeStatus.PENDING,
        to_state=request.status,
        comment=comment,
        data={"reissued": serials},
    )
    notification_queue(
        recipients=[request.user],
        template="name_change_decided",
        context={"approved": approve, "new_name": request.new_name, "comment": comment, "reissued": len(serials)},
        event_key=f"name_change:{request.pk}:{request.status}",
        url=settings.PUBLIC_BASE_URL + reverse("name-change"),
    )
    return request
