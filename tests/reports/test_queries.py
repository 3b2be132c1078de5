"""Each dashboard costs the same number of queries however much data there is (one per table,
plus the session, the user, their roles, the filter choices and Table 3): measured on n and 3n
courses, offerings, learners, results, survey answers, credentials and credit-transfer
applications, all made through the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from credentials.contexts import fetch
from credentials.models import IssuanceRequest
from credentials.services import credential_issue, credential_status_change
from credentials.services.verification import verification_hit
from enrolment.services import enrolment_create, enrolment_withdraw
from tests.enrolment import builders
from tests.reports.conftest import answer, approve_results, grade, learner, transfer_apply, transfer_approve
from tests.transfer import builders as transfer_builders

pytestmark = pytest.mark.django_db

# Session, user, roles, PTj choices, course choices; then one query per table. The pipeline also
# reads Table 3 once, and its time-in-step table is two: stays from the audit trail, and now.
QUERIES = {
    "pipeline": 5 + 1 + 6,
    "delivery": 5 + 9,
    "experience": 5 + 4,
    "credentials": 5 + 4,
    "transfer": 5 + 4 + 1,  # and the caps of the policy in force, which label the credits by rule
    "register": 5 + 1,
}


def _build(n, fcsit, feng):
    admin = builders.cflex_admin()
    for i in range(n):
        course = builders.ready_course(ptj=fcsit if i % 2 == 0 else feng)
        teacher = builders.instructor()
        offering = builders.offering(course, admin=admin, teacher=teacher, session=f"2026/2027 Semester {i + 1}")
        people = [learner(), learner(passport=f"P{n}X{i}0001"), learner(student_id=f"9{n}{i}")]
        enrolments = [enrolment_create(actor=p, offering=offering, international_notice_accepted=True) for p in people]
        grade(offering, enrolments[0], teacher, 70 + i)
        grade(offering, enrolments[1], teacher, 45)
        enrolment_withdraw(actor=people[2], enrolment=enrolments[2], reason="Work.")
        approve_results(offering, teacher)
        answer(people[0], enrolments[0], (5, 4, 4, 5), f"Comment {i}")
    fetch.fetch_contexts()
    for request in IssuanceRequest.objects.all():
        credential = credential_issue(request_id=request.pk)
        credential_status_change(actor=admin, credential_id=credential.pk, action="suspend", reason="Check.")
        verification_hit("page")
    world = transfer_builders.world()
    for i in range(n):
        transfer_approve(world, transfer_apply(world, learner(), (f"CSC{i}013", "TMN3013")))
    return admin


@pytest.mark.parametrize("n", [1, 3])
def test_query_count_does_not_grow_with_the_data(client, fcsit, feng, settings, tmp_path, django_assert_num_queries, n):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(_build(n, fcsit, feng))
    for slug, queries in QUERIES.items():
        client.get(reverse("report", args=[slug]))  # warm the content-type cache
        with django_assert_num_queries(queries):
            response = client.get(reverse("report", args=[slug]), {"ptj": "FCSIT"})
        assert response.status_code == 200
