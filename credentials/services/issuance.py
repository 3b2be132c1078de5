"""Issuing credentials: one per passing enrolment, signed, recorded, rendered and announced.

Every function here may run twice (a retried or redelivered Celery task) and leaves one result:
the request row is locked, and ``(enrolment_id, generation)`` is unique."""

from __future__ import annotations

import os
import secrets
import threading
import uuid
from dataclasses import replace
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record, audit_record_many
from core.dates import add_months
from core.errors import ApplicationError, ErrorKind, not_found
from core.models import Notification
from core.services import notification_queue
from courses import api as courses_api
from courses.data import ReadyCourseData
from credentials import conf, ld
from credentials.data import CloResult, CredentialFacts
from credentials.models import (
    Credential,
    CredentialStatus,
    IssuanceBatch,
    IssuanceRequest,
    RequestStatus,
    StatusPurpose,
)
from credentials.policies import (
    BadgeInputs,
    email_identity_hash,
    facts_from_json,
    facts_to_json,
    image_object,
    open_badge_document,
    serial_format,
    status_position,
)
from enrolment import api as enrolment_api
from enrolment.data import AwardData

_IDENTITY_LABELS = {"nric": "NRIC", "passport": "Passport"}


# --- Requests and batches ----------------------------------------------------------------------
def batch_for_offering(*, offering_id: int, course_code: str, course_title: str) -> IssuanceBatch:
    batch, _ = IssuanceBatch.objects.get_or_create(
        offering_id=offering_id, defaults={"course_code": course_code, "course_title": course_title}
    )
    return batch


def issuance_enqueue(request_id: int) -> None:
    """Queue one request's issuance once the caller's transaction commits."""
    issuance_enqueue_many([request_id])


def issuance_enqueue_many(request_ids: list[int]) -> None:
    """Queue many requests' issuance once the caller's transaction commits: in id order (the
    stale sweep relies on it, decision 0142), ``ISSUE_CHUNK`` requests a task (decision 0240),
    over one broker connection."""
    ordered = sorted(request_ids)
    if ordered:
        transaction.on_commit(lambda: issuance_send(ordered))


def issuance_send(request_ids: list[int]) -> None:
    """Send issuing tasks now for ``request_ids`` (in the order given), ``ISSUE_CHUNK`` a task."""
    from credentials.tasks import credential_issue_task

    with credential_issue_task.app.producer_or_acquire() as producer:
        for start in range(0, len(request_ids), ISSUE_CHUNK):
            credential_issue_task.apply_async((request_ids[start : start + ISSUE_CHUNK],), producer=producer)


@transaction.atomic(durable=True)
def issuance_retry_failed(*, actor: User, batch_id: int) -> int:
    """CFLEX: put a batch's failed requests back in the queue. Returns how many."""
    from credentials.rules import can_manage_credentials

    if not can_manage_credentials(actor):
        raise ApplicationError("forbidden", _("Only CFLEX may retry issuance."), kind=ErrorKind.FORBIDDEN)
    batch = IssuanceBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None:
        raise not_found("batch", _("No such issuance batch."))
    failed = list(batch.requests.select_for_update().filter(status=RequestStatus.FAILED))
    for request in failed:
        request.status = RequestStatus.PENDING
        request.last_error = ""
        request.save(update_fields=["status", "last_error"])
        audit_record(actor=actor, action="credential.retry", obj=request, from_state="failed", to_state="pending")
    issuance_enqueue_many([request.pk for request in failed])
    return len(failed)


@transaction.atomic(durable=True)
def issuance_fail(*, request_id: int, error: str) -> None:
    """The task gave up after its retries: the request shows as failed on the batch page."""
    request = IssuanceRequest.objects.select_for_update().get(pk=request_id)
    if request.status == RequestStatus.ISSUED:
        return
    request.status = RequestStatus.FAILED
    request.last_error = error[:300]
    request.save(update_fields=["status", "last_error"])
    audit_record(actor=None, action="credential.fail", obj=request, to_state="failed", comment=error[:300])


