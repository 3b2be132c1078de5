"""The enrolment, gradebook and results rules as pure functions (R-EN, R-AS-4, R-RS, and the
learner profile's NRIC). No ORM, no request: plain values in, plain values out."""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core import fsm

# --- Malaysian identity card (MyKad) number ---------------------------------------------------
# YYMMDD-PB-###G: date of birth, place-of-birth code, serial, gender digit. Place-of-birth codes
# of the National Registration Department: Malaysian states 01-16 and 21-59, 82 (state unknown);
# countries and regions abroad 60-68, 71-72, 74-79, 83-93; 98 stateless, 99 not stated.
_PB_CODES = frozenset([*range(1, 17), *range(21, 60), *range(60, 69), 71, 72, *range(74, 80), *range(82, 94), 98, 99])
_NRIC_RE = re.compile(r"^(\d{2})(\d{2})(\d{2})-?(\d{2})-?(\d{3})(\d)$")


@dataclass(frozen=True)
class NricCheck:
    """The outcome of checking an NRIC. ``problem`` never contains the number itself."""

    normalised: str = ""
    birth_date: date | None = None
    problem: str = ""
    code: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def nric_check(raw: str, *, today: date) -> NricCheck:
    """Validate a MyKad number and derive the date of birth from it.

    The century is the one that puts the birth date in the past (a learner born in 2005 has
    ``05…``; one born in 1990 has ``90…``)."""
    value = (raw or "").strip().replace(" ", "")
    match = _NRIC_RE.match(value)
    if not match:
        return NricCheck(problem="An NRIC has 12 digits in the form YYMMDD-PB-###G.", code="nric_format")
    yy, mm, dd, pb, serial, gender = match.groups()
    year = 2000 + int(yy)
    if year > today.year:
        year -= 100
    try:
        born = date(year, int(mm), int(dd))
    except ValueError:
        return NricCheck(problem="The first six digits of an NRIC must be a real date (YYMMDD).", code="nric_date")
    if born > today:
        return NricCheck(problem="The date in the NRIC is in the future.", code="nric_date")
    if int(pb) not in _PB_CODES:
        return NricCheck(
            problem="Digits 7-8 of an NRIC must be a valid place-of-birth code.", code="nric_place_of_birth"
        )
    return NricCheck(normalised=f"{yy}{mm}{dd}-{pb}-{serial}{gender}", birth_date=born)


def identity_mask(number: str) -> str:
    """What may be shown of an NRIC or passport number anywhere but the learner's own records:
    the last four characters (R-CR-4)."""
    clean = re.sub(r"[^0-9A-Za-z]", "", number or "")
    if len(clean) <= 4:
        return "*" * len(clean)
    return "*" * (len(clean) - 4) + clean[-4:]


# --- Marks and results ------------------------------------------------------------------------
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ComponentMark:
    """One assessment component of one learner: its weight (% of the final mark), the maximum
    score, the score (None when not yet marked) and the CLOs it assesses."""

    component_id: int
    weight: int
    max_score: Decimal
    score: Decimal | None
    is_final: bool = False
    clo_ids: tuple[int, ...] = ()


def best_attempt(scores: Iterable[Decimal]) -> Decimal | None:
    """R-AS-4 (interpretation): every attempt is kept, the best one counts."""
    kept = list(scores)
    return max(kept) if kept else None


def weighted_contribution(mark: ComponentMark) -> Decimal:
    """The component's share of the final mark, in percentage points."""
    if mark.score is None or mark.max_score <= 0:
        return Decimal(0)
    return mark.score / mark.max_score * mark.weight


def final_mark(marks: Sequence[ComponentMark]) -> Decimal:
    """R-RS-1: sum of component marks times their weights, to two decimals (half up)."""
    total = sum((weighted_contribution(m) for m in marks), Decimal(0))
    return total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def formative_summative(marks: Sequence[ComponentMark]) -> tuple[int, int]:
    """R-AS-5: the weights of continuous (formative) and final (summative) assessment."""
    summative = sum(m.weight for m in marks if m.is_final)
    return sum(m.weight for m in marks) - summative, summative


def missing_marks(marks: Sequence[ComponentMark]) -> list[int]:
    return [m.component_id for m in marks if m.score is None]


def clo_attainment(marks: Sequence[ComponentMark]) -> dict[int, Decimal]:
    """Each CLO's attainment in %: the weighted score of the components mapped to it, over
    their weights. A component mapped to several CLOs counts in full for each (R-AP-1 uses it)."""
    earned: dict[int, Decimal] = {}
    possible: dict[int, Decimal] = {}
    for m in marks:
        for clo in m.clo_ids:
            earned[clo] = earned.get(clo, Decimal(0)) + weighted_contribution(m)
            possible[clo] = possible.get(clo, Decimal(0)) + m.weight
    return {
        clo: (earned[clo] / possible[clo] * HUNDRED).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
        for clo in possible
        if possible[clo] > 0
    }


