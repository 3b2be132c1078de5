"""The credit-transfer API: programmes, prior credentials, the engine and applications. Refusals are
4xx with the field and the rule; other people's applications are 404; lists pin their queries."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from audit.models import AuditEvent
from courses.services import programme_ensure
from tests.openapi import assert_conforms
from tests.transfer import builders
from transfer.models import Application, ApplicationLine, PriorCredential
from transfer.services import decision_letter_issue

pytestmark = pytest.mark.django_db

API = "/api/v1/transfer"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, data: dict):
    return client.post(url, data=json.dumps(data), content_type="application/json")


@pytest.fixture
def learner_client(world):
    return client_for(world.learner)


def test_programmes_are_public_never_foundation_and_pinned(world, django_assert_num_queries):
    # DOMAIN R-CAT-5
    programme_ensure(code="ASC", name="Foundation in Science", ptj=world.ptj, level="foundation", graduating_credits=36)
    with django_assert_num_queries(4):  # programmes, their course links, the courses, the Deans
        response = Client().get(f"{API}/programmes/")
    assert response.status_code == 200
    codes = [p["code"] for p in response.json()]
    assert "SK99" in codes and "ASC" not in codes
    sk99 = next(p for p in response.json() if p["code"] == "SK99")
    assert sk99["coordinator"] == "Dr. Rina Binti Mahmud" and sk99["deans"] == ["Prof. Dr. Wan Azlan"]
    assert any(c["code"] == "MPU3183" and c["is_mpu"] for c in sk99["courses"])


def test_evaluate_explains_the_cap_that_bound_the_result(world, learner_client):
    # DOMAIN R-CT-2: 45 credits of SAMCs against a 120-credit programme: 36 count.
    courses = [c for c, _, credits, mpu in builders.COURSES if credits == 3 and not mpu][:15]
    samcs = [builders.outside(world.learner, f"MC{n:03d}", kind="samc", provider="Coursera") for n in range(15)]
    mapping = [{"credential": s.ref, "course": c} for s, c in zip(samcs, courses, strict=True)]
    response = post(learner_client, f"{API}/evaluate/", {"programme": world.programme.pk, "mapping": mapping})
    assert response.status_code == 200
    body = response.json()
    assert (body["transferred"], body["binding_cap"], body["binding_rule"], body["binding_cut"]) == (
        36,
        "samc_apelc",
        "R-CT-2",
        9,
    )
    assert body["provisional"] is True  # the APEL.C officer has not assessed the CLOs yet
    assert any("bound the result" in sentence and "9 credits" in sentence for sentence in body["explanation"])
    assert body["apelm"]["eligible"] is False and body["apelm_explanation"]


def test_evaluate_speaks_malay(world, learner_client):
    builders.outside(world.learner, "CSC3013")
    response = post(learner_client, f"{API}/evaluate/", {"programme": world.programme.pk})
    assert response.status_code == 200
    malay = learner_client.post(
        f"{API}/evaluate/",
        data=json.dumps({"programme": world.programme.pk}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ms",
    )
    assert malay.status_code == 200 and len(malay.json()["explanation"]) == len(response.json()["explanation"])


def test_evaluate_an_unknown_programme_is_404(learner_client):
    response = post(learner_client, f"{API}/evaluate/", {"programme": 999999})
    assert response.status_code == 404 and response.json()["error"]["code"] == "programme_not_found"


def test_add_a_credential_with_a_pdf(world, learner_client):
    response = learner_client.post(
        f"{API}/credentials/create/",
        {
            "kind": "cat2",
            "code": "CSC3013",
            "title": "Network Security",
            "provider": "Universiti Malaysia Sabah",
            "credits": 3,
            "accreditation_reference": "MQA/FA 1234",
            "evidence": builders.pdf(),
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["verification"] == "unverified"
    mine = learner_client.get(f"{API}/credentials/").json()
    assert [c["code"] for c in mine] == ["CSC3013"]


def test_an_unverifiable_badge_is_a_400_naming_the_field_and_nothing_is_saved(world, learner_client):
    from tests.credentials.builders import issued

    badge = builders.outside_badge(issued().document, tamper=True)
    response = learner_client.post(
        f"{API}/credentials/create/",
        {
            "kind": "samc",
            "code": "OUX101",
            "title": "Data Literacy",
            "provider": "Open University Example",
            "credits": 3,
            "evidence": SimpleUploadedFile("badge.json", json.dumps(badge).encode()),
        },
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("badge_invalid", "evidence") and error["message"]
    assert not PriorCredential.objects.exists()


def test_a_credential_claimed_twice_is_a_400_and_nothing_is_saved(world, learner_client):
    # DOMAIN R-CT-5
    a = builders.outside(world.learner, "CSC3013")
    response = post(
        learner_client,
        f"{API}/applications/create/",
        {
            "programme": world.programme.pk,
            "claims": [{"credential": a.ref, "course": "TMN3013"}, {"credential": a.ref, "course": "TMUI233"}],
        },
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("credential_claimed_twice", "claims[1].credential")
    assert error["rule"] == "R-CT-5" and "R-CT-5" not in error["message"]
    assert not Application.objects.exists() and not ApplicationLine.objects.exists()


def test_a_course_mapped_from_too_few_credits_is_a_400(world, learner_client):
    # DOMAIN R-NM-2
    part = builders.outside(world.learner, "IOT1", credits=1)
    response = post(
        learner_client,
        f"{API}/applications/create/",
        {"programme": world.programme.pk, "claims": [{"credential": part.ref, "course": "TMN4033"}]},
    )
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "claims[0].course"
    assert response.json()["error"]["rule"] == "R-NM-2" and "R-NM-2" not in response.json()["error"]["message"]
    assert not Application.objects.exists()


@pytest.fixture
def application(world, learner_client):
    a = builders.outside(world.learner, "CSC3013")
    b = builders.outside(world.learner, "CSC1233")
    response = post(
        learner_client,
        f"{API}/applications/create/",
        {
            "programme": world.programme.pk,
            "claims": [{"credential": a.ref, "course": "TMN3013"}, {"credential": b.ref, "course": "TMUI233"}],
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "coordinator_review"
    return Application.objects.get(pk=response.json()["id"])


def test_another_learners_application_is_404_everywhere(world, application):
    stranger = client_for(builders.enrol.learner())
    for method, url in [
        ("get", f"{API}/applications/{application.pk}/"),
        ("post", f"{API}/applications/{application.pk}/transition/"),
        ("post", f"{API}/applications/{application.pk}/mapping/"),
        ("get", f"{API}/applications/{application.pk}/letter.pdf"),
        ("get", f"/transfer/applications/{application.pk}/"),
        ("post", f"/transfer/applications/{application.pk}/transition/"),
    ]:
        response = getattr(stranger, method)(url, data={"action": "withdraw"})
        assert response.status_code == 404, url
    application.refresh_from_db()
    assert application.status == "coordinator_review"
    assert stranger.get(f"{API}/applications/").json() == []


def test_coordinator_reviews_through_the_api(world, application):
    coordinator = client_for(world.coordinator)
    queue = coordinator.get(f"{API}/queue/").json()
    assert [a["id"] for a in queue] == [application.pk]
    detail = coordinator.get(f"{API}/applications/{application.pk}/").json()
    assert {a["action"] for a in detail["actions"]} == {"support", "not_support"}
    lines = {line["code"]: line["id"] for line in detail["lines"]}
    was = {line["code"]: line["course"] for line in detail["lines"]}
    bad = post(
        coordinator,
        f"{API}/applications/{application.pk}/mapping/",
        {"lines": [{"line": lines["CSC3013"], "course": "NOPE1", "expected_course": was["CSC3013"]}]},
    )
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "lines[0].course"
    moved = post(
        coordinator,
        f"{API}/applications/{application.pk}/mapping/",
        {"lines": [{"line": lines["CSC1233"], "course": "TMN4033", "expected_course": was["CSC1233"]}]},
    )
    assert moved.status_code == 200 and {x["course"] for x in moved.json()["lines"]} == {"TMN3013", "TMN4033"}
    early = post(coordinator, f"{API}/applications/{application.pk}/transition/", {"action": "support"})
    assert early.status_code == 409 and early.json()["error"]["code"] == "evidence_not_checked"
    for line_id in lines.values():
        ok = post(coordinator, f"{API}/applications/{application.pk}/lines/{line_id}/evidence/", {"accept": True})
        assert ok.status_code == 200
    supported = post(
        coordinator, f"{API}/applications/{application.pk}/transition/", {"action": "support", "comment": "Fine"}
    )
    assert supported.status_code == 200 and supported.json()["status"] == "dean_review"
    learner_try = post(
        client_for(world.learner), f"{API}/applications/{application.pk}/transition/", {"action": "approve"}
    )
    assert learner_try.status_code == 403
    dean = client_for(world.dean)
    approved = post(dean, f"{API}/applications/{application.pk}/transition/", {"action": "approve"})
    assert approved.status_code == 200 and approved.json()["credits_transferred"] == 6
    unwritten = client_for(world.learner).get(f"{API}/applications/{application.pk}/letter.pdf")
    assert unwritten.status_code == 404 and unwritten.json()["error"]["code"] == "letter_not_found"
    decision_letter_issue(application_id=application.pk)
    letter = client_for(world.learner).get(f"{API}/applications/{application.pk}/letter.pdf")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content).startswith(b"%PDF-")


def _samc_application(world, learner_client) -> dict:
    """The learner claims a stand-alone MC (it goes to the APEL.C officer, R-CT-6); the API's answer."""
    samc = builders.outside(world.learner, "MC901", kind="samc", provider="Coursera")
    return post(
        learner_client,
        f"{API}/applications/create/",
        {"programme": world.programme.pk, "claims": [{"credential": samc.ref, "course": "TMN3013"}]},
    ).json()


