"""The only code that writes offerings, profiles, enrolments, marks and results (STYLE.md)."""

from enrolment.services.gradebook import (
    MarkEntry,
    MarksRefused,
    grade_import_confirm,
    grade_import_get,
    grade_import_map,
    grade_import_preview,
    grade_import_upload,
    mark_may,
    mark_record,
    marks_record,
    offering_max_score_set,
    result_refresh,
)
from enrolment.services.names import legal_name_locked, name_change_decide, name_change_request
from enrolment.services.offerings import (
    enrolment_create,
    enrolment_defer,
    enrolment_fee_may,
    enrolment_fee_record,
    enrolment_may,
    enrolment_withdraw,
    offering_assessment_end_may,
    offering_assessment_end_set,
    offering_create,
    offering_may_create,
)
from enrolment.services.profiles import learner_identity_number, learner_profile_save
from enrolment.services.results import results_may, results_transition, survey_submit

__all__ = [
    "MarkEntry",
    "MarksRefused",
    "enrolment_create",
    "enrolment_defer",
    "enrolment_fee_may",
    "enrolment_fee_record",
    "enrolment_may",
    "enrolment_withdraw",
    "grade_import_confirm",
    "grade_import_get",
    "grade_import_map",
    "grade_import_preview",
    "grade_import_upload",
    "learner_identity_number",
    "learner_profile_save",
    "legal_name_locked",
    "mark_may",
    "mark_record",
    "marks_record",
    "name_change_decide",
    "name_change_request",
    "offering_assessment_end_may",
    "offering_assessment_end_set",
    "offering_create",
    "offering_max_score_set",
    "offering_may_create",
    "result_refresh",
    "results_may",
    "results_transition",
    "survey_submit",
]
