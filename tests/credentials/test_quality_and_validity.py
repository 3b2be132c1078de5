"""R-CR-6 / R-QA-3: MQR references and QVC verifications with their validity (course page, MMS,
verification page, and an OB 3.0 alignment that still validates against the official schema and
verifies in the independent verifier), lapsed QVC blocking new offerings, CFLEX reminders once per
threshold, and credential validUntil shown as expired after the date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft201909Validator

from audit.models import AuditEvent
from core.errors import ApplicationError
from core.models import Notification
from courses.choices import ProposalKind
from courses.models import QualityReference, QualityReminder
from courses.policies.quality import qvc_latest_until, reminders_due
from courses.services.quality import quality_reference_record, quality_reminders_send
from courses.tasks import quality_reminders
from credentials.models import IssuanceRequest
from credentials.policies import OB_SCHEMA_URL
from credentials.services import credential_expiry_reminders_send, credential_issue, credential_verdict
from credentials.tasks import credential_expiry_reminders
from enrolment.models import Offering
from policy.selectors import policy_version_in_force
from policy.services import policy_version_copy
from tests.credentials.builders import approved_offering
from tests.credentials.independent import independent_verdict
from tests.credentials.test_ob_schema import official_schema
from tests.enrolment import builders as enrol
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def validator() -> Draft201909Validator:
    return official_schema(OB_SCHEMA_URL)


def _errors(validator, document) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def _bjka():
    from accounts.models import Role

    return user_with_role(Role.BJKA_OFFICER, email="bjka@example.test")


# --- pure rules ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("valid_from", "months", "latest"),
    [(date(2026, 1, 1), 36, date(2028, 12, 31)), (date(2024, 2, 29), 36, date(2027, 2, 27))],
)
def test_a_qvc_verification_lasts_at_most_the_policy_months(valid_from, months, latest):
    # DOMAIN R-CR-6
    assert qvc_latest_until(valid_from, months) == latest


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2027, 12, 29), []),
        (date(2027, 12, 30), [6]),
        (date(2028, 5, 31), [6, 1]),
        (date(2028, 6, 30), [6, 1]),
        (date(2028, 7, 1), []),  # lapsed: nothing more to remind
    ],
)
def test_reminders_fall_due_at_six_and_one_months(today, due):
    # DOMAIN R-CR-6
    assert reminders_due(date(2028, 6, 30), today, (6, 1)) == due


# --- MQR and QVC references in the credential ----------------------------------------------------
def _policy_from_today(**changes) -> None:
    """A new policy version with ``changes``, in force from today. Versions in force are frozen
    (issue 14), so it is added the way CFLEX would: a copy made the day before it takes effect."""
    today = timezone.localdate()
    source = policy_version_in_force()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "localdate", lambda *a: today - timedelta(days=1))
        policy_version_copy(source=source, effective_from=today, name="Validity", actor=None, changes=changes)


def _issue(offering: Offering, *, now=None):
    request = IssuanceRequest.objects.filter(offering_id=offering.pk).order_by("pk")[0]
    return credential_issue(request_id=request.pk, now=now)


@pytest.mark.parametrize(
    ("kind", "label", "framework_word"),
    [(ProposalKind.CAT1_WHOLE, "MQR", "Register"), (ProposalKind.CAT3_QVC, "QVC", "QVC")],
)
def test_reference_is_shown_and_carried_as_a_valid_alignment(client, validator, kind, label, framework_word):
    # DOMAIN R-QA-3, R-CR-6
    offering, _ = approved_offering(kind=kind)
    start = timezone.localdate() - timedelta(days=30)
    ref = f"{label}/FA 1234"
    recorder = _bjka() if kind == ProposalKind.CAT1_WHOLE else enrol.cflex_admin()
    quality_reference_record(
        actor=recorder,
        proposal_id=offering.proposal_id,
        reference=ref,
        valid_from=start,
        valid_until=start + timedelta(days=700),
    )
    credential = _issue(offering)
    (alignment,) = credential.document["credentialSubject"]["achievement"]["alignment"]
    assert alignment["targetCode"] == ref and alignment["type"] == ["Alignment"]
    assert framework_word in alignment["targetFramework"]
    assert (start + timedelta(days=700)).isoformat() in alignment["targetDescription"]
    assert _errors(validator, credential.document) == []
    assert credential_verdict(credential).verdict == "valid"
    assert independent_verdict(credential.document, client.get) == "valid"
    # MMS (facts printed on it), verification page and course page.
    assert ref in credential.facts["quality_assurance"]
    page = client.get(reverse("credentials:verify", args=[credential.verification_id])).content.decode()
    assert ref in page
    from credentials.pdf import mms_html
    from credentials.services import credential_facts

    assert ref in mms_html(credential_facts(credential))
    offering_page = client.get(reverse("course-page", args=[offering.pk])).content.decode()
    assert ref in offering_page


def test_a_changed_alignment_breaks_the_signature(client):
    # DOMAIN R-CR-3: the reference is signed like every other field.
    offering, _ = approved_offering(kind=ProposalKind.CAT1_WHOLE)
    quality_reference_record(
        actor=_bjka(),
        proposal_id=offering.proposal_id,
        reference="MQA/FA1234",
        valid_from=date(2024, 1, 1),
        valid_until=date(2029, 12, 31),
    )
    document = _issue(offering).document
    document["credentialSubject"]["achievement"]["alignment"][0]["targetCode"] = "MQA/FA9999"
    assert independent_verdict(document, client.get).startswith("invalid")


def test_who_records_which_reference():
    offering, _ = approved_offering(kind=ProposalKind.CAT3_QVC)
    today = timezone.localdate()
    with pytest.raises(ApplicationError) as error:  # BJKA registers MQA courses, not QVC
        quality_reference_record(actor=_bjka(), proposal_id=offering.proposal_id, reference="Q1", valid_from=today)
    assert error.value.code == "quality_forbidden"
    with pytest.raises(ApplicationError) as error:  # a learner may not even see it
        quality_reference_record(
            actor=enrol.learner(), proposal_id=offering.proposal_id, reference="Q1", valid_from=today
        )
    assert error.value.code == "proposal_not_found"
    admin = enrol.cflex_admin()
    with pytest.raises(ApplicationError) as error:  # R-CR-6: at most 3 years
        quality_reference_record(
            actor=admin,
            proposal_id=offering.proposal_id,
            reference="Q1",
            valid_from=today,
            valid_until=today + timedelta(days=3 * 366),
        )
    assert error.value.code == "qvc_too_long" and error.value.field == "valid_until"
    row = quality_reference_record(actor=admin, proposal_id=offering.proposal_id, reference="Q1", valid_from=today)
    assert row.valid_until == qvc_latest_until(today, 36)


# --- lapsed QVC blocks new offerings; renewal lifts it -----------------------------------------
def test_a_lapsed_qvc_blocks_a_new_offering_and_renewal_reopens(client):
    # DOMAIN R-CR-6
    course = enrol.ready_course(kind=ProposalKind.CAT3_QVC)
    admin = enrol.cflex_admin()
    long_ago = timezone.localdate() - timedelta(days=4 * 365)
    quality_reference_record(actor=admin, proposal_id=course.pk, reference="QVC/2022/7", valid_from=long_ago)
    with pytest.raises(ApplicationError) as error:
        enrol.offering(course, admin=admin)
    assert error.value.code == "qvc_lapsed" and error.value.field == "starts_on"
    assert not Offering.objects.filter(proposal=course).exists()
    # The renewal step (page), then the offering opens.
    client.force_login(admin)
    url = reverse("proposal-quality", args=[course.pk])
    response = client.post(url, {"reference": "QVC/2026/7", "valid_from": timezone.localdate().isoformat()})
    assert response.status_code == 302
    rows = QualityReference.objects.filter(proposal=course)
    assert rows.count() == 2 and rows.filter(superseded_at__isnull=True).get().reference == "QVC/2026/7"
    assert AuditEvent.objects.filter(action="proposal.quality_renew").count() == 1
    assert enrol.offering(course, admin=admin).pk


def test_quality_pages_are_for_cflex_and_bjka_only(client):
    course = enrol.ready_course(kind=ProposalKind.CAT3_QVC)
    client.force_login(enrol.learner())
    assert client.get(reverse("quality-list")).status_code == 404
    assert client.get(reverse("proposal-quality", args=[course.pk])).status_code == 404
    client.force_login(_bjka())
    assert client.get(reverse("quality-list")).status_code == 200
    assert client.get(reverse("proposal-quality", args=[course.pk])).status_code == 200


# --- reminders ------------------------------------------------------------------------------------
def test_cflex_is_reminded_once_at_each_threshold_however_often_the_task_runs(django_capture_on_commit_callbacks):
    # DOMAIN R-CR-6: Celery beat runs courses.quality_reminders daily; twice leaves one each.
    course = enrol.ready_course(kind=ProposalKind.CAT3_QVC)
    admin = enrol.cflex_admin()
    today = timezone.localdate()
    start = today - timedelta(days=900)
    row = quality_reference_record(
        actor=admin, proposal_id=course.pk, reference="QVC/9", valid_from=start, valid_until=today + timedelta(days=150)
    )
    with django_capture_on_commit_callbacks(execute=False):
        assert quality_reminders.apply().get() == 1  # the 6-month reminder (via the Celery task)
        assert quality_reminders.apply().get() == 0
        assert quality_reminders_send(today=today + timedelta(days=125)) == 1  # one month before
        assert quality_reminders_send(today=today + timedelta(days=125)) == 0
        assert quality_reminders_send(today=today + timedelta(days=151)) == 0  # lapsed
    assert sorted(QualityReminder.objects.filter(quality_reference=row).values_list("months_before", flat=True)) == [
        1,
        6,
    ]
    notes = Notification.objects.filter(recipient=admin, template="qvc_expiry_reminder")
    assert sorted(n.context["months"] for n in notes) == [1, 6]


# --- credential validUntil --------------------------------------------------------------------
def test_valid_until_is_carried_and_verified_as_expired_after_the_date(
    client, validator, django_capture_on_commit_callbacks
):
    # DOMAIN R-CR-6: off by default; a policy validity in months gives validUntil.
    plain = _issue(approved_offering()[0])
    assert "validUntil" not in plain.document and plain.valid_until is None
    # A result is graded under the policy in force (its version is recorded), so a new version
    # with a validity applies to the results graded after it.
    _policy_from_today(credential_validity_months=1)
    issued_at = timezone.now() - timedelta(days=40)
    offering, _ = approved_offering()
    # validFrom is the Senate approval (R-RS-4): approved, then issued, 40 days ago.
    Offering.objects.filter(pk=offering.pk).update(results_approved_at=issued_at - timedelta(hours=1))
    credential = _issue(offering, now=issued_at)
    assert credential.valid_until is not None and credential.valid_until < timezone.now()
    assert credential.document["validUntil"].startswith(credential.facts["valid_until"])
    assert _errors(validator, credential.document) == []
    assert credential_verdict(credential).verdict == "expired"
    assert independent_verdict(credential.document, client.get) == "expired"
    page = client.get(reverse("credentials:verify", args=[credential.verification_id])).content.decode()
    assert 'data-verdict="expired"' in page and credential.facts["valid_until"] in page
    api = client.get(reverse("api-credential-status", args=[credential.verification_id]))
    assert api.status_code == 200 and api.json()["verdict"] == "expired"
    # Before the date it verified as valid.
    assert independent_verdict(credential.document, client.get, now=issued_at + timedelta(days=1)) == "valid"


def test_learners_are_reminded_once_before_a_credential_expires(django_capture_on_commit_callbacks):
    # DOMAIN R-CR-6
    _policy_from_today(credential_validity_months=1, credential_reminder_days=30)
    offering, _ = approved_offering()
    credential = _issue(offering, now=timezone.now() - timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=False):
        assert credential_expiry_reminders.apply().get() == 1
        assert credential_expiry_reminders_send() == 0
    note = Notification.objects.get(recipient=credential.learner, template="credential_expiring")
    assert note.context["valid_until"] == credential.facts["valid_until"]
