"""Reads of credentials, batches and their history."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from audit.models import AuditEvent
from core.db import planned_cursor
from credentials.models import Credential, IssuanceBatch, IssuanceRequest, RequestStatus, StatusList, Transcript

if TYPE_CHECKING:
    from credentials.badges import BadgeFacts


def credentials_of(user: User) -> QuerySet[Credential]:
    return Credential.objects.filter(learner=user).select_related("replaced_by").order_by("-issued_at", "-pk")


def transcripts_of(user: User) -> QuerySet[Transcript]:
    """The learner's own shared transcripts (withdrawn ones are not listed)."""
    return Transcript.objects.filter(learner=user, withdrawn_at__isnull=True).prefetch_related("credentials")


@dataclass(frozen=True)
class BatchProgress:
    id: int
    offering_id: int
    course_code: str
    course_title: str
    total: int
    done: int
    failed: int
    rendered: int = 0  # issued credentials whose certificate and MMS are both rendered

    @property
    def waiting(self) -> int:
        return self.total - self.done - self.failed

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def finished(self) -> bool:
        """Every request issued or failed."""
        return self.waiting == 0

    @property
    def all_rendered(self) -> bool:
        """Every issued credential's PDFs rendered. Learners need not wait for this: a PDF not
        rendered yet is rendered when it is asked for."""
        return self.finished and self.rendered >= self.done


def _progress_queryset() -> QuerySet[IssuanceBatch]:
    rendered = Credential.objects.filter(request__batch=OuterRef("pk"), generation=1).exclude(
        Q(certificate_pdf="") | Q(mms_pdf="")
    )
    return IssuanceBatch.objects.annotate(
        total=Count("requests"),
        done=Count("requests", filter=Q(requests__status=RequestStatus.ISSUED)),
        failed=Count("requests", filter=Q(requests__status=RequestStatus.FAILED)),
        rendered=Coalesce(
            Subquery(rendered.order_by().values("request__batch").annotate(n=Count("pk")).values("n")[:1]), 0
        ),
    )


def _progress(batch: IssuanceBatch) -> BatchProgress:
    return BatchProgress(
        id=batch.pk,
        offering_id=batch.offering_id,
        course_code=batch.course_code,
        course_title=batch.course_title,
        total=batch.total,  # type: ignore[attr-defined]
        done=batch.done,  # type: ignore[attr-defined]
        failed=batch.failed,  # type: ignore[attr-defined]
        rendered=batch.rendered,  # type: ignore[attr-defined]
    )


def batch_progress_list() -> list[BatchProgress]:
    return [_progress(b) for b in _progress_queryset()[:100]]


def batch_progress(batch_id: int) -> BatchProgress | None:
    batch = _progress_queryset().filter(pk=batch_id).first()
    return _progress(batch) if batch else None


def batch_failures(batch_id: int) -> QuerySet[IssuanceRequest]:
    return (
        IssuanceRequest.objects.filter(batch_id=batch_id, status=RequestStatus.FAILED)
        .select_related("learner")
        .order_by("pk")[:200]
    )


def credential_search(query: str) -> QuerySet[Credential]:
    """CFLEX finds a credential by serial, or by learner name or email."""
    return (
        Credential.objects.filter(
            Q(serial__iexact=query) | Q(learner__full_name__icontains=query) | Q(learner__email__iexact=query)
        )
        .select_related("learner")
        .order_by("-issued_at")[:50]
    )


def credential_history(credential: Credential) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.for_object(credential).select_related("actor").order_by("created_at", "pk")


def proposal_id_for_code(code: str) -> int | None:
    from courses import api as courses_api

    return courses_api.proposal_id_for_code(code)


# --- The public verification GETs (decision 0121): lean reads, no model instances ---------------------
def page_state(credential_id: int) -> tuple[Any, dict[str, int], tuple[tuple[str, int, Any], ...]]:
    """What a credential's public page depends on that can change: its last status change, its
    bit in each published status list, read straight from the list rows, and the version (last
    change time) of each of its two lists. One query, which fetches one byte of each list (not
    the 16 KB lists). Bits: {purpose: 0 or 1}; a list never published is absent from the bits
    and has no version (None)."""
    from credentials.models import StatusPurpose
    from credentials.policies import status_position

    position = status_position(credential_id)
    byte, shift = position.index // 8, 7 - position.index % 8
    pick = "get_byte(s.bits, %s)" if connection.vendor == "postgresql" else "substr(s.bits, %s + 1, 1)"
    with planned_cursor() as cursor:
        cursor.execute(
            f"SELECT c.status_changed_at, s.purpose, {pick}, s.updated_at FROM credentials_credential c "  # noqa: S608 (no input in the SQL text)
            "LEFT JOIN credentials_statuslist s ON s.number = %s AND s.purpose IN (%s, %s) WHERE c.id = %s",
            [byte, position.number, StatusPurpose.REVOCATION.value, StatusPurpose.SUSPENSION.value, credential_id],
        )
        rows = cursor.fetchall()
    bits = {
        purpose: ((value if isinstance(value, int) else value[0]) >> shift) & 1
        for _, purpose, value, _ in rows
        if purpose is not None
    }
    found = {purpose: updated for _, purpose, _, updated in rows if purpose is not None}
    versions = tuple(
        (purpose, position.number, found.get(purpose))
        for purpose in (StatusPurpose.REVOCATION.value, StatusPurpose.SUSPENSION.value)
    )
    return (rows[0][0] if rows else None), bits, versions


