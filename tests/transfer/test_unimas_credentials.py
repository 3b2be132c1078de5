"""Micro-credentials this portal issued (credentials.api) in credit transfer: known and verified
automatically, mapped to the course they were made from (R-CT-1, R-NM-2), their CLO attainment
from the gradebook (R-AP-1), and no longer counting once revoked."""

from __future__ import annotations

import pytest

from accounts.models import Role
from core.errors import ApplicationError, ErrorKind
from credentials.services import credential_status_change
from tests.factories import user_with_role
from tests.transfer import builders
from transfer.models import PriorCredential
from transfer.selectors import learner_credentials, learner_evaluation
from transfer.services import Claim, application_submit, application_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def unimas(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    learner = builders.enrol.learner(full_name="Siti Nur Aisyah")
    credential, course = builders.issued_credential(learner)
    programme = course.origin_programme
    return learner, credential, course, programme


def test_an_issued_category1_mc_maps_to_its_origin_course_and_counts(unimas):
    # DOMAIN R-CT-1: a Category 1 MC of UNIMAS transfers horizontally.
    learner, credential, course, programme = unimas
    (held,) = learner_credentials(learner.pk)
    assert (held.ref, held.kind, held.source, held.verification) == (f"u{credential.pk}", "cat1", "unimas", "verified")
    assert held.suggested_course == course.origin_course.code
    evaluation = learner_evaluation(learner.pk, programme.pk)
    assert evaluation.result.transferred == 3 and not evaluation.result.provisional
    assert evaluation.mapping[held.ref] == course.origin_course.code


def test_applying_records_the_portal_credential_and_goes_straight_through(unimas):
    # DOMAIN R-CT-6: coordinator supports, Dean approves; nothing to verify by hand.
    learner, credential, course, programme = unimas
    coordinator = user_with_role(Role.PROGRAMME_COORDINATOR, ptj=programme.ptj)
    dean = user_with_role(Role.DEAN, ptj=programme.ptj)
    claim = Claim(f"u{credential.pk}", course.origin_course.code)
    application = application_submit(actor=learner, programme_id=programme.pk, claims=[claim])
    stored = PriorCredential.objects.get(learner=learner)
    assert (stored.source, stored.issued_credential_id, stored.verification) == ("unimas", credential.pk, "verified")
    assert application.status == "coordinator_review" and application.credits_transferred == 3
    (held,) = learner_credentials(learner.pk)
    assert held.ref == stored.ref  # listed once, now by its stored id
    application_transition(actor=coordinator, application=application, action="support")
    application_transition(actor=dean, application=application, action="approve")
    application.refresh_from_db()
    assert application.status == "approved"
    with pytest.raises(ApplicationError) as again:
        application_submit(
            actor=learner, programme_id=programme.pk, claims=[Claim(stored.ref, course.origin_course.code)]
        )
    assert (again.value.code, again.value.field) == ("credential_already_transferred", "claims[0].credential")


def test_a_revoked_credential_no_longer_counts(unimas):
    learner, credential, course, programme = unimas
    coordinator = user_with_role(Role.PROGRAMME_COORDINATOR, ptj=programme.ptj)
    application = application_submit(
        actor=learner, programme_id=programme.pk, claims=[Claim(f"u{credential.pk}", course.origin_course.code)]
    )
    credential_status_change(actor=None, credential_id=credential.pk, action="revoke", reason="Academic misconduct")
    (held,) = learner_credentials(learner.pk)
    assert held.status == "revoked"
    assert learner_evaluation(learner.pk, programme.pk).result.credentials[0].reason == "not_active"
    application_transition(actor=coordinator, application=application, action="support")
    application.refresh_from_db()
    assert application.credits_transferred == 0
    application_transition(actor=learner, application=application, action="withdraw")
    with pytest.raises(ApplicationError) as refused:
        application_submit(
            actor=learner, programme_id=programme.pk, claims=[Claim(held.ref, course.origin_course.code)]
        )
    assert (refused.value.code, refused.value.kind) == ("credential_not_active", ErrorKind.INVALID)


def test_a_unimas_samc_brings_its_gradebook_clo_attainment(db, settings, tmp_path):
    # DOMAIN R-AP-1: the CLO attainment recorded by the gradebook stands as the APEL.C evidence.
    settings.MEDIA_ROOT = tmp_path / "media"
    world = builders.world()
    builders.issued_credential(world.learner, kind="cat3_samc", scores=(80, 70, 60))
    (held,) = learner_credentials(world.learner.pk)
    assert held.kind == "samc" and held.clo_attainment is not None and all(v >= 50 for v in held.clo_attainment)
    application = application_submit(
        actor=world.learner, programme_id=world.programme.pk, claims=[Claim(held.ref, "TMN3013")]
    )
    line = application.lines.get()
    assert application.status == "apelc_review" and line.clo_source == "gradebook"
    application_transition(actor=world.apelc, application=application, action="apelc_complete")
    application.refresh_from_db()
    assert application.status == "coordinator_review" and application.credits_transferred == 3
