"""Certificates, MMS statements and Open Badges 3.0 credentials (R-CR).

Senate approval of results records one ``IssuanceRequest`` per passing enrolment (R-RS-2) and
queues its issuance; a ``Credential`` is what the learner receives. Credentials are revoked or
replaced, never deleted (STYLE: revoke, never delete)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.db import JsonString


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    ISSUED = "issued", _("Issued")
    FAILED = "failed", _("Failed")


class CredentialStatus(models.TextChoices):
    ACTIVE = "active", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


class StatusPurpose(models.TextChoices):
    """Bitstring Status List purposes the portal publishes (R-CR-5)."""

    REVOCATION = "revocation", _("Revocation")
    SUSPENSION = "suspension", _("Suspension")


class IssuanceBatch(models.Model):
    """All credentials of one offering's Senate-approved results: what the CFLEX progress page
    follows."""

    offering_id = models.PositiveIntegerField(unique=True)
    course_code = models.CharField(max_length=20)
    course_title = models.CharField(max_length=250)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Issuance batch {self.pk} ({self.course_code})"


class IssuanceRequest(models.Model):
    enrolment_id = models.PositiveIntegerField(unique=True)
    offering_id = models.PositiveIntegerField(db_index=True)
    batch = models.ForeignKey(IssuanceBatch, on_delete=models.PROTECT, related_name="requests", null=True)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="issuance_requests")
    course_code = models.CharField(max_length=20)
    course_title = models.CharField(max_length=250)
    final_mark = models.DecimalField(max_digits=5, decimal_places=2)
    grade = models.CharField(max_length=4)
    policy_version_id = models.PositiveIntegerField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=8, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When a worker last started on it: a pending request tried long ago died with its worker
    # (credentials.requeue_stale sends it again).
    attempted_at = models.DateTimeField(null=True, blank=True)
    requeued_at = models.DateTimeField(null=True, blank=True)  # when the sweep last sent it again
    last_error = models.CharField(max_length=300, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["batch", "status"], name="request_batch_status"),
            models.Index(fields=["status", "attempted_at"], name="request_status_attempted"),
        ]

    def __str__(self) -> str:
        return f"Issuance request {self.pk}"


class _RowJSONField(models.JSONField):
    """A JSONField that a PostgreSQL bulk insert sends row by row (``VALUES``) instead of as one
    ``jsonb[]`` array (``UNNEST``): psycopg escapes every quote of a text array's elements in
    Python, which cost about a millisecond a signed credential (decision 0240). The same column
    and migrations as ``models.JSONField``."""

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        return "%s"

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs


class Credential(models.Model):
    """One award to one learner. The signed Open Badges 3.0 document is stored exactly as signed;
    the facts printed on the PDFs are stored beside it (identity masked only, R-CR-4)."""

    request = models.ForeignKey(IssuanceRequest, on_delete=models.PROTECT, related_name="credentials")
    enrolment_id = models.PositiveIntegerField()
    generation = models.PositiveSmallIntegerField(default=1)  # 2, 3… after re-issue
    offering_id = models.PositiveIntegerField(db_index=True)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credentials")
    serial = models.CharField(_("serial no."), max_length=32, unique=True)
    verification_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course_code = models.CharField(max_length=20)
    course_title = models.CharField(max_length=250)
    credits = models.DecimalField(max_digits=4, decimal_places=1)
    grade = models.CharField(max_length=4)
    facts = _RowJSONField()  # credentials.data.CredentialFacts as JSON
    document = _RowJSONField(null=True)  # the signed OpenBadgeCredential
    signed_with = models.CharField(max_length=200, blank=True)  # verification method id
    # The stored proof checked once, after issue by the render queue (docs/decisions/0121, 0240):
    # when, and why it failed ("" = it held).
    # The public page trusts this record while ``signed_with`` is still one of the published keys.
    signature_checked_at = models.DateTimeField(null=True, blank=True)
    signature_problem = models.CharField(max_length=300, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField(null=True, blank=True)  # none: a micro-credential does not lapse
    status = models.CharField(max_length=10, choices=CredentialStatus.choices, default=CredentialStatus.ACTIVE)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by")
    certificate_pdf = models.FileField(upload_to="credentials/", blank=True)
    mms_pdf = models.FileField(upload_to="credentials/", blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    # What the verdict reads from the signed document, kept by the database as columns of their
    # own (each a string, or NULL), so a public page's first view reads neither the document nor
    # its JSON (docs/decisions/0265). Always the document's own values: they cannot be written.
    document_issuer = models.GeneratedField(
        expression=Coalesce(JsonString("document", "issuer", "id"), JsonString("document", "issuer")),
        output_field=models.TextField(null=True),
        db_persist=True,
    )
    document_valid_from = models.GeneratedField(
        expression=JsonString("document", "validFrom"),
        output_field=models.TextField(null=True),
        db_persist=True,
    )
    document_valid_until = models.GeneratedField(
        expression=JsonString("document", "validUntil"),
        output_field=models.TextField(null=True),
        db_persist=True,
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            # R-CR-1: one credential per passing enrolment; a re-issue is the next generation.
            models.UniqueConstraint(fields=["enrolment_id", "generation"], name="credential_once_per_generation"),
            models.CheckConstraint(
                name="credential_status_valid", condition=models.Q(status__in=CredentialStatus.values)
            ),
        ]
        indexes = [models.Index(fields=["learner", "status"], name="credential_learner_status")]

    def __str__(self) -> str:
        return self.serial

    @property
    def is_active(self) -> bool:
        return self.status == CredentialStatus.ACTIVE


class StatusList(models.Model):
    """One published Bitstring Status List: the bits and the signed list credential served at a
    stable URL. A list's rows (revocation and suspension) are created and signed when the first
    credential pointing into it is issued, never by a public GET."""

    purpose = models.CharField(max_length=10, choices=StatusPurpose.choices)
    number = models.PositiveIntegerField()
    bits = models.BinaryField()
    signed = models.JSONField(null=True)  # BitstringStatusListCredential, re-signed on change
    # The DID the list was first published under; it is never re-signed as another (decision 0120).
    issuer_did = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["purpose", "number"]
        constraints = [models.UniqueConstraint(fields=["purpose", "number"], name="status_list_unique")]

    def __str__(self) -> str:
        return f"{self.purpose} list {self.number}"


class VerificationHit(models.Model):
    """Public verification traffic per month and channel, counted without any personal data."""

    class Channel(models.TextChoices):
        PAGE = "page", _("Verification page")
        JSON = "json", _("Credential JSON")
        UPLOAD = "upload", _("Uploaded file")

    month = models.DateField()  # first day of the month
    channel = models.CharField(max_length=8, choices=Channel.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-month", "channel"]
        constraints = [models.UniqueConstraint(fields=["month", "channel"], name="verification_hit_unique")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.channel}: {self.count}"


class WalletExchange(models.Model):
    """One offer of a credential to the learner's wallet (issue 16): a VC-API exchange the wallet
    reaches by a one-time, expiring URL. Only the sha256 of the URL's random token is kept, so
    the table does not hold live URLs; the challenge is what the wallet's DIDAuth must sign."""

    token_hash = models.CharField(max_length=64, unique=True)
    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, related_name="wallet_exchanges")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    challenge = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)  # set once: the exchange never works again
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Wallet exchange {self.pk}"