# A credential takes milliseconds to issue: a request started this long ago and still pending
# lost its worker. A request never started this long after it was made lost its message.
STALE_ATTEMPT_SECONDS = 30
LOST_MESSAGE_MINUTES = 15


@transaction.atomic(durable=True)
def issuance_stale_requeue(*, now: datetime | None = None, limit: int = 1000) -> list[int]:
    """The pending requests credentials.requeue_stale sends again (decision 0142):

    - started over STALE_ATTEMPT_SECONDS ago: the worker died mid-task;
    - never started, though a later request of its batch (queued after it, so delivered after
      it) started over STALE_ATTEMPT_SECONDS ago: a dead worker had taken its message;
    - never started LOST_MESSAGE_MINUTES after it was made: its message was lost.

    Each is marked ``requeued_at`` and sent again once, not every sweep, unless a worker takes
    it up (and dies) again or another LOST_MESSAGE_MINUTES pass. Rows a live worker holds locked
    are skipped. Issuing is idempotent, so a request sent twice is still issued once."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=STALE_ATTEMPT_SECONDS)
    lost = now - timedelta(minutes=LOST_MESSAGE_MINUTES)
    pending = IssuanceRequest.objects.filter(status=RequestStatus.PENDING)
    # Per batch with requests waiting, the last request (by id, the order they were queued in)
    # that a worker started before ``stale``: every request queued before it was delivered.
    started_before = dict(
        IssuanceRequest.objects.filter(attempted_at__lt=stale, batch_id__in=pending.values("batch_id"))
        .values_list("batch_id")
        .annotate(last=Max("pk"))
        .values_list("batch_id", "last")
    )
    not_sent_since = Q(requeued_at__isnull=True) | Q(requeued_at__lt=lost)
    overtaken = Q(pk__in=[])
    for batch_id, last in started_before.items():
        overtaken |= Q(batch_id=batch_id, pk__lt=last)
    ids = list(
        pending.select_for_update(skip_locked=True)
        .filter(
            Q(attempted_at__lt=stale) & (not_sent_since | Q(requeued_at__lt=F("attempted_at")))
            | Q(attempted_at__isnull=True) & (overtaken | Q(requested_at__lt=lost)) & not_sent_since
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    IssuanceRequest.objects.filter(pk__in=ids).update(requeued_at=now)
    return ids


def issuance_attempt(*, request_ids: list[int]) -> None:
    """Count one more try of each request (shown on the batch page beside failures) and note when
    it started: committed at once, so the stale sweep sees requests whose worker died."""
    IssuanceRequest.objects.filter(pk__in=request_ids).update(attempts=F("attempts") + 1, attempted_at=timezone.now())


# --- Issuing ---------------------------------------------------------------------------------
# Requests one issuing task takes in one transaction (decision 0240): the statements, the status
# lists' check and the render messages are per chunk, not per credential.
ISSUE_CHUNK = 50


def credential_issue(*, request_id: int, now: datetime | None = None) -> Credential:
    """R-CR-1: the first-generation credential of one issuance request. Idempotent. The same
    service as a chunk (``credentials_issue``), for one request; a request whose enrolment did
    not pass raises its ``ApplicationError``."""
    result = credentials_issue(request_ids=[request_id], now=now).get(request_id)
    if result is None:
        raise IssuanceRequest.DoesNotExist(f"No issuance request {request_id}.")
    if isinstance(result, ApplicationError):
        raise result
    return result


@transaction.atomic
def credentials_issue(
    *, request_ids: list[int], now: datetime | None = None
) -> dict[int, Credential | ApplicationError]:
    """R-CR-1: the first-generation credentials of many issuance requests (a chunk of a batch),
    in one transaction. Idempotent: a request that already has its credential gets that one.

    The answer holds, per request id found, its credential or, for an enrolment that did not
    pass, the ``ApplicationError`` refusing it (nothing is written for that request; the caller
    marks it failed). A handful of statements a chunk, whatever its size (decision 0240): lock the
    requests in id order (with the id of any credential already issued for each), read the awards
    in one query, check each status list the chunk points into (the first credential of a list
    publishes it), insert the complete credentials (their ids reserved beforehand, so serials,
    status indexes and signatures go in with them), mark the requests issued, and one audit event
    per credential in one INSERT. Their PDFs and proof checks are queued after commit."""
    requests = list(
        IssuanceRequest.objects.select_for_update(of=("self",))
        .annotate(
            existing_id=Subquery(
                Credential.objects.filter(enrolment_id=OuterRef("enrolment_id"), generation=1).values("pk")[:1]
            )
        )
        .filter(pk__in=request_ids)
        .order_by("pk")
    )
    existing_ids = [r.existing_id for r in requests if r.existing_id is not None]
    existing = Credential.objects.in_bulk(existing_ids) if existing_ids else {}
    fresh = [r.enrolment_id for r in requests if r.existing_id is None]
    awards = enrolment_api.awards_get(fresh) if fresh else {}
    issued_at = now or timezone.now()
    chunk = _ChunkConstants()
    results: dict[int, Credential | ApplicationError] = {}
    made: list[Credential] = []
    to_mark: list[IssuanceRequest] = []
    for request in requests:
        if request.existing_id is not None:
            credential = existing[request.existing_id]
        else:
            award = awards.get(request.enrolment_id)
            if award is None:
                raise LookupError(f"No enrolment {request.enrolment_id} for issuance request {request.pk}.")
            if not award.passed:
                results[request.pk] = ApplicationError(
                    "not_passed", _("Only a passing enrolment earns a credential."), field="enrolment"
                )
                continue
            course, references = _course(award.proposal_id, stamp=award.course_stamp)
            credential = _create(
                request=request,
                award=award,
                course=course,
                references=references,
                generation=1,
                now=issued_at,
                chunk=chunk,
            )
            made.append(credential)
        results[request.pk] = credential
        if request.status != RequestStatus.ISSUED:
            request.status = RequestStatus.ISSUED
            request.issued_at = credential.issued_at
            request.last_error = ""
            to_mark.append(request)
    _record(made)
    # One UPDATE per issue time: the chunk's new credentials share theirs.
    for when in {r.issued_at for r in to_mark}:
        IssuanceRequest.objects.filter(pk__in=[r.pk for r in to_mark if r.issued_at == when]).update(
            status=RequestStatus.ISSUED, issued_at=when, last_error=""
        )
    audit_record_many(actor=None, action="credential.issue", objs=list(made), to_state=CredentialStatus.ACTIVE)
    _after_issue(made)
    return results


# A batch issues hundreds of credentials of one course: its description is read once per
# process and change of the course record (the award query reads its stamp), not per learner.
_COURSES: dict[str, tuple[ReadyCourseData, dict[str, str]]] = {}


def _course(proposal_id: int, *, stamp: str = "") -> tuple[ReadyCourseData, dict[str, str]]:
    stamp = stamp or courses_api.course_stamp(proposal_id)
    cached = _COURSES.get(stamp)
    if cached is None:
        if len(_COURSES) > 64:
            _COURSES.clear()
        cached = (courses_api.ready_course_get(proposal_id), courses_api.registration_references(proposal_id))
        _COURSES[stamp] = cached
    return cached


def _create(
    *,
    request: IssuanceRequest,
    award: AwardData,
    course: ReadyCourseData,
    references: dict[str, str],
    generation: int,
    now: datetime | None,
    replaces: Credential | None = None,
    chunk: _ChunkConstants | None = None,
) -> Credential:
    issued_at = now or timezone.now()
    chunk = chunk or _ChunkConstants()
    facts = award_facts(
        award=award,
        course=course,
        references=references,
        serial="pending",
        verification_id="",
        issued_on=issued_at,
        lookup_url=chunk.lookup_url,
    )
    valid_until = credential_valid_until(issued_at, award.credential_validity_months)
    credential = Credential(
        request=request,
        enrolment_id=award.enrolment_id,
        generation=generation,
        offering_id=award.offering_id,
        learner_id=award.learner_id,
        serial=f"pending-{secrets.token_hex(8)}",
        course_code=course.code,
        course_title=course.title,
        credits=course.credits,
        grade=award.grade,
        facts={},
        issued_at=issued_at,
        valid_until=valid_until,
        replaces=replaces,
    )
    reserved = _credential_ids.take()
    if reserved is None:  # no sequence to reserve from (SQLite): insert now, complete below
        credential.save(force_insert=True)
    else:
        credential.pk = reserved
    # The row id is never reused, so the serial built from it is unique and never reused.
    credential.serial = serial_format(timezone.localdate(issued_at).year, credential.pk)
    vid = str(credential.verification_id)
    facts = replace(
        facts,
        serial=credential.serial,
        verification_id=vid,
        verification_url=chunk.verification_url(vid),
        valid_until=timezone.localdate(valid_until).isoformat() if valid_until else "",
    )
    credential.facts = facts_to_json(facts)
    document = open_badge_document(
        BadgeInputs(
            facts=facts,
            credential_url=chunk.credential_json_url(vid),
            base_url=chunk.base_url,
            own_context_url=chunk.own_context_url,
            issuer_id=chunk.issuer_id,
            issuer_name=chunk.issuer_name,
            issuer_email=chunk.issuer_email,
            subject_email_hash="",
            subject_salt="",
            valid_from=award.results_approved_at or issued_at,  # R-RS-4: the Senate approval
            valid_until=credential.valid_until,
            status_entries=chunk.status_entries(credential.pk),
            achievement_description=course.synopsis,
            criteria=_criteria(facts),
            activity_start=award.starts_on,
            activity_end=award.ends_on,
            replaces_url=credential_json_url(str(replaces.verification_id)) if replaces else "",
            achievement_image=image_object(
                url=chunk.badge_url(course.code),
                caption=f"Badge of the UNIMAS micro-credential {course.code} {course.title} ({facts.course_level})",
            ),
            issuer_image=dict(chunk.issuer_image),
            mqr_url=chunk.mqr_url,
            qvc_url=chunk.qvc_url,
        )
    )
    salt = secrets.token_hex(8)
    for identifier in document["credentialSubject"]["identifier"]:
        if identifier["identityType"] == "emailAddress":
            identifier["identityHash"] = email_identity_hash(award.learner_email, salt)
            identifier["salt"] = salt
    credential.document = ld.sign(
        document, key=chunk.key, created=issued_at, verification_method=chunk.verification_method
    )
    credential.signed_with = chunk.verification_method
    return credential  # saved by _record


class _ChunkConstants:
    """What every credential a chunk issues is built from and that does not depend on the
    learner: the issuer, the signing key, and the URL patterns, each reversed once a chunk with a
    placeholder that a credential's own id then replaces (decision 0260). Made afresh for every
    chunk, so a changed setting or URLconf is seen by the next one."""

    # A valid UUID (the verification pages' converter) that no real verification id ever is
    # (uuid4 sets the version digit to 4): it appears once in each reversed URL, and only there.
    _ID = "00000000-0000-0000-0000-000000000000"

    def __init__(self) -> None:
        self.base_url = conf.base_url()
        self.own_context_url = ld.own_context_url()
        self.issuer_id = ld.portal_did()
        self.issuer_name = conf.institution()
        self.issuer_email = conf.issuer_email()
        self.issuer_image = issuer_image()
        self.mqr_url = conf.mqr_url()
        self.qvc_url = conf.qvc_url()
        self.lookup_url = self.base_url + reverse("credentials:verify_lookup")
        self.key = ld.portal_keys()[0]
        self.verification_method = ld.verification_method_id(self.key)
        self._verify = verification_url(self._ID)
        self._verify_json = credential_json_url(self._ID)
        self._badges: dict[str, str] = {}
        self._lists: dict[int, str] = {}

    def verification_url(self, verification_id: str) -> str:
        return self._verify.replace(self._ID, str(uuid.UUID(verification_id)))

    def credential_json_url(self, verification_id: str) -> str:
        return self._verify_json.replace(self._ID, str(uuid.UUID(verification_id)))

    def badge_url(self, code: str) -> str:
        if code not in self._badges:
            self._badges[code] = badge_url(code)
        return self._badges[code]

    def status_entries(self, credential_id: int) -> tuple[dict[str, object], ...]:
        """As ``status_entries``, each list's URL reversed once."""
        position = status_position(credential_id)
        purpose = StatusPurpose.REVOCATION.value
        if position.number not in self._lists:
            self._lists[position.number] = status_list_url(purpose, position.number)
        list_url = self._lists[position.number]
        return (ld.status_entry(list_url=list_url, purpose=purpose, index=position.index),)


