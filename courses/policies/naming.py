"""Naming rules (R-NM-1..3): titles, code suggestion and code validation. Pure."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from string import ascii_uppercase

from django.utils.translation import gettext as _

from courses.choices import ProposalKind
from courses.policies.data import Problem

TITLE_PREFIX = "Micro-Credential in "


def normalise(text: str) -> str:
    """Case and spacing do not make two names different."""
    return " ".join(text.split()).casefold()


def title_problems(title: str) -> list[Problem]:
    """R-NM-1: "Micro-Credential in <title>" (the qualification-name check is
    ``qualification_name_problems``, refused on every save)."""
    title = " ".join(title.split())
    if not title:
        return [Problem("R-NM-1", "title_required", _("Give the micro-credential a title."), "title")]
    prefix = normalise(TITLE_PREFIX)
    if not normalise(title).startswith(prefix) or not normalise(title)[len(prefix) :].strip():
        return [Problem("R-NM-1", "title_prefix", _('The title must read "Micro-Credential in <title>".'), "title")]
    return []


def qualification_name_problems(title: str, qualification_names: Sequence[str]) -> list[Problem]:
    """R-NM-1: neither the title nor its subject may equal an accredited qualification's name."""
    full = normalise(title)
    prefix = normalise(TITLE_PREFIX)
    subject = full[len(prefix) :].strip() if full.startswith(prefix) else full
    for name in qualification_names:
        if normalise(name) in {full, subject}:
            return [
                Problem(
                    "R-NM-1",
                    "title_is_qualification",
                    _('The title may not be the name of the accredited qualification "%(name)s".') % {"name": name},
                    "title",
                )
            ]
    return []


def part_prefix(origin_code: str, part_credits: int) -> str:
    """R-NM-3: ``TMN4033`` split into 1-credit parts -> ``TMN4031`` (last digit = credits)."""
    return f"{origin_code[:-1]}{part_credits}"


def code_pattern(kind: str, origin_code: str | None, part_credits: int | None) -> re.Pattern[str] | None:
    """R-NM-2: the form a code of this type must have; None when the origin is still missing."""
    if kind == ProposalKind.CAT1_WHOLE:
        return re.compile(re.escape(f"{origin_code}MC")) if origin_code else None
    if kind == ProposalKind.CAT1_PART:
        if not origin_code or not part_credits:
            return None
        return re.compile(re.escape(part_prefix(origin_code, part_credits)) + "MC[A-Z]")
    if kind == ProposalKind.CAT3_QVC:
        return re.compile(r"MCV(?!000)\d{3}")
    return re.compile(r"MC(?!000)\d{3}")


def code_example(kind: str, origin_code: str | None, part_credits: int | None) -> str:
    if kind == ProposalKind.CAT1_WHOLE:
        return f"{origin_code or 'TMUI233'}MC"
    if kind == ProposalKind.CAT1_PART:
        return f"{part_prefix(origin_code or 'TMN4033', part_credits or 1)}MCA"
    return "MCV001" if kind == ProposalKind.CAT3_QVC else "MC001"


def code_problems(kind: str, code: str, origin_code: str | None, part_credits: int | None) -> list[Problem]:
    """R-NM-2: the code has the form of its type (uniqueness is ``code_taken_problem``, refused on
    every save)."""
    if not code:
        return [Problem("R-NM-2", "code_required", _("Give the micro-credential a code."), "code")]
    pattern = code_pattern(kind, origin_code, part_credits)
    if pattern is not None and not pattern.fullmatch(code.upper()):
        example = code_example(kind, origin_code, part_credits)
        return [
            Problem(
                "R-NM-2", "code_format", _("A code of this type looks like %(example)s.") % {"example": example}, "code"
            )
        ]
    return []


def code_taken_problem(code: str) -> Problem:
    return Problem(
        "R-NM-2", "code_taken", _("The code %(code)s is already used by another proposal.") % {"code": code}, "code"
    )


def suggest_code(kind: str, origin_code: str | None, part_credits: int | None, taken: Collection[str]) -> str:
    """R-NM-2 / R-NM-3: the code the portal proposes; ``taken`` are the codes in use (any case).
    Empty when the origin needed is missing or every code of the series is taken."""
    used = {c.upper() for c in taken}
    if kind == ProposalKind.CAT1_WHOLE:
        return f"{origin_code}MC" if origin_code else ""
    if kind == ProposalKind.CAT1_PART:
        if not origin_code or not part_credits:
            return ""
        stem = origin_code[:-1]
        # A letter is used up by any part of the same course, whatever its credit digit.
        letters = {c[-1] for c in used if re.fullmatch(re.escape(stem) + r"\dMC[A-Z]", c)}
        free = next((letter for letter in ascii_uppercase if letter not in letters), None)
        return f"{part_prefix(origin_code, part_credits)}MC{free}" if free else ""
    prefix = "MCV" if kind == ProposalKind.CAT3_QVC else "MC"
    numbers = {int(c[len(prefix) :]) for c in used if re.fullmatch(re.escape(prefix) + r"\d{3}", c)}
    free_number = next((n for n in range(1, 1000) if n not in numbers), None)
    return f"{prefix}{free_number:03d}" if free_number else ""


def part_credit_problems(
    part_credits: int | None, origin_credits: int, other_part_credits: Sequence[int]
) -> list[Problem]:
    """R-NM-3: a part is smaller than its course, and (a warning) the parts add up to the course."""
    if not part_credits:
        return [
            Problem(
                "R-NM-3", "part_credits_required", _("Give the credits of this part of the course."), "part_credits"
            )
        ]
    if part_credits >= origin_credits:
        return [
            Problem(
                "R-NM-3",
                "part_credits_too_large",
                _(
                    "A part has fewer credits than its course (%(credits)s); for the whole course choose Category 1 whole."
                )
                % {"credits": origin_credits},
                "part_credits",
            )
        ]
    total = part_credits + sum(other_part_credits)
    if total != origin_credits:
        return [
            Problem(
                "R-NM-3",
                "parts_credits_mismatch",
                _("The parts of this course proposed so far add up to %(total)s of its %(credits)s credits.")
                % {"total": total, "credits": origin_credits},
                "part_credits",
                blocking=False,
            )
        ]
    return []
