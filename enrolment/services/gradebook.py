"""The gradebook: marks per component, quiz attempts (R-AS-4), the Moodle CSV import, and the
final mark, grade and CLO attainment of each learner (R-RS-1)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from audit.services import audit_record
from core.errors import UNCHECKED, ApplicationError, ErrorKind, Unchecked, not_found, stale_change
from courses import api as courses_api
from courses.data import ReadyCourseData
from enrolment.choices import EnrolmentStatus, ResultsStatus
from enrolment.models import Enrolment, GradeImport, Mark, Offering, QuizAttempt
from enrolment.policies import (
    ComponentMark,
    ImportPreview,
    MoodleFormatError,
    best_attempt,
    clo_attainment,
    final_mark,
    missing_marks,
    moodle_parse,
    moodle_preview,
    results_reopen,
)
from enrolment.services._common import locked_offering, require_on_offering
from policy.api import grade_for_mark, policy_in_force

IMPORT_MAX_BYTES = 2 * 1024 * 1024


def component_marks(course: ReadyCourseData, offering: Offering, marks: Mapping[int, Decimal]) -> list[ComponentMark]:
    return [
        ComponentMark(
            component_id=c.id,
            weight=c.weight,
            max_score=offering.max_score_for(c.id),
            score=marks.get(c.id),
            is_final=c.kind == "final",
            clo_ids=c.clo_ids,
        )
        for c in course.components
    ]


def result_refresh(*, enrolment: Enrolment, course: ReadyCourseData) -> None:
    """R-RS-1: final mark and grade (once every component is marked) and CLO attainment, computed
    under the policy in force and recording its version."""
    scores = {m.component_id: m.score for m in enrolment.marks.all()}
    marks = component_marks(course, enrolment.offering, scores)
    policy = policy_in_force()
    enrolment.clo_attainment = {
        str(k): str(v) for k, v in clo_attainment([m for m in marks if m.score is not None]).items()
    }
    if missing_marks(marks):
        enrolment.final_mark, enrolment.grade, enrolment.grade_point, enrolment.passed = None, "", None, None
    else:
        total = final_mark(marks)
        band = grade_for_mark(total, policy.grade_bands)
        enrolment.final_mark, enrolment.grade, enrolment.grade_point = total, band.grade, band.grade_point
        enrolment.passed = total >= policy.pass_mark
    enrolment.policy_version_id = policy.id
    enrolment.updated_at = timezone.now()
    enrolment.save(
        update_fields=["clo_attainment", "final_mark", "grade", "grade_point", "passed", "policy_version", "updated_at"]
    )


def _reopen_if_submitted(*, actor: User, offering: Offering) -> None:
    """R-RS-2: a change after submission sends the results back to the instructor; after Senate
    approval nothing changes."""
    if offering.results_status == ResultsStatus.SENATE_APPROVED:
        raise ApplicationError(
            "results_locked", _("Senate has approved these results: marks are final."), kind=ErrorKind.CONFLICT
        )
    if offering.results_status != ResultsStatus.DRAFT:
        previous = offering.results_status
        offering.results_status = results_reopen(previous)
        offering.results_comment = _("Marks changed after submission.")
        offering.save(update_fields=["results_status", "results_comment"])
        audit_record(
            actor=actor,
            action="results.reopen",
            obj=offering,
            from_state=previous,
            to_state=ResultsStatus.DRAFT,
            comment=offering.results_comment,
        )


def _component(course: ReadyCourseData, component_id: int):  # type: ignore[no-untyped-def]
    for c in course.components:
        if c.id == component_id:
            return c
    raise ApplicationError("component_unknown", _("That component is not part of this course."), field="component")


def _score(raw: Decimal | str, maximum: Decimal) -> Decimal:
    try:
        score = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise ApplicationError("score_not_a_number", _("The mark is not a number."), field="score") from None
    if not score.is_finite() or score < 0:
        raise ApplicationError("score_negative", _("A mark cannot be negative."), field="score")
    if score > maximum:
        raise ApplicationError(
            "score_above_maximum", _("The mark is above the maximum of %(max)s.") % {"max": maximum}, field="score"
        )
    return score


def _active_enrolment(offering: Offering, enrolment_id: int) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(pk=enrolment_id, offering=offering, status=EnrolmentStatus.ENROLLED)
        .first()
    )
    if enrolment is None:
        raise ApplicationError(
            "enrolment_not_active", _("This learner is not enrolled in the offering."), field="enrolment"
        )
    enrolment.offering = offering
    return enrolment


Expected = Decimal | str | None | Unchecked


def _same_score(expected: Decimal | str | None, now: Decimal | None) -> bool:
    """Whether the mark the person saw (None or "": no mark yet) is the mark now."""
    if expected is None or str(expected).strip() == "":
        return now is None
    try:
        return now is not None and Decimal(str(expected).strip().replace(",", ".")) == now
    except InvalidOperation:
        return False


def _current_score(enrolment: Enrolment, component_id: int) -> Decimal | None:
    return Mark.objects.filter(enrolment=enrolment, component_id=component_id).values_list("score", flat=True).first()


def _stale_mark_message(name: str, now: Decimal | None) -> str:
    if now is None:
        return _("Someone else removed the mark of %(learner)s while you were typing. Check, then save again.") % {
            "learner": name
        }
    return _("Someone else recorded %(score)s for %(learner)s while you were typing. Check, then save again.") % {
        "score": now,
        "learner": name,
    }


def _write_mark(
    *, actor: User, enrolment: Enrolment, component_id: int, score: Decimal, maximum: Decimal, feedback: str | None
) -> Mark:
    defaults: dict[str, object] = {
        "score": score,
        "max_score": maximum,
        "marked_by": actor,
        "marked_at": timezone.now(),
    }
    if feedback is not None:
        defaults["feedback"] = feedback.strip()
    mark, _created = Mark.objects.update_or_create(enrolment=enrolment, component_id=component_id, defaults=defaults)
    return mark


def mark_may(*, actor: User, offering: Offering) -> None:
    """404 to whoever does not deal with the offering, 403 to whoever deals with it but does not
    grade it. The service checks it under the row lock; the API checks it first, before its input."""
    require_on_offering(actor, "enrolment.grade_offering", offering)


@transaction.atomic
def mark_record(
    *,
    actor: User,
    offering: Offering,
    enrolment_id: int,
    component_id: int,
    score: Decimal | str,
    feedback: str | None = None,
    expected_score: Expected = UNCHECKED,
) -> Mark:
    """One mark (score out of the component's maximum) with optional feedback. For a quiz that
    may be retaken this records a new attempt; the best attempt is the mark (R-AS-4).
    ``expected_score`` is the mark the instructor saw (None: none yet); if someone recorded
    another since, 409 ``stale_change`` with the current mark (issue 12)."""
    offering = locked_offering(offering)
    require_on_offering(actor, "enrolment.grade_offering", offering)
    course = courses_api.ready_course_get(offering.proposal_id)
    component = _component(course, component_id)
    maximum = offering.max_score_for(component.id)
    value = _score(score, maximum)
    enrolment = _active_enrolment(offering, enrolment_id)
    if expected_score is not UNCHECKED:
        now = _current_score(enrolment, component.id)
        if not _same_score(expected_score, now):
            raise stale_change(
                _stale_mark_message(enrolment.learner.full_name, now),
                field="expected_score",
                current={"score": None if now is None else str(now)},
            )
    _reopen_if_submitted(actor=actor, offering=offering)
    return _store(actor=actor, course=course, enrolment=enrolment, component=component, value=value, feedback=feedback)


@dataclass(frozen=True)
class MarkEntry:
    """One row of a gradebook column: a learner's enrolment, the mark typed, the feedback."""

    enrolment_id: int
    score: Decimal | str
    feedback: str | None = None
    expected: Expected = UNCHECKED  # the mark the instructor saw (None: none yet)


class MarksRefused(ApplicationError):
    """Some rows of a gradebook column are wrong, so none was saved. ``problems`` holds every bad
    row as (enrolment id, message)."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        super().__init__(
            "marks_invalid",
            ngettext(
                "No marks were saved: %(count)s row needs correcting.",
                "No marks were saved: %(count)s rows need correcting.",
                len(problems),
            )
            % {"count": len(problems)},
            field="marks",
        )
        self.problems = problems

    def as_dict(self) -> dict[str, Any]:
        return {
            **super().as_dict(),
            "rows": [{"enrolment": pk, "message": message} for pk, message in self.problems],
        }


@transaction.atomic(durable=True)
def marks_record(*, actor: User, offering: Offering, component_id: int, entries: Sequence[MarkEntry]) -> list[Mark]:
    """A whole gradebook column at once: every mark is saved, or none is and every bad row is
    named (:class:`MarksRefused`)."""
    offering = locked_offering(offering)
    require_on_offering(actor, "enrolment.grade_offering", offering)
    course = courses_api.ready_course_get(offering.proposal_id)
    component = _component(course, component_id)
    maximum = offering.max_score_for(component.id)
    active = {
        e.pk: e
        for e in Enrolment.objects.select_for_update()
        .filter(pk__in=[entry.enrolment_id for entry in entries], offering=offering, status=EnrolmentStatus.ENROLLED)
        .order_by("pk")
    }
    problems: list[tuple[int, str]] = []
    accepted: list[tuple[Enrolment, Decimal, str | None]] = []
    stale = _stale_entries(entries, active, component.id)
    if stale:
        raise stale_change(
            " ".join(_stale_mark_message(active[pk].learner.full_name, now) for pk, now in stale.items()),
            field="marks",
            current={
                "scores": [{"enrolment": pk, "score": None if now is None else str(now)} for pk, now in stale.items()]
            },
        )
    for entry in entries:
        try:
            value = _score(entry.score, maximum)
        except ApplicationError as exc:
            problems.append((entry.enrolment_id, exc.message))
            continue
        enrolment = active.get(entry.enrolment_id)
        if enrolment is None:
            problems.append((entry.enrolment_id, _("This learner is not enrolled in the offering.")))
            continue
        enrolment.offering = offering
        accepted.append((enrolment, value, entry.feedback))
    if problems:
        raise MarksRefused(problems)
    if not accepted:
        return []
    _reopen_if_submitted(actor=actor, offering=offering)
    return [
        _store(actor=actor, course=course, enrolment=enrolment, component=component, value=value, feedback=feedback)
        for enrolment, value, feedback in accepted
    ]


def _stale_entries(
    entries: Sequence[MarkEntry], active: Mapping[int, Enrolment], component_id: int
) -> dict[int, Decimal | None]:
    """The rows whose mark changed since the instructor read the column: enrolment id -> mark now."""
    checked = [e for e in entries if e.expected is not UNCHECKED and e.enrolment_id in active]
    if not checked:
        return {}
    now = dict(
        Mark.objects.filter(enrolment_id__in=[e.enrolment_id for e in checked], component_id=component_id).values_list(
            "enrolment_id", "score"
        )
    )
    return {
        e.enrolment_id: now.get(e.enrolment_id)
        for e in checked
        if not _same_score(e.expected, now.get(e.enrolment_id))  # type: ignore[arg-type]
    }


def _store(
    *, actor: User, course: ReadyCourseData, enrolment: Enrolment, component: Any, value: Decimal, feedback: str | None
) -> Mark:
    maximum = enrolment.offering.max_score_for(component.id)
    if component.retake_allowed:
        mark = _attempt(actor=actor, enrolment=enrolment, component_id=component.id, score=value, maximum=maximum)
        if feedback is not None:
            mark.feedback = feedback.strip()
            mark.save(update_fields=["feedback"])
    else:
        mark = _write_mark(
            actor=actor, enrolment=enrolment, component_id=component.id, score=value, maximum=maximum, feedback=feedback
        )
    result_refresh(enrolment=enrolment, course=course)
    audit_record(
        actor=actor, action="mark.record", obj=enrolment, data={"component": component.id, "score": str(value)}
    )
    return mark


def _attempt(*, actor: User, enrolment: Enrolment, component_id: int, score: Decimal, maximum: Decimal) -> Mark:
    attempts = QuizAttempt.objects.filter(enrolment=enrolment, component_id=component_id)
    number = (attempts.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    QuizAttempt.objects.create(
        enrolment=enrolment, component_id=component_id, number=number, score=score, recorded_by=actor
    )
    best = best_attempt(attempts.values_list("score", flat=True))
    assert best is not None
    return _write_mark(
        actor=actor, enrolment=enrolment, component_id=component_id, score=best, maximum=maximum, feedback=None
    )


@transaction.atomic(durable=True)
def offering_max_score_set(
    *,
    actor: User,
    offering: Offering,
    component_id: int,
    max_score: Decimal | str,
    expected_max_score: Decimal | str | Unchecked = UNCHECKED,
) -> Offering:
    """What a component is marked out of (a Moodle quiz out of 10, an essay out of 100).
    ``expected_max_score`` is the maximum the instructor saw; if someone changed it since, 409
    ``stale_change`` with the current maximum (issue 12)."""
    offering = locked_offering(offering)
    require_on_offering(actor, "enrolment.grade_offering", offering)
    course = courses_api.ready_course_get(offering.proposal_id)
    component = _component(course, component_id)
    now = offering.max_score_for(component.id)
    if expected_max_score is not UNCHECKED and not _same_score(expected_max_score, now):
        raise stale_change(
            _("Someone else set %(component)s out of %(max)s while you were typing. Check, then save again.")
            % {"component": component.title, "max": now},
            field="expected_max_score",
            current={"component": component.id, "max_score": str(now)},
        )
    try:
        value = Decimal(str(max_score))
    except InvalidOperation:
        raise ApplicationError("max_score_invalid", _("The maximum is a positive number."), field="max_score") from None
    if not value.is_finite() or value <= 0 or value > 1000:
        raise ApplicationError("max_score_invalid", _("The maximum is a positive number."), field="max_score")
    if Mark.objects.filter(enrolment__offering=offering, component_id=component.id).exists():
        raise ApplicationError(
            "max_score_in_use", _("Marks exist for this component: its maximum is fixed."), kind=ErrorKind.CONFLICT
        )
    offering.max_scores = {**offering.max_scores, str(component.id): str(value)}
    offering.save(update_fields=["max_scores"])
    audit_record(
        actor=actor, action="offering.max_score", obj=offering, data={"component": component.id, "max": str(value)}
    )
    return offering


# --- Moodle CSV import ---------------------------------------------------------------------------
@transaction.atomic(durable=True)
def grade_import_upload(*, actor: User, offering: Offering, file_name: str, content: bytes) -> GradeImport:
    """Keep the file for mapping and preview; nothing touches the marks yet."""
    require_on_offering(actor, "enrolment.grade_offering", offering)
    if len(content) > IMPORT_MAX_BYTES:
        raise ApplicationError("csv_too_large", _("The file is larger than 2 MB."), field="file")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError("csv_encoding", _("Save the export as UTF-8 CSV."), field="file") from None
    try:
        moodle_parse(text)
    except MoodleFormatError as exc:
        raise ApplicationError(exc.code, exc.message, field="file") from None
    grade_import = GradeImport.objects.create(
        offering=offering, file_name=file_name[:200], content=text, uploaded_by=actor
    )
    audit_record(actor=actor, action="grade_import.upload", obj=grade_import)
    return grade_import


@transaction.atomic(durable=True)
def grade_import_map(*, actor: User, grade_import: GradeImport, mapping: Mapping[str, int]) -> GradeImport:
    grade_import = GradeImport.objects.select_for_update().select_related("offering").get(pk=grade_import.pk)
    require_on_offering(actor, "enrolment.grade_offering", grade_import.offering)
    if grade_import.applied_at is not None:
        raise ApplicationError("import_already_applied", _("This import was already applied."), kind=ErrorKind.CONFLICT)
    export = moodle_parse(grade_import.content)
    course = courses_api.ready_course_get(grade_import.offering.proposal_id)
    clean = {column: int(cid) for column, cid in mapping.items() if cid}
    unknown_columns = set(clean) - set(export.grade_columns)
    if unknown_columns:
        raise ApplicationError("column_unknown", _("A mapped column is not in the file."), field="mapping")
    for cid in clean.values():
        _component(course, cid)
    if len(set(clean.values())) != len(clean):
        raise ApplicationError("component_mapped_twice", _("Map each component from one column only."), field="mapping")
    if not clean:
        raise ApplicationError("mapping_empty", _("Map at least one column to a component."), field="mapping")
    grade_import.mapping = clean
    grade_import.save(update_fields=["mapping"])
    return grade_import


def grade_import_preview(grade_import: GradeImport) -> ImportPreview:
    """Every mapped cell as a good row or a problem with its reason. Reads only."""
    offering = grade_import.offering
    emails = Enrolment.objects.filter(offering=offering, status=EnrolmentStatus.ENROLLED).values_list(
        "learner__email", flat=True
    )
    mapping = {k: int(v) for k, v in grade_import.mapping.items()}
    return moodle_preview(
        moodle_parse(grade_import.content),
        mapping=mapping,
        enrolled_emails=emails,
        max_scores={cid: offering.max_score_for(cid) for cid in mapping.values()},
    )


@transaction.atomic(durable=True)
def grade_import_confirm(*, actor: User, grade_import: GradeImport) -> int:
    """Write exactly the preview's good rows; the bad ones are left out. Returns how many."""
    grade_import = GradeImport.objects.select_for_update().get(pk=grade_import.pk)
    offering = locked_offering(grade_import.offering_id)
    grade_import.offering = offering
    require_on_offering(actor, "enrolment.grade_offering", offering)
    if grade_import.applied_at is not None:
        raise ApplicationError("import_already_applied", _("This import was already applied."), kind=ErrorKind.CONFLICT)
    if not grade_import.mapping:
        raise ApplicationError("mapping_empty", _("Map at least one column to a component."), field="mapping")
    preview = grade_import_preview(grade_import)
    if preview.good:
        _reopen_if_submitted(actor=actor, offering=offering)
    course = courses_api.ready_course_get(offering.proposal_id)
    retake = {c.id for c in course.components if c.retake_allowed}
    enrolments = {
        e.learner.email.lower(): e
        for e in Enrolment.objects.select_for_update(of=("self",))
        .select_related("learner")
        .filter(offering=offering, status=EnrolmentStatus.ENROLLED)
    }
    touched: dict[int, Enrolment] = {}
    for row in preview.good:
        enrolment = enrolments[row.email]
        enrolment.offering = offering
        maximum = offering.max_score_for(row.component_id)
        if row.component_id in retake:
            latest = (
                QuizAttempt.objects.filter(enrolment=enrolment, component_id=row.component_id)
                .order_by("-number")
                .values_list("score", flat=True)
                .first()
            )
            if latest != row.score:  # the same file imported twice adds no attempt
                _attempt(
                    actor=actor, enrolment=enrolment, component_id=row.component_id, score=row.score, maximum=maximum
                )
        else:
            _write_mark(
                actor=actor,
                enrolment=enrolment,
                component_id=row.component_id,
                score=row.score,
                maximum=maximum,
                feedback=None,
            )
        touched[enrolment.pk] = enrolment
    for enrolment in touched.values():
        result_refresh(enrolment=enrolment, course=course)
    grade_import.applied_at = timezone.now()
    grade_import.applied_count = len(preview.good)
    grade_import.save(update_fields=["applied_at", "applied_count"])
    audit_record(
        actor=actor,
        action="grade_import.confirm",
        obj=grade_import,
        data={"offering": offering.pk, "written": len(preview.good), "refused": len(preview.bad)},
    )
    return len(preview.good)


def grade_import_get(*, actor: User, pk: int) -> GradeImport:
    grade_import = GradeImport.objects.select_related("offering").filter(pk=pk).first()
    if grade_import is None or not actor.has_perm("enrolment.grade_offering", grade_import.offering):
        raise not_found("import")
    return grade_import