_COMPLETED_FIELDS = ["serial", "facts", "document", "signed_with"]


def _record(credentials: list[Credential]) -> None:
    """Write credentials made by ``_create``: first, issue 13, their status lists are published if
    they are the first in them (once per list, not per credential); then the rows whose ids were
    reserved go in with one INSERT, and those already inserted (SQLite) are completed. Their
    proofs are checked after commit, by the render queue (decision 0240)."""
    from credentials.services.status import status_lists_ensure

    for number in sorted({status_position(c.pk).number for c in credentials}):
        status_lists_ensure(number)
    reserved = [c for c in credentials if c._state.adding]
    inserted = [c for c in credentials if not c._state.adding]
    if reserved:
        Credential.objects.bulk_create(reserved)
    if inserted:
        Credential.objects.bulk_update(inserted, _COMPLETED_FIELDS)


class _ReservedIds:
    """Credential ids taken from the table's own sequence (PostgreSQL) a block at a time, so a
    credential's id, and the serial, status index and signature that depend on it, are known
    before its one INSERT. A reserved id that is never used is a gap, never a reuse; a forked
    worker process starts its own block."""

    BLOCK = 100

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: list[int] = []
        self._pid = 0

    def take(self) -> int | None:
        if connection.vendor != "postgresql":
            return None
        with self._lock:
            if self._pid != os.getpid():
                self._free, self._pid = [], os.getpid()
            if not self._free:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                        [Credential._meta.db_table, self.BLOCK],
                    )
                    self._free = [row[0] for row in cursor.fetchall()]
                self._free.reverse()
            return self._free.pop()