# --- Moodle gradebook import ------------------------------------------------------------------
MOODLE_EMAIL = "Email address"
_MOODLE_GRADE_COLUMN = re.compile(r"^(?P<kind>[^:]+):\s*(?P<name>.+?)\s*\((?P<display>Real|Percentage|Letter)\)$")


@dataclass(frozen=True)
class MoodleExport:
    grade_columns: tuple[str, ...]
    rows: tuple[Mapping[str, str], ...]  # each with its 1-based line number under "__line__"


@dataclass(frozen=True)
class ImportRow:
    line: int
    email: str
    column: str
    component_id: int
    score: Decimal


@dataclass(frozen=True)
class ImportProblem:
    line: int
    email: str
    column: str
    code: str
    message: str


@dataclass(frozen=True)
class ImportPreview:
    good: tuple[ImportRow, ...] = ()
    bad: tuple[ImportProblem, ...] = ()
    skipped_columns: tuple[str, ...] = field(default_factory=tuple)


class MoodleFormatError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def moodle_parse(text: str) -> MoodleExport:
    """Read a Moodle gradebook export (CSV): its grade columns are ``Kind: Name (Real)``."""
    if "\x00" in text:
        raise MoodleFormatError("csv_binary", "This is not a text CSV file.")
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    headers = [h.strip() for h in reader.fieldnames or []]
    if MOODLE_EMAIL not in headers:
        raise MoodleFormatError(
            "csv_no_email_column", f"The file has no '{MOODLE_EMAIL}' column: is it a Moodle gradebook export?"
        )
    reader.fieldnames = headers
    grade_columns = tuple(h for h in headers if _MOODLE_GRADE_COLUMN.match(h) and not h.startswith("Course total"))
    if not grade_columns:
        raise MoodleFormatError("csv_no_grade_columns", "The file has no grade columns such as 'Quiz: Week 1 (Real)'.")
    rows = tuple(
        {**{k: (v or "").strip() for k, v in row.items() if k is not None}, "__line__": str(i)}
        for i, row in enumerate(reader, start=2)
    )
    return MoodleExport(grade_columns=grade_columns, rows=rows)


def _words(text: str) -> str:
    """``"Quiz: Regulations  quiz!"`` -> ``"quiz regulations quiz"``: case, punctuation and spacing
    never decide a match."""
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def moodle_suggest_mapping(
    columns: Sequence[str], components: Sequence[tuple[int, str]], remembered: Mapping[str, int] | None = None
) -> dict[str, int]:
    """Column -> component id for a Moodle export (issue 17): first the mapping this offering used
    last time (for columns still in the file and components still in the plan), then a column whose
    item name is a component's title (``Quiz: Regulations quiz (Real)`` and "Regulations quiz"),
    then the closest title (difflib, 0.8 similar or more). Only ``Real`` columns are matched by
    name (the same item as a percentage or letter would count twice); each component once."""
    ids = {cid for cid, _title in components}
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for column, cid in (remembered or {}).items():
        if column in columns and cid in ids and cid not in taken:
            mapping[column] = cid
            taken.add(cid)
    candidates = []
    for column in columns:
        match = _MOODLE_GRADE_COLUMN.match(column)
        if column in mapping or match is None or match.group("display") != "Real":
            continue
        candidates.append((column, _words(match.group("name")), _words(f"{match.group('kind')} {match.group('name')}")))
    titles = {cid: _words(title) for cid, title in components}
    for exact in (True, False):
        for column, name, kind_and_name in candidates:
            if column in mapping:
                continue
            free = {cid: title for cid, title in titles.items() if cid not in taken}
            if exact:
                found = [cid for cid, title in free.items() if title in (name, kind_and_name)]
            else:
                scored = sorted(
                    (
                        max(
                            difflib.SequenceMatcher(None, name, title).ratio(),
                            difflib.SequenceMatcher(None, kind_and_name, title).ratio(),
                        ),
                        -cid,
                    )
                    for cid, title in free.items()
                )
                found = [-scored[-1][1]] if scored and scored[-1][0] >= 0.8 else []
            if found:
                mapping[column] = found[0]
                taken.add(found[0])
    return mapping