def test_the_apelc_officer_assesses_through_the_api(world, learner_client):
    created = _samc_application(world, learner_client)
    officer = client_for(world.apelc)
    line = created["lines"][0]["id"]
    bad = post(officer, f"{API}/applications/{created['id']}/lines/{line}/assessment/", {"clo_attainment": [50, 120]})
    assert bad.status_code == 400 and bad.json()["error"]["field"].startswith("clo_attainment")
    ok = post(officer, f"{API}/applications/{created['id']}/lines/{line}/assessment/", {"clo_attainment": [72, 49]})
    assert ok.status_code == 200
    assert ok.json()["lines"][0]["reason"] == "clo_below_minimum"  # DOMAIN R-AP-1


def test_list_pins_its_queries(world, application, django_assert_num_queries):
    client = client_for(world.coordinator)
    client.get(f"{API}/applications/")  # warm the session
    with django_assert_num_queries(4):
        response = client.get(f"{API}/applications/")
    assert [a["id"] for a in response.json()] == [application.pk]


def test_age_exception_api(world):
    young = builders.enrol.learner(nric="080101-13-5001")
    response = post(
        client_for(world.dean),
        f"{API}/age-exceptions/create/",
        {"learner": young.pk, "programme": world.programme.pk, "reason": "Exceptional national olympiad record"},
    )
    assert response.status_code == 201
    refused = post(
        client_for(world.learner),
        f"{API}/age-exceptions/create/",
        {"learner": young.pk, "programme": world.programme.pk, "reason": "Because I say so, really"},
    )
    assert refused.status_code == 403