@dataclass(frozen=True)
class Successor:
    """The credential that replaces a re-issued one, as its public page links to it."""

    verification_id: str
    serial: str


@dataclass(frozen=True)
class PageRead:
    """What a first view of a public verification page reads, in one query."""

    credential: Credential
    successor: Successor | None
    changed: Any  # the credential's last status change time
    bits: dict[str, int]  # as page_state reads them
    lists: tuple[tuple[str, int, Any], ...]  # as page_state reads them


@functools.cache
def _credential_columns(
    vendor: str, names: tuple[str, ...] | None = None
) -> tuple[str, list[str], tuple[list[Any], ...]]:
    """The credential's columns (``names``, else all in model order), and each one's converters
    from the database value to the model's (what the ORM's compiler applies: JSON text parsed,
    SQLite's datetimes read), worked out once per process."""
    meta = Credential._meta
    fields: list[Any] = list(meta.concrete_fields) if names is None else [meta.get_field(name) for name in names]
    converters = []
    for field in fields:
        column = field.get_col("c")
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        converters.append([(convert, column) for convert in found])
    attnames = [f.attname for f in fields]
    return ", ".join(f"c.{connection.ops.quote_name(str(f.column))}" for f in fields), attnames, tuple(converters)


@dataclass(frozen=True)
class PageRow:
    """What a public page reads of a credential in one query (``_page_row``): its columns by
    attribute name, converted as the ORM converts them (``facts`` parsed), whether it has a
    signed document, its successor, its last status change as the database gives it (what
    ``page_state`` reads), its status bits and its lists' versions."""

    columns: dict[str, Any]
    has_document: bool
    successor: Successor | None
    changed: Any
    bits: dict[str, int]
    lists: tuple[tuple[str, int, Any], ...]