_credential_ids = _ReservedIds()


def credential_valid_until(issued_at: datetime, months: int | None) -> datetime | None:
    """R-CR-6: where the result's policy sets a credential validity in months (off by default),
    the credential lapses at the end of the day that many months after issue (local time)."""
    if not months:
        return None
    last_day = add_months(timezone.localdate(issued_at), months)
    return timezone.make_aware(datetime.combine(last_day, time.max.replace(microsecond=0)))


def _criteria(facts: CredentialFacts) -> str:
    """The achievement's ``criteria.narrative`` (Markdown in OB 3.0): what earning it took, then
    the course learning outcomes, each the sentence the course page and the MMS print (R-AF-4)."""
    narrative = (
        f"Complete {facts.course_code} {facts.course_title} ({facts.slt_hours} hours of student learning time) and "
        f"pass its continuous ({facts.formative_percent}%) and final ({facts.summative_percent}%) assessments, "
        "with results approved by the UNIMAS Senate."
    )
    outcomes = [f"{n}. {clo.outcome}" for n, clo in enumerate(sorted(facts.clos, key=lambda c: c.position), 1)]
    if not outcomes:
        return narrative
    return "\n\n".join((narrative, "The learner is able to:", "\n".join(outcomes)))


def status_entries(credential_id: int) -> tuple[dict[str, object], ...]:
    """One entry, revocation (OB 3.0 allows one): suspension is published in the portal's own
    suspension list and checked by the portal (docs/decisions/0122)."""
    position = status_position(credential_id)
    purpose = StatusPurpose.REVOCATION.value
    return (ld.status_entry(list_url=status_list_url(purpose, position.number), purpose=purpose, index=position.index),)