def test_the_transition_table_is_public_data():
    # DOMAIN R-CT-6
    rows = Client().get(f"{API}/transitions/").json()
    moves = {(r["from_state"], r["action"]): (r["actor"], r["target"]) for r in rows}
    assert moves[("", "submit")] == ("learner", "@route")
    assert moves[("coordinator_review", "support")] == ("coordinator", "dean_review")
    assert moves[("dean_review", "approve")] == ("dean", "approved")


def test_the_notification_reads_well(world, application):
    from core.models import Notification
    from core.services import notification_render

    notification = Notification.objects.get(recipient=world.coordinator, template="transfer_transition")
    subject, body, _html = notification_render(notification)
    assert subject == f"Credit transfer {application.pk}: waiting for a review"
    assert 'took the step "Apply"' in body and "SK99" in body and "/transfer/applications/" in body


def test_age_exception_revoke_api(world):
    # DOMAIN R-AP-4: revoked with a reason, by the Dean or CFLEX only; the row is kept.
    young = builders.enrol.learner(nric="080101-13-5001")
    granted = post(
        client_for(world.dean),
        f"{API}/age-exceptions/create/",
        {"learner": young.pk, "programme": world.programme.pk, "reason": "Exceptional national olympiad record"},
    ).json()
    url = f"{API}/age-exceptions/{granted['id']}/revoke/"
    # Another faculty's record to whoever may not revoke it: 404, not 403 (issue 12).
    assert post(client_for(world.learner), url, {"reason": "Because I say so, really"}).status_code == 404
    short = post(client_for(world.dean), url, {"reason": "no"})
    assert short.status_code == 400 and short.json()["error"]["field"] == "reason"
    missing = post(client_for(world.dean), url, {})
    assert missing.status_code == 400 and missing.json()["error"]["field"] == "reason"
    done = post(client_for(world.admin), url, {"reason": "The record could not be confirmed"})
    assert done.status_code == 200
    body = done.json()
    assert body["revoke_reason"] == "The record could not be confirmed" and body["revoked_at"]
    assert post(client_for(world.admin), url, {"reason": "The record could not be confirmed"}).status_code == 409


