"""Signed transcripts of stacked micro-credentials (1EdTech CLR 2.0, issue 16): a learner picks
some or all of their credentials and gets one signed ``ClrCredential`` with an unguessable share
link, a public page and a PDF (PDF/A-3b with ``clr.json`` inside). Audited; withdrawn, never
deleted."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind, not_found
from credentials import conf, ld
from credentials.models import Credential, CredentialStatus, Transcript
from credentials.transcript import MAX_EMBEDDED, clr_document, iso, totals

TITLE_MAX = 200


def transcript_url(token: str) -> str:
    """The share link: the transcript's public page."""
    return conf.base_url() + reverse("credentials:transcript", args=[token])


def transcript_json_url(token: str) -> str:
    return conf.base_url() + reverse("credentials:transcript_json", args=[token])


def transcript_create(*, actor: User, credential_ids: list[int], title: str = "") -> Transcript:
    """One signed transcript of the learner's own chosen, standing credentials. Another person's
    credential id is "not found" (404), as if it did not exist."""
    wanted = list(dict.fromkeys(credential_ids))
    if not wanted:
        raise ApplicationError("credentials_required", _("Choose at least one credential."), field="credentials")
    if len(wanted) > MAX_EMBEDDED:
        raise ApplicationError(
            "too_many_credentials",
            _("A transcript holds at most %(n)d credentials.") % {"n": MAX_EMBEDDED},
            field="credentials",
        )
    title = " ".join((title or "").split())[:TITLE_MAX] or _("Record of micro-credentials")
    with transaction.atomic(durable=True):
        found = {
            c.pk: c
            for c in Credential.objects.select_for_update().filter(pk__in=wanted, learner=actor).order_by("issued_at")
        }
        if len(found) != len(wanted):
            raise not_found("credential", _("No such credential."))
        chosen = [found[pk] for pk in wanted]
        standing = [c for c in chosen if c.status != CredentialStatus.ACTIVE or c.document is None]
        if standing:
            raise ApplicationError(
                "credential_not_active",
                _("%(serial)s is revoked or suspended; a transcript holds only valid credentials.")
                % {"serial": standing[0].serial},
                field="credentials",
                kind=ErrorKind.CONFLICT,
            )
        documents = [c.document for c in chosen if c.document is not None]
        summed = totals(documents)
        token = secrets.token_urlsafe(24)  # 192 bits: the link is the only key to the page
        now = timezone.now()
        document = clr_document(
            transcript_url=transcript_json_url(token),
            title=title,
            issuer_id=ld.portal_did(),
            issuer_name=conf.institution(),
            issuer_url=conf.base_url(),
            issuer_email=conf.issuer_email(),
            learner_name=actor.get_full_name() or str(actor),
            credentials=documents,
            valid_from=iso(now),
            own_context_url=ld.own_context_url(),
        )
        transcript = Transcript.objects.create(
            learner=actor,
            share_token=token,
            title=title,
            credits=summed.credits,
            slt_hours=summed.slt_hours,
            document=ld.sign(document, key=ld.portal_keys()[0], created=now),
            created_at=now,
        )
        transcript.credentials.set(chosen)
        audit_record(
            actor=actor,
            action="transcript.create",
            obj=transcript,
            data={
                "credentials": [c.serial for c in chosen],
                "credits": str(summed.credits),
                "slt_hours": str(summed.slt_hours),
            },
        )
    return transcript


def transcript_withdraw(*, actor: User, transcript_id: int) -> Transcript:
    """The learner stops sharing a transcript: its link and PDF answer 404 from now on."""
    with transaction.atomic(durable=True):
        transcript = Transcript.objects.select_for_update().filter(pk=transcript_id, learner=actor).first()
        if transcript is None:
            raise not_found("transcript", _("No such transcript."))
        if transcript.withdrawn_at is None:
            transcript.withdrawn_at = timezone.now()
            transcript.save(update_fields=["withdrawn_at"])
            audit_record(actor=actor, action="transcript.withdraw", obj=transcript)
    return transcript


def transcript_by_token(token: str) -> Transcript | None:
    """A shared (not withdrawn) transcript by its link's token."""
    return (
        Transcript.objects.select_related("learner").filter(share_token=token, withdrawn_at__isnull=True).first()
        if token
        else None
    )


def transcript_pdf(transcript: Transcript) -> bytes:
    """The transcript as a PDF/A-3b, tagged, with the signed ``clr.json`` embedded."""
    import json

    from django.template.loader import render_to_string
    from django.utils import translation

    from core.pdf import PdfAttachment, render_pdf
    from credentials.qr import qr_data_uri

    assert transcript.document is not None
    url = transcript_url(transcript.share_token)
    rows = [
        item["credentialSubject"]["achievement"]
        for item in transcript.document["credentialSubject"]["verifiableCredential"]
    ]
    with translation.override("en"):
        html = render_to_string(
            "credentials/transcript_pdf.html",
            {"t": transcript, "rows": rows, "url": url, "qr": qr_data_uri(url), "institution": conf.institution()},
        )
    data = json.dumps(transcript.document, ensure_ascii=False, indent=2).encode()
    attachment = PdfAttachment(name="clr.json", data=data, description="Signed 1EdTech CLR 2.0 transcript")
    return render_pdf(html, archival=True, attachments=(attachment,))
