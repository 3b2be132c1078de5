"""The engine's result in plain words (English / Bahasa Malaysia through gettext), for the
"what would count?" page, the application page, the API and the decision letter."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from transfer.policies.apel import ApelMReason, ApelMResult
from transfer.policies.caps import CredentialOutcome, Pending, Reason, TransferResult

CAP_LABELS: dict[str, Promise] = {
    "samc_apelc": gettext_lazy("stand-alone micro-credentials via APEL.C"),
    "samc_all": gettext_lazy("stand-alone micro-credentials, QVC-verified included"),
    "outside_and_samc": gettext_lazy("credits from outside UNIMAS plus stand-alone micro-credentials"),
    "min_at_unimas": gettext_lazy("the share that must be taken at UNIMAS"),
    "category1": gettext_lazy("Category 1 micro-credentials of UNIMAS"),
    "total": gettext_lazy("all credit transfers"),
}


def cap_label(key: str) -> str:
    return str(CAP_LABELS.get(key, key))


def reason_text(o: CredentialOutcome, min_clo: int) -> str:
    """Why one credential counts or not, in a sentence."""
    if o.reason == Reason.COUNTS:
        text = _("Counts for %(credits)s credits towards %(course)s.") % {"credits": o.counted, "course": o.course}
        if Pending.UNVERIFIED in o.pending:
            text += " " + _("Provisional: the evidence has not been checked yet.")
        if Pending.APELC in o.pending:
            text += " " + _("Provisional: the APEL.C officer has not assessed your CLO attainment yet.")
        return text
    texts = {
        Reason.CLAIMED_TWICE: _("Already claimed above; a credential counts only once."),
        Reason.NOT_ACTIVE: _("This credential has been revoked or suspended."),
        Reason.EVIDENCE_REJECTED: _("The evidence was rejected."),
        Reason.NOT_MAPPED: _("Not mapped to a course of this programme."),
        Reason.NOT_IN_PROGRAMME: _("%(course)s is not a course of this programme.") % {"course": o.course},
        Reason.CLO_BELOW_MINIMUM: _(
            "Below %(min)s%% on at least one course learning outcome: APEL.C credit needs %(min)s%% on each."
        )
        % {"min": min_clo},
        Reason.COURSE_SHORT: _("%(course)s needs more credits than the credentials mapped to it carry.")
        % {"course": o.course},
        Reason.COURSE_COVERED: _("%(course)s is already credited from other credentials; a course counts once.")
        % {"course": o.course},
        Reason.CAPPED: _("Left out: the cap on %(cap)s is reached.") % {"cap": cap_label(o.cap)},
        Reason.FOUNDATION: _("Foundation programmes are never targets of micro-credential transfer."),
    }
    return texts.get(o.reason, o.reason)


def summary(result: TransferResult, *, you: bool = True, approved: bool = False) -> list[str]:
    """The whole result in a few sentences, to the learner (``you``) or about them; ``approved``:
    as decided, not as a prospect."""
    g = result.graduating_credits
    lines = [
        (
            _("%(credits)s of the programme's %(total)s graduating credits are transferred (%(pct)s%%).")
            if approved
            else _("%(credits)s of the programme's %(total)s graduating credits would be transferred (%(pct)s%%).")
        )
        % {"credits": result.transferred, "total": g, "pct": result.transferred_pct}
    ]
    bindings = result.bindings
    if len(bindings) == 1:
        binding = bindings[0]
        lines.append(
            _("The cap on %(cap)s (%(pct)s%% = %(limit)s credits) bound the result: %(cut)s credits were left out.")
            % {
                "cap": cap_label(binding.key),
                "pct": binding.pct,
                "limit": binding.limit,
                "cut": result.binding_cut,
            }
        )
    elif bindings:
        caps = "; ".join(
            _("%(cap)s (%(pct)s%% = %(limit)s credits)") % {"cap": cap_label(b.key), "pct": b.pct, "limit": b.limit}
            for b in bindings
        )
        lines.append(
            _("The caps on %(caps)s bound the result together: %(cut)s credits were left out.")
            % {"caps": caps, "cut": result.binding_cut}
        )
    else:
        lines.append(_("No cap limited the result."))
    lines.append(
        (
            _("%(credits)s credits (%(pct)s%%) remain to be taken at UNIMAS.")
            if approved or not you
            else _("You would still take %(credits)s credits (%(pct)s%%) at UNIMAS.")
        )
        % {"credits": result.remaining, "pct": result.remaining_pct}
    )
    if result.min_at_unimas is not None:
        lines.append(
            _("With Category 2 credits, at least %(credits)s credits must be taken at UNIMAS.")
            % {"credits": result.min_at_unimas}
        )
    if result.provisional:
        lines.append(
            _("Some credits are provisional until the evidence is checked or the APEL.C officer assesses your CLOs.")
        )
    advice = result.advice
    if advice.advised:
        if advice.basis == "one_institution" and you:
            text = _(
                "You have completed at least %(pct)s%% of this programme from %(provider)s. If you do not meet "
                "the programme's entry requirements, you are advised to undergo APEL.A."
            )
        elif advice.basis == "one_institution":
            text = _(
                "The learner has completed at least %(pct)s%% of this programme from %(provider)s: without the "
                "programme's entry requirements, APEL.A is advised."
            )
        elif you:
            text = _(
                "You have completed at least %(pct)s%% of this programme from several institutions. If you do "
                "not meet the programme's entry requirements, you are advised to undergo APEL.A."
            )
        else:
            text = _(
                "The learner has completed at least %(pct)s%% of this programme from several institutions: without "
                "the programme's entry requirements, APEL.A is advised."
            )
        lines.append(text % {"pct": advice.pct, "provider": advice.provider})
    return lines


def apelm_summary(apelm: ApelMResult) -> list[str]:
    """R-AP-2 / R-AP-4 in words (the same for the learner and the reviewers): what counts, the
    threshold without MPU, and the APEL.M age next to the normal entry age."""
    lines = [
        _(
            "Completed credits for APEL.M: %(credits)s; %(needed)s needed, %(pct)s%% of the programme's "
            "%(basis)s graduating credits without its %(programme_mpu)s MPU credits."
        )
        % {
            "credits": apelm.credits,
            "needed": apelm.required_credits,
            "pct": apelm.required_pct,
            "basis": apelm.basis_credits,
            "programme_mpu": apelm.programme_mpu_credits,
        },
        _(
            "Only Category 1 UNIMAS micro-credentials of this programme's courses and Category 2 "
            "micro-credentials mapped to its courses count, each once. Stand-alone micro-credentials, "
            "credentials mapped to no course of the programme and MPU courses do not count."
        ),
    ]
    if apelm.mpu_credits:
        lines.append(_("%(mpu)s completed credits are MPU and are not counted.") % {"mpu": apelm.mpu_credits})
    ages = {"min": apelm.min_age, "normal": apelm.normal_age, "age": apelm.age}
    if ApelMReason.NO_AGE_RULE in apelm.reasons:
        lines.append(_("APEL.M has no minimum age for this level of programme, so it is not open."))
    elif apelm.age_exception:
        lines.append(
            _(
                "The university granted an exception to the minimum age via APEL.M of %(min)s "
                "(normal entry: %(normal)s)."
            )
            % ages
        )
    elif apelm.age is None:
        lines.append(
            _(
                "The date of birth is not in the learner profile, so the minimum age via APEL.M of %(min)s "
                "(normal entry: %(normal)s) cannot be checked."
            )
            % ages
        )
    else:
        lines.append(_("Age this year: %(age)s; the minimum via APEL.M is %(min)s (normal entry: %(normal)s).") % ages)
    lines.append(
        _("Eligible to apply for entry through APEL.M.") if apelm.eligible else _("Not eligible for APEL.M yet.")
    )
    return lines