def award_facts(
    *,
    award: AwardData,
    course: ReadyCourseData,
    references: dict[str, str],
    serial: str,
    verification_id: str,
    issued_on: datetime,
    lookup_url: str | None = None,
) -> CredentialFacts:
    """The MMS facts of an award (R-CR-2). The identity number is masked (R-CR-4).
    ``lookup_url``: the verification lookup page's URL, when the caller has it already."""
    if references.get("mqa"):
        assurance = f"MQA accredited programme component (MQA registration {references['mqa']})"
    elif course.is_accredited:
        assurance = "Component of an MQA-accredited UNIMAS programme"
    elif course.kind == "cat3_qvc":
        assurance = "Stand-alone micro-credential verified by an MQA-appointed Quality Verification Centre"
    else:
        assurance = "Approved by the UNIMAS Senate"
    quality_kind = references.get("quality_kind", "")
    if quality_kind:
        # R-CR-6 / R-QA-3: the MQR reference or QVC verification, with its validity.
        label = "MQR reference" if quality_kind == "mqr" else "QVC verification"
        assurance += (
            f"; {label} {references['quality_reference']}, valid "
            f"{references['quality_valid_from']} to {references['quality_valid_until']}"
        )
    if references.get("unimas"):
        assurance += f"; UNIMAS registration {references['unimas']}"
    formative = sum(c.weight for c in course.components if c.kind != "final")
    weeks = max(1, round(((award.ends_on - award.starts_on).days + 1) / 7))
    signatory_name, signatory_title = conf.signatory()
    approved = award.results_approved_at or issued_on
    return CredentialFacts(
        serial=serial,
        verification_id=verification_id,
        verification_url=verification_url(verification_id) if verification_id else "",
        # R-RS-4: the issue date is the Senate approval date (never before the course ended).
        issued_on=timezone.localdate(approved),
        learner_name=award.learner_name,
        identity_label=_IDENTITY_LABELS.get(award.identity_kind, "Identity document"),
        identity_masked=("*" * 8 + award.identity_last4) if award.identity_last4 else "",
        course_code=course.code,
        course_title=course.title,
        programme=(
            f"{course.origin_programme_name} ({course.origin_course_code} {course.origin_course_name})"
            if course.origin_programme_name
            else "Stand-alone micro-credential"
        ),
        institution=conf.institution(),
        institution_status=conf.institution_status(),
        language=conf.language(),
        delivery=course.delivery_mode_label or "Online",
        mode_of_study=f"Part-time, {'eLEAP' if award.platform == 'eleap' else 'Learning for Life (L4L)'} platform",
        course_level=f"MQF Level {course.course_level}" if course.course_level else "Not levelled",
        credits=Decimal(course.credits),
        slt_hours=Decimal(course.slt_hours).quantize(Decimal("0.1")),
        duration=f"{award.starts_on:%d %b %Y} to {award.ends_on:%d %b %Y} ({weeks} weeks)",
        # The approved course's entry requirements (R-CR-2), not the offering's tick-box statements
        # learners confirm when enrolling (issue 17).
        enrolment_requirements=course.entry_requirements or "Open to all learners",
        clos=tuple(
            CloResult(position=clo.number, outcome=clo.text, attainment=award.clo_attainment.get(clo.id))
            for clo in course.clos
        ),
        formative_percent=formative,
        summative_percent=100 - formative,
        grade=award.grade,
        final_mark=award.final_mark if award.final_mark is not None else Decimal(0),
        quality_assurance=assurance,
        seal_date=timezone.localdate(approved),
        signatory_name=signatory_name,
        signatory_title=signatory_title,
        contact=f"{conf.issuer_email()} · {lookup_url or conf.base_url() + reverse('credentials:verify_lookup')}",
        quality_kind=quality_kind,
        quality_reference=references.get("quality_reference", ""),
        quality_valid_from=references.get("quality_valid_from", ""),
        quality_valid_until=references.get("quality_valid_until", ""),
    )


