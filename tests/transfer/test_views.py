"""The credit-transfer pages: what would count, applying, the review actions and the letter. A
refusal shows the page again with its status and the error naming the field; nothing is saved."""

from __future__ import annotations

import pytest
from django.test import Client

from audit.models import AuditEvent
from tests.transfer import builders
from transfer.models import Application
from transfer.services import Claim, application_submit, decision_letter_issue

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_what_would_count_shows_the_result_and_the_mapping(world):
    a = builders.outside(world.learner, "TMN3013", provider="Universiti Malaysia Sabah")
    response = client_for(world.learner).get("/transfer/check/", {"programme": world.programme.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 of 120 credits" in html  # mapped by default to the course of the same code
    assert f'name="map-{a.ref}"' in html and "Apply" in html
    assert "You would still take 117 credits" in html
    # The programme's facts: who reviews the application and what entry needs.
    assert "Dr. Rina Binti Mahmud" in html and "Prof. Dr. Wan Azlan" in html and "STPM with CGPA 2.00" in html


def test_recalculating_with_another_mapping(world):
    a = builders.outside(world.learner, "CSC3013")
    response = client_for(world.learner).get(
        "/transfer/check/", {"programme": world.programme.pk, f"map-{a.ref}": "TMUI233"}
    )
    assert "3 of 120 credits" in response.content.decode()


def test_apply_from_the_page(world):
    a = builders.outside(world.learner, "CSC3013")
    response = client_for(world.learner).post(
        "/transfer/apply/", {"programme": world.programme.pk, f"map-{a.ref}": "TMN3013", "comment": "Thanks"}
    )
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/transfer/applications/{application.pk}/"
    assert application.learner_comment == "Thanks"


def test_apply_with_a_short_course_shows_the_error_with_its_status(world):
    # DOMAIN R-NM-2
    part = builders.outside(world.learner, "IOT1", credits=1)
    response = client_for(world.learner).post(
        "/transfer/apply/", {"programme": world.programme.pk, f"map-{part.ref}": "TMN4033"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        'data-error-code="course_credits_short"' in html and "claims[0].course" not in html
    )  # issue 17: no field path on a page
    assert not Application.objects.exists()


def test_the_add_credential_page_names_the_bad_field(world):
    response = client_for(world.learner).post(
        "/transfer/credentials/add/",
        {
            "kind": "cat2",
            "code": "CSC3013",
            "title": "Network Security",
            "provider": "UMS",
            "credits": 3,
            "evidence": builders.pdf(),
        },
    )
    assert response.status_code == 400
    assert "accreditation reference" in response.content.decode()


@pytest.fixture
def application(world):
    a = builders.outside(world.learner, "CSC3013")
    return application_submit(actor=world.learner, programme_id=world.programme.pk, claims=[Claim(a.ref, "TMN3013")])


def test_the_coordinator_sees_the_mapping_form_and_the_learner_does_not(world, application):
    mine = client_for(world.learner).get(f"/transfer/applications/{application.pk}/").content.decode()
    assert 'id="mapping-form"' not in mine and 'data-action="withdraw"' in mine
    theirs = client_for(world.coordinator).get(f"/transfer/applications/{application.pk}/").content.decode()
    assert 'id="mapping-form"' in theirs and 'data-action="support"' in theirs and "Accept the evidence" in theirs


def test_a_refused_action_shows_the_page_with_the_error_and_its_status(world, application):
    response = client_for(world.coordinator).post(
        f"/transfer/applications/{application.pk}/transition/",
        {"action": "support", "expected_state": application.status},
    )
    assert response.status_code == 409 and 'data-error-code="evidence_not_checked"' in response.content.decode()
    line = application.lines.get()
    bad = client_for(world.coordinator).post(
        f"/transfer/applications/{application.pk}/mapping/",
        {f"line-{line.pk}": "NOPE1", f"was-line-{line.pk}": "TMN3013"},
    )
    assert bad.status_code == 400 and "lines[0].course" not in bad.content.decode()  # issue 17
    line.refresh_from_db()
    assert line.course_code == "TMN3013"


def test_the_queue_is_for_reviewers(world, application):
    assert client_for(world.learner).get("/transfer/queue/").status_code == 403
    page = client_for(world.coordinator).get("/transfer/queue/").content.decode()
    assert f"/transfer/applications/{application.pk}/" in page


def test_the_letter_link_appears_once_written(world, application):
    coordinator = client_for(world.coordinator)
    line = application.lines.get()
    coordinator.post(f"/transfer/applications/{application.pk}/lines/{line.pk}/evidence/", {"decision": "accept"})
    coordinator.post(f"/transfer/applications/{application.pk}/transition/", {"action": "support"})
    client_for(world.dean).post(f"/transfer/applications/{application.pk}/transition/", {"action": "approve"})
    learner = client_for(world.learner)
    assert 'id="letter-pending"' in learner.get(f"/transfer/applications/{application.pk}/").content.decode()
    assert learner.get(f"/transfer/applications/{application.pk}/letter.pdf").status_code == 404  # not written yet
    decision_letter_issue(application_id=application.pk)
    page = learner.get(f"/transfer/applications/{application.pk}/").content.decode()
    assert 'id="letter-link"' in page
    pdf = learner.get(f"/transfer/applications/{application.pk}/letter.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert (
        client_for(builders.enrol.learner()).get(f"/transfer/applications/{application.pk}/letter.pdf").status_code
        == 404
    )


def test_evidence_is_only_for_its_learner_and_reviewers(world, application):
    credential = application.lines.get().credential
    url = f"/transfer/credentials/{credential.pk}/evidence/"
    assert client_for(world.learner).get(url).status_code == 200
    assert client_for(world.coordinator).get(url).status_code == 200
    assert client_for(builders.enrol.learner()).get(url).status_code == 404


def test_programmes_page_is_public(world):
    response = Client().get("/transfer/programmes/")
    html = response.content.decode()
    assert response.status_code == 200 and "SK99" in html
    assert "Dr. Rina Binti Mahmud" in html and "Prof. Dr. Wan Azlan" in html and "STPM with CGPA 2.00" in html


def test_the_dean_grants_and_revokes_an_age_exception_from_the_page(world):
    # DOMAIN R-AP-4: both with a reason; the page shows who granted it and offers the revocation
    # only to those who may revoke.
    young = builders.enrol.learner(nric="080101-13-5001")
    claim = builders.outside(young, "CSC3013")
    application = application_submit(actor=young, programme_id=world.programme.pk, claims=[Claim(claim.ref, "TMN3013")])
    page = f"/transfer/applications/{application.pk}/"
    dean = client_for(world.dean)
    granted = dean.post(f"{page}age-exception/", {"reason": "National olympiad medal"})
    assert granted.status_code == 302
    html = dean.get(page).content.decode()
    assert "Age exception granted by Prof. Dr. Wan Azlan" in html and "National olympiad medal" in html
    assert "Grant an exception to the minimum age" not in html  # the stored answer already counts it
    assert f'action="{page}age-exception/revoke/"' in html
    assert f'action="{page}age-exception/revoke/"' not in client_for(young).get(page).content.decode()

    short = dean.post(f"{page}age-exception/revoke/", {"reason": "no"})
    assert short.status_code == 400 and 'data-error-code="reason_required"' in short.content.decode()
    assert client_for(world.coordinator).post(f"{page}age-exception/revoke/", {"reason": "x" * 20}).status_code == 403

    revoked = dean.post(f"{page}age-exception/revoke/", {"reason": "The medal could not be confirmed"}, follow=True)
    html = revoked.content.decode()
    assert "The age exception is revoked." in html
    assert "Age exception granted by" not in html and "Grant an exception to the minimum age" in html
    # Both decisions stay in the application's history, with their reasons.
    history = html.split('id="h-history"', 1)[1]
    assert "Age exception granted" in history and "National olympiad medal" in history
    assert "Age exception revoked" in history and "The medal could not be confirmed" in history
    assert dean.post(f"{page}age-exception/revoke/", {"reason": "x" * 20}).status_code == 404


@pytest.mark.parametrize(
    "body", [{}, {"action": "approve", "decision": "maybe", "clo_attainment": "x;y", "line-1": "?", "was-line-x": 1}]
)
def test_review_pages_answer_the_permission_first(world, application, body):
    """Issue 12: each review page checks the application's permission before reading the form: a
    stranger 404, CFLEX administration (sees it, takes no step) 403, the applicant 403 for the
    coordinator's changes and 409 where nobody assesses now; whatever the body, nothing changes."""
    line = application.lines.get()
    base = f"/transfer/applications/{application.pk}"
    stranger = builders.enrol.learner()
    events = AuditEvent.objects.count()
    for url, who, status in (
        (f"{base}/transition/", stranger, 404),
        (f"{base}/transition/", world.admin, 403),
        (f"{base}/mapping/", stranger, 404),
        (f"{base}/mapping/", world.admin, 403),
        (f"{base}/mapping/", world.learner, 403),
        (f"{base}/lines/{line.pk}/evidence/", world.learner, 403),
        (f"{base}/lines/{line.pk}/assess/", world.learner, 409),
        (f"{base}/age-exception/", world.coordinator, 403),
        (f"{base}/age-exception/", stranger, 404),
    ):
        response = client_for(who).post(url, body)
        assert response.status_code == status, (url, who.full_name, response.status_code)
    application.refresh_from_db()
    assert application.status == "coordinator_review" and AuditEvent.objects.count() == events
