"""Every audit action in words (issue 17): histories show these labels, never the raw key
(``proposal.survey_attach``). tests/audit/test_labels.py checks every action the code records
has one."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

AUDIT_ACTION_LABELS: dict[str, Promise] = {
    "course.add": _("Course record added"),
    "programme.add": _("Programme record added"),
    "programme.coordinator": _("Programme coordinator changed"),
    "meeting.create": _("Meeting created"),
    "policy.version_add": _("Policy version added"),
    "policy.version_change": _("Policy version changed"),
    "proposal.create": _("Created"),
    "proposal.update": _("Draft saved"),
    "proposal.delete": _("Deleted"),
    "proposal.submit": _("Submitted"),
    "proposal.approve": _("Approved"),
    "proposal.defer": _("Deferred by the meeting"),
    "proposal.head_approve": _("Approve (Head of PTj)"),
    "proposal.sme_appoint": _("SME appointed"),
    "proposal.survey_attach": _("Market survey analysis attached"),
    "proposal.video_not_applicable": _("Video steps changed"),
    "offering.create": _("Offering created"),
    "offering.max_score": _("Maximum score changed"),
    "enrolment.create": _("Enrolled"),
    "enrolment.close": _("Enrolment closed"),
    "enrolment.fee": _("Fee recorded"),
    "learner_profile.create": _("Learner profile created"),
    "learner_profile.name_change": _("Legal name changed"),
    "learner_profile.update": _("Learner profile updated"),
    "name_change.request": _("Name change requested"),
    "name_change.approve": _("Name change approved"),
    "name_change.refuse": _("Name change refused"),
    "mark.record": _("Mark recorded"),
    "grade_import.upload": _("Grade file uploaded"),
    "grade_import.confirm": _("Grade import confirmed"),
    "results.reopen": _("Results reopened"),
    "survey.submit": _("Course survey answered"),
    "credential.request": _("Credential requested"),
    "credential.issue": _("Credential issued"),
    "credential.reissue": _("Credential re-issued"),
    "credential.fail": _("Issuance failed"),
    "credential.retry": _("Issuance retried"),
    "credential.revoke": _("Credential revoked"),
    "credential.suspend": _("Credential suspended"),
    "credential.reinstate": _("Credential reinstated"),
    "credential.wallet_offer": _("Credential offered to a wallet"),
    "credential.wallet_bind": _("Credential bound to a wallet"),
    "proposal.quality_record": _("Quality verification recorded"),
    "proposal.quality_reminder": _("Quality verification reminder sent"),
    "proposal.quality_renew": _("Quality verification renewed"),
    "report.esp_export": _("MQA eSP export downloaded"),
    "credential.bulk_download": _("Credentials downloaded together"),
    "credential.resend": _("Credential mail sent again"),
    "transcript.create": _("Transcript created"),
    "transcript.withdraw": _("Transcript withdrawn"),
    "course.change": _("Course record changed"),
    "programme.change": _("Programme record changed"),
    "programme.course_link": _("Course added to the programme"),
    "programme.course_unlink": _("Course removed from the programme"),
    "offering.assessment_end_set": _("Last assessment date set"),
    "policy.version_delete": _("Policy version deleted"),
    "role.assign": _("Role granted"),
    "role.revoke": _("Role revoked"),
    "settings.update": _("Settings changed"),
    "login.locked_out": _("Locked out after failed log-ins"),
    "user.register": _("Registered"),
    "user.register_existing": _("Registration tried with an existing address"),
    "user.confirm_email": _("Email address confirmed"),
    "user.two_factor_enable": _("Two-factor authentication turned on"),
}


def audit_action_label(action: str) -> str:
    """The words for an audit action; the key itself only for an action nobody labelled (the
    test makes sure there is none)."""
    label = AUDIT_ACTION_LABELS.get(action)
    return str(label) if label is not None else action