def _page_row(verification_id: str, names: tuple[str, ...] | None) -> PageRow | None:
    """One prepared query (core.db.planned_cursor) for the credential's columns (``names``, which
    include ``id`` and ``status_changed_at``; else all), its successor and each of its two status
    lists on its own join. None when no credential has this id."""
    from credentials.models import StatusPurpose
    from credentials.policies import _STATUS_SPREAD, STATUS_LIST_SIZE, status_position

    columns, attnames, converters = _credential_columns(connection.vendor, names)
    table, lists = Credential._meta.db_table, StatusList._meta.db_table
    replaces = Credential._meta.get_field("replaces").column
    index = f"((((c.id - 1) %% {STATUS_LIST_SIZE}) * {_STATUS_SPREAD}) %% {STATUS_LIST_SIZE}) / 8"

    def pick(alias: str) -> str:
        if connection.vendor == "postgresql":
            return f"get_byte({alias}.bits, CAST({index} AS integer))"
        return f"substr({alias}.bits, {index} + 1, 1)"

    number = f"(c.id - 1) / {STATUS_LIST_SIZE}"
    with planned_cursor() as cursor:
        # One row: each of the two lists joined on its own (a join on both would repeat the
        # credential's columns, its facts included, once per list).
        cursor.execute(
            f"SELECT {columns}, c.document IS NOT NULL, r.verification_id, r.serial, "  # noqa: S608 (no input in the SQL text)
            f"v.id, {pick('v')}, v.updated_at, u.id, {pick('u')}, u.updated_at "
            f"FROM {table} c LEFT JOIN {table} r ON r.{replaces} = c.id "
            f"LEFT JOIN {lists} v ON v.number = {number} AND v.purpose = %s "
            f"LEFT JOIN {lists} u ON u.number = {number} AND u.purpose = %s "
            "WHERE c.verification_id = %s",
            [
                StatusPurpose.REVOCATION.value,
                StatusPurpose.SUSPENSION.value,
                Credential._meta.get_field("verification_id").get_db_prep_value(verification_id, connection),
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    count = len(converters)
    pk = row[attnames.index("id")]
    changed = row[attnames.index("status_changed_at")]  # as the database gives it, as page_state reads it
    values = list(row[:count])
    for position, field_converters in enumerate(converters):
        for convert, column in field_converters:
            values[position] = convert(values[position], column, connection)
    has_document, successor_id, successor_serial = row[count : count + 3]
    successor = Successor(str(uuid.UUID(str(successor_id))), str(successor_serial)) if successor_id else None
    spot = status_position(pk)
    shift = 7 - spot.index % 8
    bits, found = {}, {}
    for purpose, (list_id, value, updated) in zip(
        (StatusPurpose.REVOCATION.value, StatusPurpose.SUSPENSION.value),
        (row[count + 3 : count + 6], row[count + 6 : count + 9]),
        strict=True,
    ):
        if list_id is not None:
            bits[purpose] = ((value if isinstance(value, int) else value[0]) >> shift) & 1
            found[purpose] = updated
    versions = tuple(
        (purpose, spot.number, found.get(purpose))
        for purpose in (StatusPurpose.REVOCATION.value, StatusPurpose.SUSPENSION.value)
    )
    return PageRow(dict(zip(attnames, values, strict=True)), bool(has_document), successor, changed, bits, versions)


def credential_page_read(verification_id: str) -> PageRead | None:
    """The credential a public verification page shows, the credential that replaces it, and
    its status bits and lists' versions (what ``page_state`` reads): one written-out query
    (decisions 0235, 0255), as two queries and the ORM's model building cost more CPU than the
    bare view. None when no credential has this id."""
    found = _page_row(verification_id, None)
    if found is None:
        return None
    credential = Credential.from_db(connection.alias, list(found.columns), list(found.columns.values()))
    return PageRead(credential, found.successor, found.changed, found.bits, found.lists)


# What the anonymous page shows of a credential's own columns (the template's ``credential.*``).
FIRST_VIEW_SHOWN = (
    "verification_id",
    "serial",
    "course_code",
    "course_title",
    "status",
    "status_reason",
    "status_changed_at",
)
# What its first view reads of a credential: neither its document nor the model.
_FIRST_VIEW_FIELDS = (
    "id",
    *FIRST_VIEW_SHOWN,
    "signed_with",
    "signature_checked_at",
    "signature_problem",
    "facts",
    "document_issuer",
    "document_valid_from",
    "document_valid_until",
)


def first_view_read(verification_id: str) -> PageRow | None:
    """The anonymous page's first view of a credential (docs/decisions/0265): ``credential_page_read``
    without the signed document (the verdict reads the database's columns of its issuer and
    dates) and without building the model. None when no credential has this id."""
    return _page_row(verification_id, _FIRST_VIEW_FIELDS)


def status_list_versions() -> dict[tuple[str, int], Any]:
    """Every published status list's version (its last change time), by (purpose, number): one
    query over a few rows (two per 131,072 credentials), without their bits."""
    with planned_cursor() as cursor:  # raw, as page_state reads them: the versions compare equal
        cursor.execute(f"SELECT purpose, number, updated_at FROM {StatusList._meta.db_table}")  # noqa: S608 (no input)
        return {(purpose, number): updated for purpose, number, updated in cursor.fetchall()}


def status_bits(credential_id: int) -> dict[str, int]:
    """The credential's bit in each published status list: {purpose: 0 or 1}."""
    return page_state(credential_id)[1]


def credential_document_json(verification_id: str) -> tuple[str, str] | None:
    """(serial, the signed document as JSON text) of a credential, without building a model or
    parsing the document: what /verify/<id>/credential.json serves."""
    column = "document::text" if connection.vendor == "postgresql" else "document"
    with planned_cursor() as cursor:
        cursor.execute(
            f"SELECT serial, {column} FROM credentials_credential WHERE verification_id = %s AND document IS NOT NULL",  # noqa: S608
            [Credential._meta.get_field("verification_id").get_db_prep_value(verification_id, connection)],
        )
        row = cursor.fetchone()
    return (str(row[0]), str(row[1])) if row else None


def badge_facts(code: str) -> BadgeFacts | None:
    """What a course's badge image shows: the course as its latest credential states it (so an
    issued badge keeps showing what was awarded), else as the ready course is listed; None when
    the portal has neither. One query, two when nothing was issued yet."""
    from courses import api as courses_api
    from credentials.badges import BadgeFacts

    row = (
        Credential.objects.filter(course_code=code)
        .order_by("-issued_at", "-pk")
        .values_list("course_title", "facts__course_level")
        .first()
    )
    if row is not None:
        return BadgeFacts(code=code, title=row[0], level=str(row[1] or ""))
    proposal_id = courses_api.proposal_id_for_code(code)
    if proposal_id is None:
        return None
    course = courses_api.ready_course_get(proposal_id)
    return BadgeFacts(
        code=course.code, title=course.title, level=f"MQF Level {course.course_level}" if course.course_level else ""
    )
