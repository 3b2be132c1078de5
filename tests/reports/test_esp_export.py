"""R-QA-3: the MQA eSP export: per micro-credential and period, the learners who took it and who
passed, with whole identity numbers, CSV and XLSX in a configurable layout, audited, and only for
CFLEX and BJKA."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from audit.models import AuditEvent
from core.errors import ApplicationError
from credentials.models import IssuanceRequest
from credentials.services import credential_issue
from enrolment.models import Enrolment
from enrolment.services import enrolment_withdraw
from reports.esp import ESP_FIELDS, LayoutError, esp_layout
from reports.services import esp_export
from tests.credentials.builders import approved_offering
from tests.enrolment import builders as enrol
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer():
    """An offering with nobody enrolled: enough to check who may export."""
    return enrol.offering(enrol.ready_course())


NRICS = ["900101-13-7001", "900101-13-7002", "900101-13-7003"]


@pytest.fixture
def world():
    """One offering: two learners pass (credentials issued), one fails."""
    learners = [enrol.learner(nric=n) for n in NRICS]
    offering, enrolments = approved_offering(passing=2, failing=1, learners=learners)
    for request in IssuanceRequest.objects.filter(offering_id=offering.pk):
        credential_issue(request_id=request.pk)
    # The period is set around the day the offering ends (results come after it, so that day is
    # before today): a period that starts the day before it ends holds it, one ending that day before does not.
    ends = offering.ends_on
    return offering, enrolments, ends - timedelta(days=1), ends + timedelta(days=365)


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_contents_for_an_offering_with_passes_and_fails(world, settings):
    # DOMAIN R-QA-3
    offering, _, start, end = world
    cflex = enrol.cflex_admin()
    export = esp_export(actor=cflex, proposal_id=offering.proposal_id, date_from=start, date_to=end, fmt="csv")
    assert (export.took, export.passed) == (3, 2)
    rows = _csv_rows(export.content)
    assert [r["Identity number"] for r in rows] == NRICS  # whole, not masked: MQA needs it
    assert [r["Passed"] for r in rows] == ["Yes", "Yes", "No"]
    assert [r["Grade"] != "" for r in rows] == [True, True, True]
    assert all(r["Certificate serial no."] for r in rows[:2]) and rows[2]["Certificate serial no."] == ""
    assert {r["Micro-credential code"] for r in rows} == {offering.course_code}
    assert list(rows[0]) == [f.header for f in ESP_FIELDS.values()]
    event = AuditEvent.objects.get(action="report.esp_export")
    assert event.actor == cflex and event.data["took"] == 3 and event.data["passed"] == 2
    # XLSX: the same learners, and a summary with the counts.
    xlsx = esp_export(actor=cflex, proposal_id=offering.proposal_id, date_from=start, date_to=end, fmt="xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = list(book["Learners"].values)
    assert len(sheet) == 4 and [row[list(ESP_FIELDS).index("passed")] for row in sheet[1:]] == ["Yes", "Yes", "No"]
    summary = {row[0]: row[1] for row in book["Summary"].values if row and row[0]}
    assert summary["Took"] == 3 and summary["Passed"] == 2
    assert AuditEvent.objects.filter(action="report.esp_export").count() == 2
    # Offerings ending outside the period are left out; the period must be in order.
    cflex = enrol.cflex_admin()
    before = offering.ends_on - timedelta(days=1)
    export = esp_export(actor=cflex, proposal_id=offering.proposal_id, date_from=start, date_to=before, fmt="csv")
    assert (export.took, export.passed) == (0, 0)
    with pytest.raises(ApplicationError) as error:
        esp_export(actor=cflex, proposal_id=offering.proposal_id, date_from=end, date_to=start, fmt="csv")
    assert error.value.code == "period_order" and error.value.field == "date_to"
    # The layout is configurable (docs/esp-export.md).
    settings.ESP_EXPORT_COLUMNS = ["learner_name=Nama", "identity_number=No. KP", "passed=Lulus"]
    export = esp_export(
        actor=enrol.cflex_admin(), proposal_id=offering.proposal_id, date_from=start, date_to=end, fmt="csv"
    )
    rows = _csv_rows(export.content)
    assert list(rows[0]) == ["Nama", "No. KP", "Lulus"]
    with pytest.raises(LayoutError):
        esp_layout("learner_name,shoe_size")
    settings.ESP_EXPORT_COLUMNS = ["shoe_size"]
    with pytest.raises(ApplicationError) as error:
        esp_export(actor=enrol.cflex_admin(), proposal_id=offering.proposal_id, date_from=start, date_to=end, fmt="csv")
    assert error.value.code == "esp_layout_invalid"


def test_withdrawn_learner_did_not_take_it():
    offering = enrol.offering(enrol.ready_course())
    learner = enrol.learner()
    from enrolment.services import enrolment_create

    enrolment = enrolment_create(actor=learner, offering=offering)
    enrolment_withdraw(actor=learner, enrolment=enrolment, reason="Moved away")
    today = timezone.localdate()
    export = esp_export(
        actor=enrol.cflex_admin(),
        proposal_id=offering.proposal_id,
        date_from=today,
        date_to=today + timedelta(days=365),
        fmt="csv",
    )
    assert Enrolment.objects.filter(offering=offering).count() == 1 and export.took == 0


ROLE_STATUS = [
    (Role.CFLEX_ADMIN, 200),
    (Role.CFLEX_REVIEWER, 200),
    (Role.BJKA_OFFICER, 200),
    (Role.SENATE_SECRETARY, 403),
    (Role.INSTRUCTOR, 403),
    (Role.LEARNER, 403),
]


def test_only_cflex_and_bjka_export(client, offer):
    offering = offer
    start, end = timezone.localdate(), timezone.localdate() + timedelta(days=365)
    query = {"course": offering.proposal_id, "from": start.isoformat(), "to": end.isoformat(), "format": "xlsx"}
    exports = 0
    for role, status in ROLE_STATUS:
        client.force_login(user_with_role(role, email=f"{role}@esp.example"))
        assert client.get(reverse("report-esp")).status_code == status, role
        response = client.get(reverse("report-esp"), {**query, "download": "1"})
        assert response.status_code == status, role
        if status == 200:
            exports += 1
            assert response["Content-Disposition"].startswith("attachment;")
            assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert AuditEvent.objects.filter(action="report.esp_export").count() == exports, role


def test_a_dean_cannot_export_through_the_service(offer):
    offering = offer
    start, end = timezone.localdate(), timezone.localdate() + timedelta(days=365)
    from accounts.models import PTj

    dean = user_with_role(Role.DEAN, ptj=PTj.objects.get(code="FCSIT"))
    with pytest.raises(ApplicationError) as error:
        esp_export(actor=dean, proposal_id=offering.proposal_id, date_from=start, date_to=end, fmt="csv")
    assert error.value.code == "esp_forbidden" and error.value.status == 403


def test_bad_parameters_are_a_400_naming_the_field(client, offer):
    offering = offer
    start, end = timezone.localdate(), timezone.localdate() + timedelta(days=365)
    client.force_login(enrol.cflex_admin())
    response = client.get(
        reverse("report-esp"),
        {"course": "999999", "from": start.isoformat(), "to": end.isoformat(), "format": "csv", "download": "1"},
    )
    assert response.status_code == 400
    response = client.get(
        reverse("report-esp"),
        {"course": offering.proposal_id, "from": "yesterday", "to": end.isoformat(), "format": "csv", "download": "1"},
    )
    assert response.status_code == 400