def _after_issue(credentials: list[Credential]) -> None:
    """After commit: one render-queue message for the credentials issued together, which renders
    each one's PDFs and checks its proof (decision 0240)."""
    from credentials.tasks import credential_render_task

    ids = [c.pk for c in credentials]
    if ids:
        transaction.on_commit(lambda: credential_render_task.delay(ids))


# --- URLs ------------------------------------------------------------------------------------
def verification_url(verification_id: str) -> str:
    return conf.base_url() + reverse("credentials:verify", args=[verification_id])


def credential_json_url(verification_id: str) -> str:
    return conf.base_url() + reverse("credentials:verify_json", args=[verification_id])


def badge_url(code: str, kind: str = "png") -> str:
    """The achievement's badge image (issue 16): PNG for wallets and LinkedIn, or SVG."""
    return conf.base_url() + reverse(f"credentials:badge_{kind}", args=[code])


def issuer_image() -> dict[str, str]:
    """The issuer's ``image``: the UNIMAS crest the certificates print."""
    return image_object(
        url=conf.base_url() + reverse("credentials:issuer_image"), caption=f"{conf.institution()} crest"
    )


def status_list_url(purpose: str, number: int) -> str:
    return conf.base_url() + reverse("credentials:status_list", args=[purpose, number])


# --- Rendering and announcing -----------------------------------------------------------------
def credential_facts(credential: Credential) -> CredentialFacts:
    return stored_facts(credential.facts, status=credential.status)