def moodle_preview(
    export: MoodleExport,
    *,
    mapping: Mapping[str, int],
    enrolled_emails: Iterable[str],
    max_scores: Mapping[int, Decimal],
) -> ImportPreview:
    """Every mapped cell becomes a good row or a problem with its reason; nothing is written.

    ``mapping`` is column -> component id; unmapped columns are skipped and listed."""
    enrolled = {e.lower() for e in enrolled_emails}
    good: list[ImportRow] = []
    bad: list[ImportProblem] = []
    for row in export.rows:
        line = int(row["__line__"])
        email = row.get(MOODLE_EMAIL, "").lower()
        if email not in enrolled:
            bad.append(
                ImportProblem(line, email, MOODLE_EMAIL, "unknown_learner", "No learner with this email is enrolled.")
            )
            continue
        for column, component_id in mapping.items():
            raw = row.get(column, "")
            problem = None
            if raw in {"", "-"}:
                problem = ("blank", "No mark given.")
            else:
                try:
                    score = Decimal(raw.replace(",", "."))
                except InvalidOperation:
                    problem = ("not_a_number", "The mark is not a number.")
                else:
                    if not score.is_finite() or score < 0:
                        problem = ("negative", "A mark cannot be negative.")
                    elif score > max_scores[component_id]:
                        problem = ("above_maximum", f"The mark is above the maximum of {max_scores[component_id]}.")
            if problem:
                bad.append(ImportProblem(line, email, column, *problem))
            else:
                good.append(ImportRow(line, email, column, component_id, score))
    skipped = tuple(c for c in export.grade_columns if c not in mapping)
    return ImportPreview(good=tuple(good), bad=tuple(bad), skipped_columns=skipped)


def moodle_problem_summary(problems: Iterable[ImportProblem]) -> tuple[tuple[str, str, int], ...]:
    """The whole file's problems by kind, as (code, message, how many), the most frequent first:
    the preview shows its rows a page at a time, this counts them all."""
    listed = list(problems)
    counts = Counter(p.code for p in listed)
    messages = {p.code: p.message for p in listed}
    return tuple(sorted(((code, messages[code], n) for code, n in counts.items()), key=lambda x: (-x[2], x[0])))


# --- State machines (STYLE.md: state machines are data, run by the one engine ``core.fsm``) -------
# R-RS-2: the offering's results. "committee" is the committee of the offering's course (JPPEU /
# JTSPPA / JTSPS); a return sends results back to the instructor with a comment.
IllegalTransition = fsm.IllegalTransition  # what the services catch

RESULTS_MACHINE: fsm.Machine[fsm.Transition, None] = fsm.Machine(
    "results",
    (
        fsm.Transition("draft", "submit", "instructor", "submitted"),
        fsm.Transition("submitted", "endorse", "committee", "committee_endorsed"),
        fsm.Transition("submitted", "return", "committee", "draft", comment_required=True),
        fsm.Transition("committee_endorsed", "approve", "senate", "senate_approved"),
        fsm.Transition("committee_endorsed", "return", "senate", "draft", comment_required=True),
        # A mark changed after submission sends the results back to the instructor (the gradebook).
        fsm.Transition("submitted", "reopen", "marks_changed", "draft"),
        fsm.Transition("committee_endorsed", "reopen", "marks_changed", "draft"),
    ),
    actors=("instructor", "committee", "senate", "marks_changed"),
)
RESULTS_DECIDERS = frozenset({"instructor", "committee", "senate"})  # who has a button
RESULTS_ACTIONS_NEEDING_COMMENT = frozenset(r.action for r in RESULTS_MACHINE.rows if r.comment_required)


def results_next(state: str, action: str) -> tuple[str, str]:
    """The next results state and the actor kind, or ``IllegalTransition``."""
    row, target = RESULTS_MACHINE.move(state, action, None)
    return target, row.actor


def results_actions(state: str) -> list[str]:
    """The buttons: what the instructor, the committee or the Senate may do from ``state``."""
    return [row.action for row in RESULTS_MACHINE.rows_from(state) if row.actor in RESULTS_DECIDERS]


def results_reopen(state: str) -> str:
    """R-RS-2: marks changed after submission; ``IllegalTransition`` once the Senate approved."""
    return RESULTS_MACHINE.move(state, "reopen", None)[1]


def marks_editable(results_state: str) -> bool:
    """Marks change only while the offering's results are with the instructor: a change after
    submission needs the results returned first (R-RS-2)."""
    return results_state == "draft"


