"""Short help for the DOMAIN rules a refusal can name (issue 17). People read the refusal in plain
words; staff can open "why?" beside it to see which rule of the UNIMAS Guidelines on
Micro-Credential (v2.0) is behind it."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

RULE_HELP: dict[str, Promise] = {
    "R-CAT-1": gettext_lazy("A Category 1 micro-credential is unbundled from an accredited UNIMAS programme."),
    "R-CAT-4": gettext_lazy("UNIMAS develops only Category 1 and Category 3 micro-credentials."),
    "R-CAT-5": gettext_lazy("Micro-credentials cannot be made from Foundation programmes."),
    "R-NM-1": gettext_lazy(
        'The title reads "Micro-Credential in <title>" and is never the name of an accredited qualification.'
    ),
    "R-NM-2": gettext_lazy(
        "Codes follow the guideline's pattern (TMUI233MC, TMN4031MCA, MC001, MCV001) and are unique."
    ),
    "R-NM-3": gettext_lazy("The last digit of a UNIMAS course code is its credit value."),
    "R-AF-1": gettext_lazy("The application form of an MQA-accredited micro-credential has every listed part."),
    "R-AF-2": gettext_lazy("The application form of a stand-alone micro-credential has every listed part."),
    "R-AF-3": gettext_lazy(
        "A stand-alone micro-credential's market survey has at least 30 respondents and its analysis."
    ),
    "R-AF-4": gettext_lazy(
        "Learning outcomes have an action verb, performance criteria and conditions, at an MQF level."
    ),
    "R-WF-1": gettext_lazy("A proposal passes the approval and development steps in order."),
    "R-WF-3": gettext_lazy("A returned proposal is revised and goes back to the reviewer who returned it."),
    "R-WF-5": gettext_lazy("Each step is taken by the one role allowed to take it."),
    "R-WF-6": gettext_lazy(
        "A course delivered 30-79% online is Substitute Blended Learning and needs a PTG reference."
    ),
    "R-SLT-1": gettext_lazy("Student learning time is counted from the guideline's table of activities and rates."),
    "R-SLT-2": gettext_lazy("Each line's rate lies within the range the table gives for its activity."),
    "R-SLT-3": gettext_lazy("1 credit is 40 hours of student learning time."),
    "R-AS-1": gettext_lazy("Assessment weights are whole percentages adding up to 100, continuous and final."),
    "R-AS-2": gettext_lazy("Every component assesses a learning outcome, and every outcome is assessed."),
    "R-AS-3": gettext_lazy("Every learning unit has at least one assessment."),
    "R-EN-2": gettext_lazy(
        "International learners are told, before they enrol, that any qualification awarded is subject to "
        "their own country's rules."
    ),
    "R-EN-3": gettext_lazy("A learner confirms each minimum requirement the offering sets when enrolling."),
    "R-RS-2": gettext_lazy("Results go from the instructor to the committee and then to Senate."),
    "R-CR-1": gettext_lazy(
        "Every passing learner gets a certificate, an MMS and a digital badge after Senate approval."
    ),
    "R-CR-5": gettext_lazy("A credential can be revoked, with a reason that the verification page shows."),
    "R-CR-7": gettext_lazy("After the first credential, a legal name changes only through an approved request."),
}


def rule_help(rule: str) -> str:
    help_text = RULE_HELP.get(rule)
    if help_text is not None:
        return str(help_text)
    return _("A rule of the UNIMAS Guidelines on Micro-Credential (version 2.0).")