def stored_facts(facts: dict[str, Any], *, status: str) -> CredentialFacts:
    """A credential's stored facts, marked revoked when its status is: from the model
    (``credential_facts``) or from the columns a verification page's first view reads."""
    return facts_from_json(facts, revoked=status == CredentialStatus.REVOKED)


PDF_KINDS = ("certificate", "mms")


def credential_render(*, credential_id: int) -> Credential:
    """The render queue's task: check the credential's proof once and keep the result (decision
    0240), render and keep the certificate and MMS PDFs (idempotent), then tell the learner they
    are ready."""
    from credentials.services.verification import credential_proof_record

    credential = Credential.objects.get(pk=credential_id)
    credential_proof_record(credential)
    for kind in PDF_KINDS:
        if not _pdf_field(credential, kind):
            credential = _render_and_keep(credential, kind)
    credential_announce(credential_id=credential.pk)
    return credential


def _pdf_field(credential: Credential, kind: str) -> FieldFile:
    return credential.certificate_pdf if kind == "certificate" else credential.mms_pdf


def _render_and_keep(credential: Credential, kind: str) -> Credential:
    """Render one PDF outside any lock, then keep it unless someone kept one meanwhile (the
    render worker and a learner asking at the same moment): the first kept stays, so every
    download of a credential gets the same file."""
    from credentials.pdf import certificate_pdf, mms_pdf

    facts = credential_facts(credential)
    render = certificate_pdf if kind == "certificate" else mms_pdf
    pdf = render(facts, document=credential.document)  # the signed credential goes inside
    field_name = f"{kind}_pdf"
    with transaction.atomic():
        locked = Credential.objects.select_for_update().get(pk=credential.pk)
        field = _pdf_field(locked, kind)
        if not field:
            field.save(f"{locked.verification_id}/{kind}.pdf", ContentFile(pdf), save=False)
            locked.save(update_fields=[field_name])
    return locked


@transaction.atomic
def credential_announce(*, credential_id: int) -> None:
    """Email the learner (BM / EN) that the certificate, MMS and badge are ready. Once."""
    credential = Credential.objects.select_for_update().select_related("learner").get(pk=credential_id)
    if credential.notified_at is not None:
        return
    credential.notified_at = timezone.now()
    credential.save(update_fields=["notified_at"])
    credential_ready_mail_queue(credential=credential, event_key=f"credential:{credential.pk}:ready")


