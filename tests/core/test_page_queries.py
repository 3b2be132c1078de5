"""Every list page costs the same number of queries at any size (issue 15, STYLE: pages pin their
query count): measured with n and 3n offerings, enrolments, results, credentials, meetings and
credit-transfer applications, all made through the services. A page that reads per row (N+1)
fails here."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Committee, Role
from courses.choices import MeetingBody
from courses.services import meeting_create
from credentials.contexts import fetch
from credentials.models import IssuanceRequest
from credentials.services import credential_issue
from enrolment.models import Offering
from enrolment.services import enrolment_create, results_transition
from tests.enrolment import builders
from tests.factories import user_with_role
from tests.reports.conftest import grade, learner, transfer_apply
from tests.transfer import builders as transfer_builders

pytestmark = pytest.mark.django_db

# Each page's whole request: the session and the user, their roles where the page asks, then its reads.
QUERIES = {
    "results-queue": 6,  # the one navigation's "Waiting for me" for the Senate secretary (issue 17)
    "meeting-list": 5,  # the one navigation reads roles, not model permissions (issue 17)
    "teaching": 4,
    # The ready courses read the policy in force once, not once per course (five queries a row before).
    "cflex-offerings": 19,  # two model-permission look-ups fewer in the one navigation (issue 17)
    "my-learning": 19,
    "credentials:wallet": 4,
    "credentials:batches": 4,  # issued, failed and rendered per batch in one query
    "transfer-queue": 5,  # the one navigation reads roles, not model permissions (issue 17)
}


def _count(client, django_assert_num_queries, user, name: str) -> None:
    client.force_login(user)
    url = reverse(name)
    assert client.get(url).status_code == 200  # warm the session and the content-type cache
    with django_assert_num_queries(QUERIES[name]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_list_pages_cost_the_same_queries_at_any_size(client, settings, tmp_path, django_assert_num_queries, n):
    settings.MEDIA_ROOT = tmp_path / "media"
    fetch.fetch_contexts()
    admin, teacher, holder = builders.cflex_admin(), builders.instructor(), learner()
    senate = builders.senate_secretary()
    offerings = []
    for i in range(n):
        offering = builders.offering(
            builders.ready_course(), admin=admin, teacher=teacher, session=f"2026/2027 Semester {i + 1}"
        )
        for person in (holder, learner()):
            grade(
                offering,
                enrolment_create(actor=person, offering=offering, international_notice_accepted=True),
                teacher,
                70,
            )
        offering = builders.course_has_run(offering)  # DOMAIN R-RS-4
        results_transition(actor=teacher, offering=offering, action="submit")
        secretary = user_with_role(Role.COMMITTEE_SECRETARY, committee=Committee(offering.committee))
        results_transition(actor=secretary, offering=Offering.objects.get(pk=offering.pk), action="endorse")
        offerings.append(offering)
        meeting_create(actor=senate, body=MeetingBody.SENATE, date=date(2026, 12, 1 + i))
    _count(client, django_assert_num_queries, senate, "results-queue")  # n offerings to approve
    _count(client, django_assert_num_queries, senate, "meeting-list")
    for offering in offerings:
        results_transition(actor=senate, offering=Offering.objects.get(pk=offering.pk), action="approve")
    for request in IssuanceRequest.objects.order_by("pk"):
        credential_issue(request_id=request.pk)
    _count(client, django_assert_num_queries, teacher, "teaching")
    _count(client, django_assert_num_queries, admin, "cflex-offerings")
    _count(client, django_assert_num_queries, holder, "my-learning")
    _count(client, django_assert_num_queries, holder, "credentials:wallet")
    _count(client, django_assert_num_queries, admin, "credentials:batches")
    world = transfer_builders.world()
    for i in range(n):
        transfer_apply(world, learner(), (f"CSC{i}013", "TMN3013"))
    _count(client, django_assert_num_queries, world.coordinator, "transfer-queue")