class BoundCredential(models.Model):
    """A copy of a credential issued to the holder's DID (``credentialSubject.id``) through a
    wallet exchange. It carries the original's status entry (the same bit of the same list), so
    it is revoked or suspended together with the original; never deleted."""

    credential = models.ForeignKey(Credential, on_delete=models.PROTECT, related_name="bound_copies")
    exchange = models.OneToOneField(WalletExchange, on_delete=models.PROTECT, related_name="bound_copy")
    copy_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the copy's id: urn:uuid:<copy_id>
    holder_did = models.CharField(max_length=300)
    document = models.JSONField()
    signed_with = models.CharField(max_length=200)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.credential.serial} bound to {self.holder_did[:40]}"


def _zip_upload_to(instance: BulkDownload, filename: str) -> str:
    return f"bulk-downloads/{uuid.uuid4().hex}.zip"


_private_zips = FileSystemStorage()


def private_zips() -> FileSystemStorage:
    """Under MEDIA_ROOT, never served by a URL route: a view hands the ZIP out after a check."""
    return _private_zips


class BulkDownload(models.Model):
    """One ZIP of every certificate and MMS of an offering, built by a Celery task for CFLEX and
    kept for a limited time (``BULK_ZIP_HOURS``), then deleted by the cleanup task."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Building")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    batch = models.ForeignKey(IssuanceBatch, on_delete=models.PROTECT, related_name="downloads")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=private_zips, upload_to=_zip_upload_to, blank=True, max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="bulk_download_status_valid",
                condition=models.Q(status__in=["pending", "running", "done", "failed", "expired"]),
            ),
        ]

    def __str__(self) -> str:
        return f"Bulk download {self.pk}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (100 if self.status == "done" else 0)


class Transcript(models.Model):
    """A learner's signed record of stacked micro-credentials (1EdTech CLR 2.0 ``ClrCredential``):
    the ``AchievementCredential``s they chose, embedded as signed, with totals of credits and SLT
    hours. Shared by an unguessable link; withdrawn (the link stops), never deleted."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="transcripts")
    share_token = models.CharField(max_length=64, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    credentials = models.ManyToManyField(Credential, related_name="transcripts")
    credits = models.DecimalField(max_digits=6, decimal_places=1)
    slt_hours = models.DecimalField(max_digits=8, decimal_places=1)
    document = models.JSONField(null=True)  # the signed ClrCredential
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Transcript {self.pk}"
