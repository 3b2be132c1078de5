"""The Moodle gradebook import: upload -> map columns -> preview lists every bad row -> nothing is
written until confirmation -> confirmation writes exactly the good rows."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from core.errors import ApplicationError
from enrolment.models import Mark, QuizAttempt
from enrolment.services import (
    enrolment_create,
    grade_import_confirm,
    grade_import_map,
    grade_import_preview,
    grade_import_upload,
    offering_max_score_set,
)
from tests.enrolment import builders

pytestmark = pytest.mark.django_db

# As Moodle 4.x exports it ("Export to CSV", grades as Real), including its extra columns.
EXPORT = """\ufeffFirst name,Last name,ID number,Institution,Department,Email address,Quiz: Week 1 quiz (Real),Forum: Discussion (Real),Assignment: Final essay (Real),Course total (Real),Last downloaded from this course
Nur,Aisyah,,,,aisyah@example.test,8.50,17.00,72.00,70.5,1763800000
Wong,Mei Ling,,,,meiling@example.test,11.00,15.00,60.00,61.2,1763800000
Jason,Anak Jelani,,,,jason@example.test,-,18.00,,55.0,1763800000
Ali,Unknown,,,,ghost@example.test,9.00,19.00,80.00,80.0,1763800000
Siti,Rahmah,,,,SITI@example.test,7.25,abc,55.50,60.0,1763800000
"""


@pytest.fixture
def setup(offer, teacher):
    from courses.api import ready_course_get

    comps = {c.title: c for c in ready_course_get(offer.proposal_id).components}
    offering_max_score_set(actor=teacher, offering=offer, component_id=comps["Quiz"].id, max_score="10")
    offering_max_score_set(actor=teacher, offering=offer, component_id=comps["Forum"].id, max_score="20")
    learners = {}
    for email in ("aisyah@example.test", "meiling@example.test", "jason@example.test", "siti@example.test"):
        learners[email] = builders.learner(email=email)
        enrolment_create(actor=learners[email], offering=offer)
    mapping = {
        "Quiz: Week 1 quiz (Real)": comps["Quiz"].id,
        "Forum: Discussion (Real)": comps["Forum"].id,
        "Assignment: Final essay (Real)": comps["Essay"].id,
    }
    return comps, mapping


def test_preview_lists_each_bad_row_and_writes_nothing(offer, teacher, setup):
    _comps, mapping = setup
    upload = grade_import_upload(actor=teacher, offering=offer, file_name="grades.csv", content=EXPORT.encode())
    upload = grade_import_map(actor=teacher, grade_import=upload, mapping=mapping)
    preview = grade_import_preview(upload)
    problems = {(p.line, p.column, p.code) for p in preview.bad}
    assert problems == {
        (3, "Quiz: Week 1 quiz (Real)", "above_maximum"),  # 11 out of 10
        (4, "Quiz: Week 1 quiz (Real)", "blank"),  # Moodle's "-"
        (4, "Assignment: Final essay (Real)", "blank"),
        (5, "Email address", "unknown_learner"),
        (6, "Forum: Discussion (Real)", "not_a_number"),
    }
    assert len(preview.good) == 3 + 2 + 1 + 2
    assert Mark.objects.count() == 0 and QuizAttempt.objects.count() == 0


def test_confirmation_writes_exactly_the_good_rows_once(offer, teacher, setup):
    comps, mapping = setup
    upload = grade_import_map(
        actor=teacher,
        grade_import=grade_import_upload(
            actor=teacher, offering=offer, file_name="grades.csv", content=EXPORT.encode()
        ),
        mapping=mapping,
    )
    good = {(r.email, r.component_id, r.score) for r in grade_import_preview(upload).good}
    assert grade_import_confirm(actor=teacher, grade_import=upload) == 8
    written = {
        (m.enrolment.learner.email, m.component_id, m.score) for m in Mark.objects.select_related("enrolment__learner")
    }
    assert written == good
    assert Mark.objects.get(enrolment__learner__email="aisyah@example.test", component_id=comps["Essay"].id).score == D(
        "72"
    )
    assert QuizAttempt.objects.count() == 2  # the quiz cells became attempts (R-AS-4)
    with pytest.raises(ApplicationError) as exc:
        grade_import_confirm(actor=teacher, grade_import=upload)
    assert exc.value.code == "import_already_applied"
    assert Mark.objects.count() == 8


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"Name,Mark\nA,1\n", "csv_no_email_column"),
        (b"First name,Email address\nA,a@example.test\n", "csv_no_grade_columns"),
        (b"\xff\xfe\x00\x01", "csv_encoding"),
    ],
)
def test_files_that_are_not_moodle_exports_are_refused(offer, teacher, content, code):
    with pytest.raises(ApplicationError) as exc:
        grade_import_upload(actor=teacher, offering=offer, file_name="x.csv", content=content)
    assert exc.value.code == code


def test_only_the_offerings_instructors_import(offer, setup):
    with pytest.raises(ApplicationError) as exc:
        grade_import_upload(actor=builders.instructor(), offering=offer, file_name="g.csv", content=EXPORT.encode())
    assert exc.value.code == "offering_not_found"


def test_a_mapping_must_name_file_columns_and_components(offer, teacher, setup):
    comps, _ = setup
    upload = grade_import_upload(actor=teacher, offering=offer, file_name="grades.csv", content=EXPORT.encode())
    with pytest.raises(ApplicationError) as exc:
        grade_import_map(actor=teacher, grade_import=upload, mapping={"Quiz: Nope (Real)": comps["Quiz"].id})
    assert exc.value.code == "column_unknown"
    with pytest.raises(ApplicationError) as exc:
        grade_import_map(
            actor=teacher,
            grade_import=upload,
            mapping={"Quiz: Week 1 quiz (Real)": comps["Quiz"].id, "Forum: Discussion (Real)": comps["Quiz"].id},
        )
    assert exc.value.code == "component_mapped_twice"
