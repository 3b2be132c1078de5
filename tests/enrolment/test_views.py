"""Pages: catalogue (public, constant queries), course page (R-EN-1, R-EN-4), enrolment,
gradebook (constant queries), results queue; the full NRIC only on the learner's own profile."""

from __future__ import annotations

import pytest
from django.urls import reverse

from enrolment.services import enrolment_create, mark_record, results_transition
from tests.enrolment import builders

pytestmark = pytest.mark.django_db
NRIC = "880512-13-5021"


def test_catalogue_is_public_and_filters(client, offer):
    response = client.get(reverse("catalogue"), {"q": "Computer", "open_only": "on", "level": "6"})
    assert response.status_code == 200
    assert offer.course_title in response.content.decode()
    response = client.get(reverse("catalogue"), {"level": "8"})
    assert offer.course_title not in response.content.decode()


def test_course_page_shows_every_r_en_1_item_and_the_r_en_4_warning(client, offer):
    # DOMAIN R-EN-1, R-EN-4
    html = client.get(reverse("course-page", args=[offer.pk])).content.decode()
    for text in (
        "Synopsis",
        "Learning outcomes",
        "student learning time",
        "Prerequisites",
        "Computers and their parts",
        "Introductory module",
        "L4L",
        "Learner commitment",
        "APEL.A",
        offer.starts_on.strftime("%Y"),
    ):
        assert text in html, text


@pytest.mark.parametrize("extra", [0, 6])
def test_catalogue_query_count_is_constant(client, django_assert_num_queries, course, admin, teacher, extra):
    made = [builders.offering(course, admin=admin, teacher=teacher) for _ in range(2 + extra)]
    with django_assert_num_queries(3):  # PTjs for the filter, count, one page of offerings
        response = client.get(reverse("catalogue"))
    # The same few queries must still show every offering: a broken page is not a fast one.
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="card offering"') == len(made)
    for offering in made:
        assert f'data-offering="{offering.pk}"' in html
        assert reverse("course-page", args=[offering.pk]) in html
    assert course.title in html


@pytest.mark.parametrize("learners", [2, 7])
def test_gradebook_query_count_is_constant(client, django_assert_num_queries, offer, teacher, learners):
    from courses.api import ready_course_get

    essay = next(c for c in ready_course_get(offer.proposal_id).components if c.title == "Essay")
    quiz = next(c for c in ready_course_get(offer.proposal_id).components if c.title == "Quiz")
    for _ in range(learners):
        e = enrolment_create(actor=builders.learner(), offering=offer)
        mark_record(actor=teacher, offering=offer, enrolment_id=e.pk, component_id=essay.id, score=50)
        mark_record(actor=teacher, offering=offer, enrolment_id=e.pk, component_id=quiz.id, score=50)
    client.force_login(teacher)
    client.get(reverse("gradebook", args=[offer.pk]))  # warm caches
    with django_assert_num_queries(
        21
    ):  # session, user, course design (fixed), policy (5), rows + prefetches, roles (nav)
        response = client.get(reverse("gradebook", args=[offer.pk]))
    assert response.status_code == 200


def test_gradebook_of_someone_elses_offering_is_404(client, offer):
    client.force_login(builders.instructor())
    assert client.get(reverse("gradebook", args=[offer.pk])).status_code == 404


def test_the_full_nric_appears_only_on_the_learners_own_profile(client, offer, teacher, admin):
    user = builders.learner(nric=NRIC)
    enrolment = enrolment_create(actor=user, offering=offer)
    digits = NRIC.replace("-", "")

    def leaks(html: str) -> bool:
        return NRIC in html or digits in html

    client.force_login(user)
    assert leaks(client.get(reverse("learner-profile")).content.decode())
    for url in (
        reverse("my-learning"),
        reverse("learning-enrolment", args=[enrolment.pk]),
        reverse("catalogue"),
        reverse("course-page", args=[offer.pk]),
        "/",
        reverse("api-my-enrolments"),
    ):
        assert not leaks(client.get(url).content.decode()), url
    # An error about the NRIC does not repeat it.
    bad = client.post(
        reverse("learner-profile"),
        {
            "legal_name": "A",
            "identity_kind": "nric",
            "identity_number": "901301-13-5677",
            "phone": "0123456789",
            "pdpa_consent": "on",
        },
    )
    html = bad.content.decode()
    # Only the learner's own input box repeats what they typed; the message does not.
    assert bad.status_code == 400 and html.count("901301") == 1 and 'value="901301-13-5677"' in html
    client.force_login(teacher)
    assert not leaks(client.get(reverse("gradebook", args=[offer.pk])).content.decode())
    client.force_login(admin)
    assert not leaks(client.get(reverse("admin:enrolment_learnerprofile_changelist")).content.decode())


