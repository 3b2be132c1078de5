"""Issue 17: the Moodle import maps columns to components by name (exact, then close), shows the
components' names in the preview, and remembers the mapping per offering."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from enrolment.policies import moodle_parse, moodle_suggest_mapping
from enrolment.services import grade_import_map, grade_import_upload

# A Moodle 4.x gradebook export ("Export to CSV", Real and Percentage), as it downloads.
MOODLE_4 = (
    "\ufeffFirst name,Last name,ID number,Institution,Department,Email address,"
    "Quiz: Regulations quiz (Real),Quiz: Regulations quiz (Percentage),"
    "Assignment: Farm plot flight plan (Real),Forum: Week 2 discussion forum (Real),"
    "Assignment: Final examination paper (Real),Course total (Real),Last downloaded from this course\n"
    "Nur,Aisyah,,,,aisyah@example.test,8.50,85.00 %,72.00,17.00,60.00,70.5,1763800000\n"
)
COMPONENTS = [
    (11, "Regulations quiz"),
    (12, "Farm plot flight plan"),
    (13, "Week 2 discussion"),
    (14, "Final examination"),
    (15, "Practical flight test"),
]


def test_a_real_moodle_4_export_maps_by_name_exact_then_close():
    export = moodle_parse(MOODLE_4)
    mapping = moodle_suggest_mapping(export.grade_columns, COMPONENTS)
    assert mapping == {
        "Quiz: Regulations quiz (Real)": 11,  # exact
        "Assignment: Farm plot flight plan (Real)": 12,  # exact
        "Forum: Week 2 discussion forum (Real)": 13,  # close
        "Assignment: Final examination paper (Real)": 14,  # close
    }
    # Never the same item twice (Percentage), never the course total, no guess for the flight test.
    assert "Quiz: Regulations quiz (Percentage)" not in mapping
    assert 15 not in mapping.values()


def test_case_and_punctuation_do_not_matter_and_a_component_is_mapped_once():
    columns = ("Quiz: REGULATIONS-quiz (Real)", "Quiz: Regulations quiz (Real)")
    assert moodle_suggest_mapping(columns, [(1, "Regulations quiz")]) == {"Quiz: REGULATIONS-quiz (Real)": 1}


def test_unrelated_names_are_left_for_the_person():
    assert moodle_suggest_mapping(("Quiz: Week 1 quiz (Real)",), [(1, "Essay"), (2, "Forum")]) == {}


def test_the_offerings_last_mapping_comes_first():
    columns = ("Quiz: Week 1 quiz (Real)", "Quiz: Regulations quiz (Real)")
    remembered = {"Quiz: Week 1 quiz (Real)": 11, "Gone: column (Real)": 12}
    assert moodle_suggest_mapping(columns, COMPONENTS, remembered) == {
        "Quiz: Week 1 quiz (Real)": 11,  # remembered wins over the name
    }


@pytest.mark.django_db
def test_the_import_page_proposes_the_mapping_shows_component_names_and_remembers(client, teacher, offer):
    from courses.api import ready_course_get
    from enrolment.services import enrolment_create
    from tests.enrolment import builders

    comps = {c.title: c.id for c in ready_course_get(offer.proposal_id).components}
    enrolment_create(actor=builders.learner(email="aisyah@example.test"), offering=offer)
    header = "First name,Last name,Email address,Quiz: Quiz (Real),Forum: Forum (Real),Assignment: Week 3 task (Real)\n"
    first = grade_import_upload(
        actor=teacher,
        offering=offer,
        file_name="a.csv",
        content=(header + "Nur,Aisyah,aisyah@example.test,8,17,40\n").encode(),
    )
    client.force_login(teacher)
    html = client.get(reverse("grade-import", args=[first.pk])).content.decode()
    selected = dict(
        re.findall(r'<label for="map-\d+">([^<]+)</label>\s*<select[^>]*>.*?<option value="(\d+)" selected', html, re.S)
    )
    assert selected == {"Quiz: Quiz (Real)": str(comps["Quiz"]), "Forum: Forum (Real)": str(comps["Forum"])}
    # The person maps the third column themselves; the preview names the components.
    mapping = {
        "Quiz: Quiz (Real)": comps["Quiz"],
        "Forum: Forum (Real)": comps["Forum"],
        "Assignment: Week 3 task (Real)": comps["Essay"],
    }
    grade_import_map(actor=teacher, grade_import=first, mapping=mapping)
    html = client.get(reverse("grade-import", args=[first.pk])).content.decode()
    marks = re.search(r'<table id="import-marks">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    assert "<td>Essay</td>" in marks and "Week 3 task (Real)" not in marks
    # The next export of the same offering starts from that mapping.
    second = grade_import_upload(
        actor=teacher,
        offering=offer,
        file_name="b.csv",
        content=(header + "Nur,Aisyah,aisyah@example.test,9,18,41\n").encode(),
    )
    html = client.get(reverse("grade-import", args=[second.pk])).content.decode()
    selected = dict(
        re.findall(r'<label for="map-\d+">([^<]+)</label>\s*<select[^>]*>.*?<option value="(\d+)" selected', html, re.S)
    )
    assert selected["Assignment: Week 3 task (Real)"] == str(comps["Essay"])