# R-EN-5: the learner withdraws or defers an active enrolment; results close it.
ENROLMENT_MACHINE: fsm.Machine[fsm.Transition, None] = fsm.Machine(
    "enrolment",
    (
        fsm.Transition("enrolled", "withdraw", "learner", "withdrawn"),
        fsm.Transition("enrolled", "defer", "learner", "deferred"),
        fsm.Transition("enrolled", "pass", "results", "completed"),
        fsm.Transition("enrolled", "fail", "results", "failed"),
    ),
    actors=("learner", "results"),
)


def enrolment_next(state: str, action: str) -> str:
    return ENROLMENT_MACHINE.move(state, action, None)[1]


# --- Offerings and enrolment -----------------------------------------------------------------
def enrolment_window_open(opens: date, closes: date, today: date) -> bool:
    return opens <= today <= closes


def minimum_requirements(text: str) -> tuple[str, ...]:
    """R-EN-3: the provider's minimum requirements, one per line."""
    return tuple(line.strip(" -*\t") for line in (text or "").splitlines() if line.strip(" -*\t"))


def unconfirmed_requirements(required: Sequence[str], confirmed: Iterable[str]) -> list[str]:
    """R-EN-3: every requirement is confirmed (or evidenced) before enrolling."""
    given = set(confirmed)
    return [r for r in required if r not in given]


def seat_to_take(capacity: int, taken: Iterable[int]) -> int | None:
    """The lowest free seat number (1..capacity), or None when the offering is full."""
    used = set(taken)
    for seat in range(1, capacity + 1):
        if seat not in used:
            return seat
    return None


def needs_international_notice(is_malaysian: bool) -> bool:
    """R-EN-2: international learners are told, before confirming, that a qualification eventually
    awarded is subject to their own country's rules."""
    return not is_malaysian


def progress(done: int, total: int) -> int:
    """Assessments done over total, as a whole percentage."""
    return 0 if total <= 0 else int(Decimal(done * 100) / Decimal(total))


def time_through(starts_on: date, ends_on: date, *, today: date) -> int:
    """How far through the offering today is, as a whole percentage: 0 before it starts, 100 from
    its last day on (the learner dashboard, issue 17)."""
    if today <= starts_on:
        return 0
    if today >= ends_on:
        return 100
    return int(Decimal((today - starts_on).days * 100) / Decimal((ends_on - starts_on).days))


@dataclass(frozen=True)
class NextStep:
    """The one thing a learner should do next in an enrolment (the learner dashboard, issue 17).

    ``kind``: ``none`` (withdrawn or deferred), ``credential`` (passed, results approved),
    ``result`` (not passed, results approved), ``starts`` (the course has not begun: ``on``),
    ``assessment`` (the first component not marked yet: ``component_id``, ``component_title``),
    ``survey`` (the course survey is open and unanswered, R-RS-3) or ``wait`` (everything is
    done; the result comes after approval)."""

    kind: str
    component_id: int | None = None
    component_title: str = ""
    on: date | None = None


def next_step(
    *,
    status: str,
    starts_on: date,
    today: date,
    components: Sequence[tuple[int, str]],
    marked: Iterable[int],
    survey_open: bool,
    surveyed: bool,
    approved: bool,
    passed: bool,
) -> NextStep:
    """What comes next, in the order a learner meets it; ``components`` in the course's order."""
    if status in ("withdrawn", "deferred"):
        return NextStep("none")
    if approved:
        return NextStep("credential" if passed else "result")
    if today < starts_on:
        return NextStep("starts", on=starts_on)
    done = set(marked)
    for component_id, title in components:
        if component_id not in done:
            return NextStep("assessment", component_id=component_id, component_title=title)
    if survey_open and not surveyed:
        return NextStep("survey")
    return NextStep("wait")


# --- R-CR-7: the identity document behind a name change --------------------------------------
_EVIDENCE_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
)
_EVIDENCE_EXTENSIONS = {"pdf": (".pdf",), "png": (".png",), "jpeg": (".jpg", ".jpeg")}


def evidence_kind(head: bytes, *, name: str) -> str | None:
    """What an identity document is, from its first bytes (PDF, PNG or JPEG), when the file name's
    extension agrees with the content; ``None`` otherwise. The name and the browser's content type
    are claims; the bytes decide (docs/decisions/0012)."""
    for signature, kind in _EVIDENCE_SIGNATURES:
        if head.startswith(signature):
            return kind if name.lower().endswith(_EVIDENCE_EXTENSIONS[kind]) else None
    return None


def results_open_on(assessment_end: date, days_after: int) -> date:
    """R-RS-4 (interpretation): the first day an offering's results may be submitted, endorsed or
    approved: ``days_after`` days after its assessment ended (policy data)."""
    return assessment_end + timedelta(days=days_after)