def credential_ready_mail_queue(*, credential: Credential, event_key: str) -> list[Notification]:
    """Queue the "your certificate is ready" mail for ``credential`` once per ``event_key``."""
    return notification_queue(
        recipients=[credential.learner],
        template="credential_ready",
        context={
            "course": f"{credential.course_code} {credential.course_title}",
            "serial": credential.serial,
            "verify_url": verification_url(str(credential.verification_id)),
        },
        event_key=event_key,
        url=conf.base_url() + reverse("credentials:wallet"),
    )


def credential_pdf(credential: Credential, kind: str) -> bytes:
    """A kept PDF; one the render queue has not reached yet is rendered now (only the one asked
    for) and kept, so nobody waits for a batch's backlog (issue 15)."""
    if kind not in PDF_KINDS:
        raise ValueError(f"unknown PDF kind {kind!r}")
    if not _pdf_field(credential, kind):
        credential = _render_and_keep(credential, kind)
    with _pdf_field(credential, kind).open("rb") as handle:
        return handle.read()


# --- Re-issue --------------------------------------------------------------------------------
@transaction.atomic
def credential_reissue(*, actor: User, credential_id: int, reason: str) -> Credential:
    """A corrected credential (e.g. after a name correction): the next generation is issued from
    today's records and the old one is revoked with a pointer to it."""
    from credentials.rules import can_manage_credentials
    from credentials.services.status import credential_status_change

    if not can_manage_credentials(actor):
        raise ApplicationError("forbidden", _("Only CFLEX may re-issue credentials."), kind=ErrorKind.FORBIDDEN)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("reason_required", _("Say why the credential is re-issued."), field="reason")
    old = Credential.objects.select_for_update().filter(pk=credential_id).first()
    if old is None:
        raise not_found("credential", _("No such credential."))
    if old.status == CredentialStatus.REVOKED:
        raise ApplicationError(
            "already_revoked",
            _("A revoked credential cannot be re-issued."),
            field="credential",
            kind=ErrorKind.CONFLICT,
        )
    award = enrolment_api.award_get(old.enrolment_id)
    course, references = _course(award.proposal_id)
    new = _create(
        request=old.request,
        award=award,
        course=course,
        references=references,
        generation=old.generation + 1,
        now=None,
        replaces=old,
    )
    _record([new])
    audit_record(actor=actor, action="credential.reissue", obj=new, to_state=CredentialStatus.ACTIVE, comment=reason)
    credential_status_change(
        actor=actor, credential_id=old.pk, action="revoke", reason=f"Re-issued as {new.serial}: {reason}"
    )
    _after_issue([new])
    return new


# --- Expiry reminders (R-CR-6) -------------------------------------------------------------------
def credential_expiry_reminders_send(*, now: datetime | None = None) -> int:
    """Daily (Celery beat): tell each learner whose active credential lapses within the policy's
    ``credential_reminder_days``, once per credential (the notification's event key is unique),
    however often this runs. Returns how many reminders it queued now."""
    from policy.api import policy_in_force

    now = now or timezone.now()
    days = policy_in_force(timezone.localdate(now)).credential_reminder_days
    due = Credential.objects.filter(
        status=CredentialStatus.ACTIVE, valid_until__gt=now, valid_until__lte=now + timedelta(days=days)
    ).select_related("learner")
    sent = 0
    for credential in due.iterator():
        with transaction.atomic():
            sent += len(
                notification_queue(
                    recipients=[credential.learner],
                    template="credential_expiring",
                    context={
                        "course": f"{credential.course_code} {credential.course_title}",
                        "serial": credential.serial,
                        "valid_until": timezone.localdate(credential.valid_until).isoformat(),
                    },
                    event_key=f"credential:{credential.pk}:expiring",
                    url=conf.base_url() + reverse("credentials:wallet"),
                )
            )
    return sent