def test_the_permission_is_checked_before_the_input_is_read(world):
    """Issue 12: an outsider with a bad body gets the permission answer (403 where there is no
    record, 404 for another faculty's age exception), never a 400 about the body; a permitted
    caller's bad body is still a 400 naming the field."""
    young = builders.enrol.learner(nric="080101-13-5001")
    granted = post(
        client_for(world.dean),
        f"{API}/age-exceptions/create/",
        {"learner": young.pk, "programme": world.programme.pk, "reason": "Exceptional national olympiad record"},
    ).json()
    revoke = f"{API}/age-exceptions/{granted['id']}/revoke/"
    outsiders = [
        (world.dean, f"{API}/credentials/create/", 403, "transfer_forbidden"),
        (world.dean, f"{API}/applications/create/", 403, "transfer_forbidden"),
        (world.learner, f"{API}/age-exceptions/create/", 403, "transfer_forbidden"),
        (world.learner, revoke, 404, "age_exception_not_found"),
        (world.coordinator, revoke, 404, "age_exception_not_found"),
    ]
    for user, url, status, code in outsiders:
        response = client_for(user).post(url, {})
        assert (response.status_code, response.json()["error"]["code"]) == (status, code), url
    permitted = [
        (world.learner, f"{API}/credentials/create/", "kind"),
        (world.learner, f"{API}/applications/create/", "programme"),
        (world.dean, f"{API}/age-exceptions/create/", "learner"),
        (world.dean, revoke, "reason"),
    ]
    for user, url, field in permitted:
        response = post(client_for(user), url, {}) if "credentials" not in url else client_for(user).post(url, {})
        assert response.status_code == 400 and response.json()["error"]["field"] == field, (url, response.json())


# --- the schema tells the truth (issue 12) -----------------------------------------------------------


def test_withdrawing_a_credential_answers_what_the_schema_says(world, learner_client):
    held = builders.outside(world.learner, "CSC3013")
    response = learner_client.post(f"{API}/credentials/{held.pk}/withdraw/")
    assert response.status_code == 200
    assert response.json() == {"id": held.pk, "withdrawn": True}
    assert_conforms(response, "/api/v1/transfer/credentials/{id}/withdraw/", "post")


