"""What each role sees on its home page: its work and where to find it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Committee, PTj, Role


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url: str


@dataclass(frozen=True)
class RolePanel:
    role: str
    title: str | Promise
    scope: str
    duty: str | Promise
    links: tuple[Link, ...] = field(default_factory=tuple)


DUTIES: dict[str, Promise] = {
    Role.COURSE_DEVELOPER: _("Propose micro-credentials, build Table 4 and respond to reviews."),
    Role.HEAD_OF_PTJ_MQA: _("Give the first approval to your PTj's MQA-accredited proposals."),
    Role.HEAD_OF_PTJ_NON_MQA: _("Give the first approval to your PTj's non-MQA proposals."),
    Role.CFLEX_REVIEWER: _("Evaluate proposals, track development, appoint SMEs and present to committees."),
    Role.CFLEX_ADMIN: _("Keep policy data, offerings, issuance, revocation and reports."),
    Role.SME: _("Vet the content and promotional video of the courses you are appointed to."),
    Role.COMMITTEE_SECRETARY: _("Record your committee's decisions on courses and on results."),
    Role.SENATE_SECRETARY: _("Record Senate approval of courses and of results."),
    Role.BJKA_OFFICER: _("Register MQA-accredited micro-credentials with MQA."),
    Role.INSTRUCTOR: _("Grade your offerings and give feedback to learners."),
    Role.PROGRAMME_COORDINATOR: _("Review credit-transfer applications to your programmes."),
    Role.DEAN: _("Approve credit transfers and oversee your PTj's micro-credentials."),
    Role.APELC_OFFICER: _("Assess APEL.C evidence for stand-alone micro-credentials."),
    Role.LEARNER: _("Enrol, study, download your credentials and apply for credit transfer."),
}


def _links_for(role: str) -> tuple[Link, ...]:
    if role == Role.COURSE_DEVELOPER:
        return (
            Link(_("My proposals"), reverse("proposal-list")),
            Link(_("Propose a micro-credential"), reverse("proposal-new")),
            Link(_("Waiting for me"), reverse("proposal-queue")),
        )
    if role in (Role.HEAD_OF_PTJ_MQA, Role.HEAD_OF_PTJ_NON_MQA, Role.SME, Role.BJKA_OFFICER):
        return (Link(_("Proposals waiting for me"), reverse("proposal-queue")),)
    if role == Role.CFLEX_REVIEWER:
        return (
            Link(_("Proposals waiting for me"), reverse("proposal-queue")),
            Link(_("Pipeline board"), reverse("proposal-board")),
            Link(_("Committee and Senate meetings"), reverse("meeting-list")),
        )
    if role == Role.LEARNER:
        return (
            Link(_("My learning"), reverse("my-learning")),
            Link(_("My credentials"), reverse("credentials:wallet")),
            Link(_("Course catalogue"), reverse("catalogue")),
            Link(_("My learner profile"), reverse("learner-profile")),
        )
    if role == Role.INSTRUCTOR:
        return (Link(_("My offerings and gradebooks"), reverse("teaching")),)
    if role in (Role.COMMITTEE_SECRETARY, Role.SENATE_SECRETARY):
        return (
            Link(_("Proposals waiting for me"), reverse("proposal-queue")),
            Link(_("Committee and Senate meetings"), reverse("meeting-list")),
            Link(_("Results awaiting you"), reverse("results-queue")),
        )
    if role == Role.CFLEX_ADMIN:
        return (
            Link(_("Offerings and fees"), reverse("cflex-offerings")),
            Link(_("Credential issuance"), reverse("credentials:batches")),
            Link(_("Policy versions"), reverse("admin:policy_policyversion_changelist")),
            Link(_("People and roles"), reverse("admin:accounts_roleassignment_changelist")),
            Link(_("Programmes and courses"), reverse("admin:courses_programme_changelist")),
            Link(_("Audit trail"), reverse("admin:audit_auditevent_changelist")),
        )
    return ()


# Reports (R-QA-2): who sees which is reports.rules; the link is on each role that sees them.
_REPORT_ROLES = frozenset(
    {
        Role.CFLEX_ADMIN,
        Role.CFLEX_REVIEWER,
        Role.BJKA_OFFICER,
        Role.SENATE_SECRETARY,
        Role.DEAN,
        Role.HEAD_OF_PTJ_MQA,
        Role.HEAD_OF_PTJ_NON_MQA,
    }
)


def _report_links(role: str) -> tuple[Link, ...]:
    if role in _REPORT_ROLES:
        return (Link(_("Reports: pipeline, delivery, learner experience"), reverse("reports-index")),)
    if role == Role.INSTRUCTOR:
        return (Link(_("Learner experience of my offerings"), reverse("report", args=["experience"])),)
    return ()


def _transfer_links(role: str) -> tuple[Link, ...]:
    """Credit transfer (R-CT-6): learners check and apply; reviewers find what waits for them."""
    if role == Role.LEARNER:
        return (
            Link(_("Credit transfer: what would count?"), reverse("transfer-check")),
            Link(_("My credentials and credit-transfer applications"), reverse("transfer-home")),
        )
    if role in (Role.PROGRAMME_COORDINATOR, Role.DEAN, Role.APELC_OFFICER, Role.CFLEX_ADMIN):
        return (Link(_("Credit-transfer applications"), reverse("transfer-queue")),)
    return ()


def role_panels(assignments: list[tuple[str, int | None, str]], ptjs: dict[int, PTj]) -> list[RolePanel]:
    """One panel per role held; several PTjs or committees of one role share a panel."""
    scopes: dict[str, list[str]] = {}
    for role, ptj_id, committee in assignments:
        label = ptjs[ptj_id].code if ptj_id is not None else (Committee(committee).value if committee else "")
        scopes.setdefault(role, [])
        if label:
            scopes[role].append(label)
    return [
        RolePanel(
            role=role,
            title=Role(role).label,
            scope=", ".join(sorted(scopes[role])),
            duty=DUTIES[role],
            links=_links_for(role) + _report_links(role) + _transfer_links(role),
        )
        for role in Role.values
        if role in scopes
    ]
