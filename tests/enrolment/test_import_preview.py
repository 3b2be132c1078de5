"""The Moodle import preview shows a page of rows at a time (issue 12: a 50,000-row file was one
7.6 MB page), with the totals and the problems by reason for the whole file."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from enrolment.policies import ImportProblem, moodle_problem_summary
from enrolment.services import enrolment_create, grade_import_map, grade_import_upload, offering_max_score_set
from enrolment.views import IMPORT_PREVIEW_PAGE_SIZE
from tests.enrolment import builders

pytestmark = pytest.mark.django_db

DASH = "\u2013"  # the en dash of "Rows 1-50 of 80"
HEADER = "First name,Last name,Email address,Quiz: Week 1 quiz (Real),Forum: Discussion (Real)\n"


def _export(*, ghosts: int, good: int) -> str:
    rows = [f"Ghost,{n},ghost{n}@example.test,5,5\n" for n in range(ghosts)]  # not enrolled: 1 problem each
    rows += ["Nur,Aisyah,aisyah@example.test,8,17\n"] * good  # enrolled: 2 marks each
    rows += ["Siti,Rahmah,siti@example.test,abc,30\n"]  # not a number, above the maximum (20)
    return HEADER + "".join(rows)


@pytest.fixture
def comps(offer, teacher):
    from courses.api import ready_course_get

    found = {c.title: c for c in ready_course_get(offer.proposal_id).components}
    offering_max_score_set(actor=teacher, offering=offer, component_id=found["Quiz"].id, max_score="10")
    offering_max_score_set(actor=teacher, offering=offer, component_id=found["Forum"].id, max_score="20")
    for email in ("aisyah@example.test", "siti@example.test"):
        enrolment_create(actor=builders.learner(email=email), offering=offer)
    return found


def _preview_page(client, teacher, offer, comps, text: str, query: str = ""):
    upload = grade_import_upload(actor=teacher, offering=offer, file_name="grades.csv", content=text.encode())
    grade_import_map(
        actor=teacher,
        grade_import=upload,
        mapping={"Quiz: Week 1 quiz (Real)": comps["Quiz"].id, "Forum: Discussion (Real)": comps["Forum"].id},
    )
    client.force_login(teacher)
    url = reverse("grade-import", args=[upload.pk])
    return url, client.get(url + query)


def _rows(html, table):
    body = re.search(rf'<table id="{table}">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return body.count("<tr")


def test_the_preview_pages_its_rows_and_counts_the_whole_file(client, teacher, offer, comps):
    url, response = _preview_page(client, teacher, offer, comps, _export(ghosts=120, good=40))
    html = response.content.decode()
    assert response.status_code == 200
    assert "80 marks will be written; 122 problems will be left out." in html
    summary = dict(re.findall(r'<tr data-code="(\w+)"><td>[^<]*</td><td class="num">(\d+)</td>', html))
    assert summary == {"unknown_learner": "120", "not_a_number": "1", "above_maximum": "1"}
    assert _rows(html, "import-problems") == IMPORT_PREVIEW_PAGE_SIZE
    assert _rows(html, "import-marks") == IMPORT_PREVIEW_PAGE_SIZE
    assert f"Rows 1{DASH}50 of 122" in html and f"Rows 1{DASH}50 of 80" in html
    assert 'href="?problems=2#problems"' in html and 'href="?marks=2#marks"' in html

    last = client.get(url + "?problems=3&marks=2").content.decode()
    assert _rows(last, "import-problems") == 22 and _rows(last, "import-marks") == 30
    assert f"Rows 101{DASH}122 of 122" in last and f"Rows 51{DASH}80 of 80" in last
    assert 'href="?problems=2&amp;marks=2#problems"' in last  # the other table keeps its page
    assert "122 problems will be left out" in last  # the totals stay the whole file's

    beyond = client.get(url + "?problems=99&marks=nonsense").content.decode()
    assert f"Rows 101{DASH}122 of 122" in beyond and f"Rows 1{DASH}50 of 80" in beyond


def test_a_large_file_is_a_small_page(client, teacher, offer, comps):
    _url, response = _preview_page(client, teacher, offer, comps, _export(ghosts=5_000, good=0))
    assert response.status_code == 200
    assert "0 marks will be written; 5002 problems will be left out." in response.content.decode()
    assert len(response.content) < 60_000  # was every row: megabytes


def test_problem_summary_counts_by_reason_most_first():
    problems = [
        ImportProblem(2, "a@x", "Q", "blank", "No mark given."),
        ImportProblem(3, "b@x", "Q", "not_a_number", "The mark is not a number."),
        ImportProblem(4, "c@x", "Q", "blank", "No mark given."),
    ]
    assert moodle_problem_summary(problems) == (
        ("blank", "No mark given.", 2),
        ("not_a_number", "The mark is not a number.", 1),
    )
    assert moodle_problem_summary([]) == ()