@pytest.mark.parametrize(
    ("operation", "body"),
    [
        ("evaluate/", {}),
        ("applications/create/", {"claims": []}),
        ("age-exceptions/create/", {"learner": None, "reason": "Exceptional national olympiad record"}),
    ],
)
def test_a_programme_the_input_names_that_does_not_exist_is_a_documented_404(world, operation, body):
    actor = world.dean if operation.startswith("age-") else world.learner
    if "learner" in body:
        body = {**body, "learner": world.learner.pk}
    response = post(client_for(actor), f"{API}/{operation}", {**body, "programme": 999999})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "programme_not_found"
    assert_conforms(response, f"{API}/{operation}", "post")


def test_a_mapping_changed_meanwhile_is_409_with_the_current_mapping(world, application):
    """Issue 12 (lost updates): each claim's expected_course is what the coordinator read; if
    someone mapped it elsewhere since, 409 stale_change with the current mapping, nothing saved."""
    coordinator = client_for(world.coordinator)
    url = f"{API}/applications/{application.pk}/mapping/"
    detail = coordinator.get(f"{API}/applications/{application.pk}/").json()
    line = next(x for x in detail["lines"] if x["code"] == "CSC1233")
    first = post(
        coordinator, url, {"lines": [{"line": line["id"], "course": "TMN4033", "expected_course": line["course"]}]}
    )
    assert first.status_code == 200
    events = AuditEvent.objects.filter(action="transfer.map").count()
    stale = post(coordinator, url, {"lines": [{"line": line["id"], "course": "", "expected_course": line["course"]}]})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert (error["code"], error["field"]) == ("stale_change", "expected")
    assert {"line": line["id"], "course": "TMN4033"} in error["current"]["lines"]
    assert "CSC1233 now counts towards TMN4033" in error["message"]
    missing = post(coordinator, url, {"lines": [{"line": line["id"], "course": ""}]})
    assert missing.status_code == 400
    assert ApplicationLine.objects.get(pk=line["id"]).course_code == "TMN4033"
    assert AuditEvent.objects.filter(action="transfer.map").count() == events
    # The page: the hidden field carries what it showed; a stale save says the current course in words.
    page = coordinator.get(f"/transfer/applications/{application.pk}/").content.decode()
    assert f'name="was-line-{line["id"]}" value="TMN4033"' in page
    refused = coordinator.post(
        f"/transfer/applications/{application.pk}/mapping/",
        {f"line-{line['id']}": "", f"was-line-{line['id']}": line["course"]},
    )
    assert refused.status_code == 409 and "CSC1233 now counts towards TMN4033" in refused.content.decode()
    assert ApplicationLine.objects.get(pk=line["id"]).course_code == "TMN4033"


@pytest.mark.parametrize("body", [b"{}", b'{"lines": "x", "accept": [[[]]], "clo_attainment": {"a": 1}}', b"garbage"])
def test_who_may_not_act_is_refused_before_the_input_is_read(world, application, body):
    """Issue 12: the application's permission (404 to strangers, 403 to whoever may see it but not
    take this step) comes before the body is read, whatever the body; nothing changes."""
    line = application.lines.first()
    base = f"{API}/applications/{application.pk}"
    routes = [
        f"{base}/transition/",
        f"{base}/mapping/",
        f"{base}/lines/{line.pk}/evidence/",
        f"{base}/lines/{line.pk}/assessment/",
    ]
    stranger = builders.enrol.learner()
    events = AuditEvent.objects.count()
    # A stranger may not see it (404); CFLEX administration sees every application but takes no
    # step (403); nobody assesses CLOs while it is with the coordinator (409, whoever asks).
    for who, status in ((stranger, 404), (world.admin, 403)):
        for url in routes:
            response = client_for(who).post(url, body, content_type="application/json")
            expected = 409 if url.endswith("/assessment/") and status == 403 else status
            assert response.status_code == expected, (url, response.content)
    # The applicant and the Dean take steps of it, but do not map or judge evidence now.
    for who in (world.learner, world.dean):
        for url in routes[1:]:
            expected = 409 if url.endswith("/assessment/") else 403
            assert client_for(who).post(url, body, content_type="application/json").status_code == expected, url
    assert AuditEvent.objects.count() == events
    application.refresh_from_db()
    assert application.status == "coordinator_review"


