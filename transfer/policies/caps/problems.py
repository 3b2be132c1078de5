"""What stops a claim being submitted as it stands (R-CAT-5, R-CT-5, R-CT-6, R-NM-2)."""

from __future__ import annotations

from collections.abc import Sequence

from transfer.choices import Verification
from transfer.policies.caps.model import CredentialIn, Problem, ProgrammeIn


def claim_problems(
    programme: ProgrammeIn, credentials: Sequence[CredentialIn], prefix: str = "claims"
) -> list[Problem]:
    """What stops a claim being submitted as it stands: a Foundation programme (R-CAT-5), nothing
    claimed, a credential claimed twice (R-CT-5), a course that is not the programme's, a course
    mapped from fewer credits than it carries (R-NM-2)."""
    from django.utils.translation import gettext as _

    if programme.is_foundation:
        return [
            Problem(
                "R-CAT-5",
                "programme_foundation",
                _("Foundation programmes are never targets of micro-credential transfer."),
                "programme",
            )
        ]
    if not credentials:
        return [Problem("R-CT-6", "no_claims", _("Claim at least one credential."), prefix)]
    problems = []
    first_index: dict[str, int] = {}
    for index, c in enumerate(credentials):
        where = f"{prefix}[{index}]"
        if c.ref in first_index:
            problems.append(
                Problem(
                    "R-CT-5",
                    "credential_claimed_twice",
                    _("%(code)s is claimed twice; a credential counts only once.") % {"code": c.code},
                    f"{where}.credential",
                )
            )
            continue
        first_index[c.ref] = index
        if c.course and programme.course(c.course) is None:
            problems.append(
                Problem(
                    "R-CT-6",
                    "course_not_in_programme",
                    _("%(course)s is not a course of %(programme)s.")
                    % {"course": c.course, "programme": programme.code},
                    f"{where}.course",
                )
            )
    totals: dict[str, int] = {}
    first_of_course: dict[str, int] = {}
    for index in first_index.values():
        c = credentials[index]
        if not c.course or not c.active or c.verification == Verification.REJECTED:
            continue
        totals[c.course] = totals.get(c.course, 0) + c.credits
        first_of_course.setdefault(c.course, index)
    for code, total in totals.items():
        course = programme.course(code)
        if course is not None and total < course.credits:
            problems.append(
                Problem(
                    "R-NM-2",
                    "course_credits_short",
                    _(
                        "%(course)s carries %(credits)s credits; the credentials mapped to it carry only %(total)s. "
                        "Map every part of a divided course to it, or none."
                    )
                    % {"course": code, "credits": course.credits, "total": total},
                    f"{prefix}[{first_of_course[code]}].course",
                )
            )
    return problems