def test_learner_enrols_through_the_page_and_sees_the_result_only_after_senate(client, offer, teacher):
    user = builders.learner()
    client.force_login(user)
    response = client.post(reverse("enrol", args=[offer.pk]))
    assert response.status_code == 302
    enrolment = user.enrolments.get()
    from courses.api import ready_course_get

    for c in ready_course_get(offer.proposal_id).components:
        mark_record(
            actor=teacher, offering=offer, enrolment_id=enrolment.pk, component_id=c.id, score=80, feedback="Good"
        )
    url = reverse("learning-enrolment", args=[enrolment.pk])
    assert 'id="final-result"' not in client.get(url).content.decode()
    offer = builders.course_has_run(offer)
    results_transition(actor=teacher, offering=offer, action="submit")
    results_transition(actor=builders.committee_secretary(), offering=offer, action="endorse")
    results_transition(actor=builders.senate_secretary(), offering=offer, action="approve")
    html = client.get(url).content.decode()
    assert 'id="final-result"' in html and "80.00" in html and "Good" in html


def test_results_queue_shows_only_the_right_committee(client, offer, teacher):
    from courses.api import ready_course_get

    e = enrolment_create(actor=builders.learner(), offering=offer)
    for c in ready_course_get(offer.proposal_id).components:
        mark_record(actor=teacher, offering=offer, enrolment_id=e.pk, component_id=c.id, score=70)
    offer = builders.course_has_run(offer)
    results_transition(actor=teacher, offering=offer, action="submit")
    client.force_login(builders.committee_secretary())
    assert offer.course_title in client.get(reverse("results-queue")).content.decode()
    client.force_login(builders.committee_secretary("JPPEU"))
    assert offer.course_title not in client.get(reverse("results-queue")).content.decode()


def test_course_page_reads_each_outcome_as_one_sentence_marked_by_part(client, offer):
    # DOMAIN R-AF-4, R-EN-1 (issue 17): conditions, verb and content, criteria; not run-on text.
    html = client.get(reverse("course-page", args=[offer.pk])).content.decode()
    assert (
        '<span class="clo-conditions">Given a diagram</span>, <span class="clo-verb">explain</span> '
        '<span class="clo-content">the parts of a computer</span>, '
        '<span class="clo-criteria">correctly, in writing</span>.'
    ) in html
    assert "In a short essay</span>, <span" in html
    assert "Explain the parts of a computer correctly, in writing given a diagram" not in html


@pytest.mark.parametrize("body", [{}, {"requirements": ["x"] * 50, "international_notice": [[1]], "evidence": "?"}])
def test_staff_posting_to_the_enrol_page_get_403_whatever_the_body(client, offer, teacher, body):
    """Issue 12: only learners enrol; the page says so (403) before reading the form."""
    from enrolment.models import Enrolment

    client.force_login(teacher)
    assert client.post(reverse("enrol", args=[offer.pk]), body).status_code == 403
    assert not Enrolment.objects.filter(offering=offer).exists()


def test_dashboard_shows_progress_and_the_next_assessment_with_a_link(client, offer, teacher):
    # Issue 17: each enrolment's assessments done, time through the offering and what comes next.
    from courses.api import ready_course_get

    user = builders.learner()
    enrolment = enrolment_create(actor=user, offering=offer)
    components = ready_course_get(offer.proposal_id).components
    mark_record(actor=teacher, offering=offer, enrolment_id=enrolment.pk, component_id=components[0].id, score=70)
    client.force_login(user)
    html = client.get(reverse("my-learning")).content.decode()
    assert 'data-next="starts"' in html  # the offering has not begun yet
    builders.course_has_run(offer)
    html = client.get(reverse("my-learning")).content.decode()
    assert f"Assessments done: 1 of {len(components)}" in html
    assert "Time through the course" in html and 'value="100"' in html
    assert 'data-next="assessment"' in html
    assert 'class="cover cover-c' in html  # the course's generated cover
    nxt = reverse("learning-enrolment", args=[enrolment.pk]) + f"#component-{components[1].id}"
    assert f'href="{nxt}"' in html and components[1].title in html
    # The link lands on that component on the enrolment page.
    assert f'id="component-{components[1].id}"' in client.get(nxt.split("#")[0]).content.decode()


def test_catalogue_cards_carry_a_generated_cover(client, offer):
    from core.covers import cover_html

    cover = cover_html(code=offer.course_code, title=offer.course_title, field=offer.ptj.code)
    assert cover in client.get(reverse("catalogue")).content.decode()
    assert cover in client.get(reverse("course-page", args=[offer.pk])).content.decode()
