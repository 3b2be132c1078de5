"""The SAMC market survey's analysis file (R-AF-3): checked by content, stored privately."""

from __future__ import annotations

import hashlib
from typing import BinaryIO, cast

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from core.errors import ApplicationError
from courses.choices import STANDALONE_KINDS
from courses.models import MarketSurvey, Proposal
from courses.policies import UploadRefused, sniff_upload
from courses.services._access import locked, require


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic(durable=True)
def market_survey_attach(*, actor: User, proposal: Proposal, upload: UploadedFile) -> MarketSurvey:
    """Attach (or replace) the analysis: PDF, XLSX or CSV by content, within the size limit."""
    proposal = locked(proposal)
    require(actor, "courses.change_proposal", proposal)
    if proposal.kind not in STANDALONE_KINDS:
        raise ApplicationError(
            "survey_not_standalone",
            _("R-AF-3: only a stand-alone micro-credential has a market survey."),
            field="survey_file",
        )
    name = upload.name or ""
    try:
        kind = sniff_upload(
            cast(BinaryIO, upload), name=name, size=upload.size or 0, max_bytes=settings.MCPORTAL_UPLOAD_MAX_BYTES
        )
    except UploadRefused as refused:
        problem = refused.problem
        raise ApplicationError(problem.code, f"{problem.rule_id}: {problem.message}", field=problem.field) from None
    survey, _created = MarketSurvey.objects.get_or_create(proposal=proposal)
    old = survey.analysis_file.name if survey.analysis_file else ""
    sha256 = _sha256(upload)
    survey.analysis_file.save(name, upload, save=False)
    survey.file_name = name[-200:]
    survey.file_kind = kind
    survey.file_size = upload.size
    survey.file_sha256 = sha256
    survey.uploaded_at = survey.updated_at = timezone.now()
    survey.uploaded_by = actor
    survey.save()
    if old:
        storage = survey.analysis_file.storage
        transaction.on_commit(lambda: storage.delete(old))
    audit_record(
        actor=actor,
        action="proposal.survey_attach",
        obj=proposal,
        data={"file_name": survey.file_name, "kind": kind, "size": survey.file_size, "sha256": sha256},
    )
    return survey