def test_an_evidence_decision_made_meanwhile_is_409_with_the_current_state(world, application):
    """Issue 12 (lost updates): expected_verification is the state the reviewer read; if another
    reviewer decided the evidence since, 409 stale_change with the current state, nothing saved."""
    coordinator = client_for(world.coordinator)
    line = application.lines.get(credential__code="CSC3013")
    url = f"{API}/applications/{application.pk}/lines/{line.pk}/evidence/"
    page_url = f"/transfer/applications/{application.pk}/lines/{line.pk}/evidence/"
    page = coordinator.get(f"/transfer/applications/{application.pk}/").content.decode()
    assert 'name="was_verification" value="unverified"' in page
    assert post(coordinator, url, {"accept": True, "expected_verification": "unverified"}).status_code == 200
    events = AuditEvent.objects.filter(action="transfer.evidence").count()
    stale = post(coordinator, url, {"accept": False, "reason": "Not accredited", "expected_verification": "unverified"})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert (error["code"], error["field"], error["current"]) == ("stale_change", "expected_verification", "verified")
    refused = coordinator.post(page_url, {"decision": "reject", "reason": "x", "was_verification": "unverified"})
    assert refused.status_code == 409
    assert "Someone else decided this evidence" in refused.content.decode()
    line.refresh_from_db()
    assert line.verification == "verified"
    assert AuditEvent.objects.filter(action="transfer.evidence").count() == events
    # What the reviewer saw is what is there now: the decision goes through.
    again = post(coordinator, url, {"accept": False, "reason": "Not accredited", "expected_verification": "verified"})
    assert again.status_code == 200


def test_an_attainment_recorded_meanwhile_is_409_with_the_current_values(world, learner_client):
    """Issue 12 (lost updates), R-AP-1: expected_clo_attainment is what the APEL.C officer read
    (empty: nothing yet); other values recorded since give 409 with them, nothing saved."""
    created = _samc_application(world, learner_client)
    officer = client_for(world.apelc)
    line = created["lines"][0]["id"]
    url = f"{API}/applications/{created['id']}/lines/{line}/assessment/"
    unassessed = officer.get(f"/transfer/applications/{created['id']}/").content.decode()
    assert 'name="was_clo_attainment" value=""' in unassessed  # nothing recorded yet
    first = post(officer, url, {"clo_attainment": [72, 60], "expected_clo_attainment": []})
    assert first.status_code == 200
    events = AuditEvent.objects.filter(action="transfer.assess").count()
    stale = post(officer, url, {"clo_attainment": [40, 40], "expected_clo_attainment": []})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert (error["code"], error["field"], error["current"]) == (
        "stale_change",
        "expected_clo_attainment",
        ["72.00", "60.00"],
    )
    page = officer.get(f"/transfer/applications/{created['id']}/").content.decode()
    assert 'name="was_clo_attainment" value="72.00,60.00"' in page
    refused = officer.post(
        f"/transfer/applications/{created['id']}/lines/{line}/assess/",
        {"clo_attainment": "40, 40", "was_clo_attainment": ""},
    )
    assert refused.status_code == 409 and "72.00%, 60.00%" in refused.content.decode()
    assert ApplicationLine.objects.get(pk=line).clo_attainment == ["72.00", "60.00"]
    assert AuditEvent.objects.filter(action="transfer.assess").count() == events
    # The same numbers written another way ("72" for "72.00") are what the officer saw.
    assert (
        post(officer, url, {"clo_attainment": [80, 80], "expected_clo_attainment": ["72", "60.0"]}).status_code == 200
    )
