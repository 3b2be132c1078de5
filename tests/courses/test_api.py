"""The proposal and SLT API: owners and co-developers only (others get 404 and learn nothing),
4xx with the rule code and the field for every bad input, nothing saved when refused."""

from __future__ import annotations

import dataclasses
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from rest_framework.test import APIClient

from courses.choices import ProposalKind, ProposalStatus
from courses.models import Proposal
from courses.selectors import proposal_data
from courses.services import proposal_create, proposal_submit

pytestmark = pytest.mark.django_db


def payload(data) -> dict:
    """A ProposalData as the API's JSON."""
    values = json.loads(json.dumps(dataclasses.asdict(data), cls=DjangoJSONEncoder))
    for old, new in (
        ("origin_programme_id", "origin_programme"),
        ("origin_course_id", "origin_course"),
        ("lecturer_ids", "lecturers"),
        ("co_developer_ids", "co_developers"),
    ):
        values[new] = values.pop(old)
    return values


@pytest.fixture
def api(developer) -> APIClient:
    client = APIClient()
    client.force_authenticate(developer)
    return client


@pytest.fixture
def intruder(other_developer) -> APIClient:
    client = APIClient()
    client.force_authenticate(other_developer)
    return client


@pytest.fixture
def proposal(developer, make_ready):
    return proposal_create(actor=developer, data=make_ready())


def error(response) -> dict:
    return response.json()["error"]


def test_create_suggests_the_code_and_returns_the_readiness(api, records):
    response = api.post(
        "/api/v1/proposals/create/",
        {"kind": "cat1_whole", "origin_programme": records.bachelor.pk, "origin_course": records.tmui.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "TMUI233MC" and body["status"] == "draft" and body["ready"] is False
    assert {"rule_id": "R-NM-1", "code": "title_required"} in [
        {"rule_id": p["rule_id"], "code": p["code"]} for p in body["readiness"]
    ]


def test_a_complete_proposal_created_through_the_api_is_ready(api, make_ready):
    response = api.post("/api/v1/proposals/create/", payload(make_ready()), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ready"] is True and body["readiness"] == []
    assert body["slt"]["total_hm"] == "110h 20m" and body["slt"]["credit_value"] == "2.8"


def test_create_refuses_a_foundation_origin(api, records):
    # DOMAIN R-CAT-5
    response = api.post(
        "/api/v1/proposals/create/",
        {"kind": "cat1_whole", "origin_programme": records.foundation.pk, "origin_course": records.maths.pk},
        format="json",
    )
    assert response.status_code == 400
    assert (error(response)["code"], error(response)["field"]) == ("origin_foundation", "origin_programme")
    assert error(response)["rule"] == "R-CAT-5"  # codes for machines: beside the message (issue 17)
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("line", "code", "field"),
    [
        ({"quantity": -5}, "slt_quantity_out_of_range", "units[0].lines[1].quantity"),  # DOMAIN R-SLT-2
        ({"quantity": 10**15}, "slt_quantity_out_of_range", "units[0].lines[1].quantity"),
        ({"activity": "juggling"}, "slt_activity_unknown", "units[0].lines[1].activity"),
        ({"quantity": "many"}, "invalid", "units[0].lines[1].quantity"),
    ],
)
def test_bad_lines_are_refused_with_the_rule_and_field_and_nothing_is_lost(api, proposal, line, code, field):
    before = proposal_data(proposal)
    units = payload(before)["units"]
    units[0]["lines"][1] = {**units[0]["lines"][1], "activity": "slide", **line}
    response = api.patch(f"/api/v1/proposals/{proposal.pk}/update/", {"units": units}, format="json")
    assert response.status_code == 400
    assert (error(response)["code"], error(response)["field"]) == (code, field)
    assert proposal_data(Proposal.objects.get(pk=proposal.pk)) == before


def test_weights_not_adding_up_save_as_a_draft_but_do_not_submit(api, proposal):
    # DOMAIN R-AS-1: a draft saves; submission is refused with the rule named.
    components = payload(proposal_data(proposal))["components"]
    components[2]["weight"] = 40
    response = api.patch(f"/api/v1/proposals/{proposal.pk}/update/", {"components": components}, format="json")
    assert response.status_code == 200
    assert "assessment_weights_sum" in [p["code"] for p in response.json()["readiness"]]
    response = api.post(f"/api/v1/proposals/{proposal.pk}/submit/")
    assert response.status_code == 400
    assert error(response)["code"] == "proposal_not_ready"
    assert (error(response)["rule"], error(response)["field"]) == ("R-AS-1", "components")
    assert "R-AS-1" not in error(response)["message"]
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.DRAFT


@pytest.mark.parametrize("weight", [0, 101, -20])
def test_a_weight_outside_1_to_100_is_refused(api, proposal, weight):
    components = payload(proposal_data(proposal))["components"]
    components[0]["weight"] = weight
    response = api.patch(f"/api/v1/proposals/{proposal.pk}/update/", {"components": components}, format="json")
    assert response.status_code == 400
    assert (error(response)["code"], error(response)["field"]) == ("assessment_weight_range", "components[0].weight")


def test_a_patch_keeps_what_it_does_not_name(api, proposal):
    response = api.patch(f"/api/v1/proposals/{proposal.pk}/update/", {"synopsis": "Shorter."}, format="json")
    assert response.status_code == 200
    saved = proposal_data(Proposal.objects.get(pk=proposal.pk))
    assert saved.synopsis == "Shorter." and len(saved.units) == 2 and len(saved.components) == 3


def test_a_patch_from_an_out_of_date_read_is_refused(api, proposal):
    """Lost updates (issue 12): ``expected_saved_at`` from an earlier read gets 409 ``stale_change``
    with the newer save's time, and nothing is written; left out, it is not checked."""
    read = api.get(f"/api/v1/proposals/{proposal.pk}/").json()["saved_at"]
    url = f"/api/v1/proposals/{proposal.pk}/update/"
    assert api.patch(url, {"synopsis": "First.", "expected_saved_at": read}, format="json").status_code == 200
    response = api.patch(url, {"synopsis": "Second.", "expected_saved_at": read}, format="json")
    assert response.status_code == 409
    saved = Proposal.objects.get(pk=proposal.pk)
    assert error(response)["code"] == "stale_change" and error(response)["field"] == "expected_saved_at"
    assert error(response)["current"] == saved.updated_at.isoformat() and saved.synopsis == "First."
    bad = api.patch(url, {"synopsis": "Third.", "expected_saved_at": "yesterday"}, format="json")
    assert bad.status_code == 400 and error(bad)["field"] == "expected_saved_at"
    assert api.patch(url, {"synopsis": "Unchecked."}, format="json").status_code == 200


def test_submit_through_the_api(api, proposal):
    response = api.post(f"/api/v1/proposals/{proposal.pk}/submit/")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 1 and response.json()["proposal"]["status"] == "submitted"
    again = api.post(f"/api/v1/proposals/{proposal.pk}/submit/")
    assert (again.status_code, error(again)["code"]) == (409, "proposal_not_draft")
    edit = api.patch(f"/api/v1/proposals/{proposal.pk}/update/", {"synopsis": "Later"}, format="json")
    assert (edit.status_code, error(edit)["code"]) == (409, "proposal_not_draft")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/proposals/{pk}/", None),
        ("get", "/api/v1/proposals/{pk}/readiness/", None),
        ("patch", "/api/v1/proposals/{pk}/update/", {"title": "Micro-Credential in Stolen Goods"}),
        ("post", "/api/v1/proposals/{pk}/submit/", None),
        ("delete", "/api/v1/proposals/{pk}/delete/", None),
        ("get", "/api/v1/proposals/{pk}/market-survey/analysis/", None),
    ],
)
def test_someone_elses_proposal_is_404_and_leaks_nothing(intruder, proposal, method, path, body):
    before = proposal_data(proposal)
    for pk in (proposal.pk, 999_999):  # someone else's and one that does not exist look the same
        response = getattr(intruder, method)(path.format(pk=pk), body, format="json")
        assert response.status_code == 404
        assert error(response) == {"code": "proposal_not_found", "message": "No such proposal.", "field": None}
        assert b"Computer" not in response.content and b"TMUI233" not in response.content
    assert proposal_data(Proposal.objects.get(pk=proposal.pk)) == before
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.DRAFT


def test_list_shows_own_and_co_developed_proposals_only(api, intruder, developer, other_developer, make_ready):
    mine = proposal_create(actor=developer, data=make_ready())
    shared = proposal_create(
        actor=other_developer,
        data=make_ready(ProposalKind.CAT3_SAMC, co_developer_ids=(developer.pk,), lecturer_ids=(developer.pk,)),
    )
    theirs = proposal_create(actor=other_developer, data=make_ready(ProposalKind.CAT3_QVC))
    ids = {p["id"] for p in api.get("/api/v1/proposals/").json()["results"]}
    assert ids == {mine.pk, shared.pk}
    assert {p["id"] for p in intruder.get("/api/v1/proposals/").json()["results"]} == {shared.pk, theirs.pk}


def test_list_query_count_does_not_grow(api, developer, make_ready, django_assert_num_queries):
    for n in range(6):
        proposal_create(actor=developer, data=make_ready(ProposalKind.CAT3_SAMC, title=f"Micro-Credential in T{n}"))
    with django_assert_num_queries(2):  # count + page (origin course joined)
        response = api.get("/api/v1/proposals/")
    assert response.json()["count"] == 6


def test_detail_query_count_is_fixed(api, proposal, django_assert_num_queries):
    # proposal + 7 prefetches, readiness facts (programme-course link, qualification names, code in use),
    # the policy in force (version + 3 prefetches).
    with django_assert_num_queries(16):
        response = api.get(f"/api/v1/proposals/{proposal.pk}/")
    assert response.status_code == 200
    assert len(response.json()["units"][0]["lines"]) == 4


def test_delete_a_draft(api, proposal):
    response = api.delete(f"/api/v1/proposals/{proposal.pk}/delete/")
    assert response.status_code == 204
    assert not Proposal.objects.exists()


def test_anonymous_callers_are_refused(proposal):
    response = APIClient().get(f"/api/v1/proposals/{proposal.pk}/")
    assert response.status_code == 403
    assert b"Computer" not in response.content


def test_code_suggestion(api, developer, records, make_ready):
    proposal_create(actor=developer, data=make_ready(ProposalKind.CAT1_PART))
    response = api.get(
        "/api/v1/proposals/code-suggestion/", {"kind": "cat1_part", "origin_course": records.iot.pk, "part_credits": 2}
    )
    assert response.json() == {"code": "TMN4032MCB"}  # DOMAIN R-NM-3


# --- POST /api/v1/slt/calculate/ -------------------------------------------------------------


def calculate(api, lines, **extra):
    return api.post("/api/v1/slt/calculate/", {"lines": lines, **extra}, format="json")


def test_calculate_the_270_minute_unit(api):
    # DOMAIN R-SLT-1, R-SLT-2
    response = calculate(
        api,
        [
            {"activity": "slide", "quantity": 20, "rate_minutes": "7"},
            {"activity": "video", "quantity": 30, "rate_minutes": "3", "is_online": True},
            {"activity": "quiz", "quantity": 10, "rate_minutes": "4"},
        ],
    )
    assert response.status_code == 200, response.content
    totals = response.json()["totals"]
    assert totals["total_minutes"] == "270.00" and totals["total_hm"] == "4h 30m"
    assert (totals["delivery_minutes"], totals["assessment_minutes"]) == ("230.00", "40.00")
    assert totals["online_share_pct"] == "33"


def test_calculate_credit_value_and_match(api):
    # DOMAIN R-SLT-3: 120 SLT hours = 3.0 credits, and matches a 3-credit course.
    response = calculate(
        api,
        [
            {"unit": 1, "activity": "lecture", "quantity": 1200, "rate_minutes": "3"},
            {"unit": 2, "activity": "lecture", "quantity": 1200, "rate_minutes": "3"},
        ],
        credits=3,
    )
    body = response.json()
    assert body["totals"]["credit_value"] == "3.0" and body["totals"]["total_hm"] == "120h 0m"
    assert [u["total_hm"] for u in body["totals"]["units"]] == ["60h 0m", "60h 0m"]
    assert body["credit_match"]["within"] is True and body["credit_match"]["low_hours"] == "108.0"


def test_calculate_names_the_sbl_share(api):
    # DOMAIN R-WF-6, R-SLT-4: half online in a conventional course is SBL.
    response = calculate(
        api,
        [
            {"activity": "lecture", "quantity": 100, "rate_minutes": "3"},
            {"activity": "video", "quantity": 100, "rate_minutes": "3", "is_online": True},
        ],
        delivery_mode="conventional",
    )
    assert response.json()["sbl"] is True


def test_calculate_defaults_the_rate_to_the_midpoint(api):
    # DOMAIN R-SLT-2: a line without rate_minutes takes the midpoint of its range (slide 5-10: 7.5).
    response = calculate(
        api, [{"activity": "slide", "quantity": 85}, {"activity": "quiz", "quantity": 10, "rate_minutes": None}]
    )
    assert response.status_code == 200, response.content
    totals = response.json()["totals"]
    # 85 x 7.5 = 637.5 and 10 x 4 (quiz 3-5) = 40
    assert (totals["delivery_minutes"], totals["assessment_minutes"]) == ("637.50", "40.00")
    unknown = calculate(api, [{"activity": "juggling", "quantity": 1}])
    assert (unknown.status_code, error(unknown)["code"], error(unknown)["field"]) == (
        400,
        "slt_activity_unknown",
        "lines[0].activity",
    )


def test_calculate_rounds_hours_and_minutes_the_same_way(api):
    # DOMAIN R-SLT-2: 637.5 min is 10h 38m and 10.63 h (both from 638 whole minutes, half up).
    totals = calculate(api, [{"activity": "slide", "quantity": 85, "rate_minutes": "7.5"}]).json()["totals"]
    assert (totals["total_minutes"], totals["total_hm"], totals["total_hours"]) == ("637.50", "10h 38m", "10.63")


@pytest.mark.parametrize(
    ("line", "code", "field"),
    [
        ({"activity": "slide", "quantity": 20, "rate_minutes": "11"}, "slt_rate_out_of_range", "lines[2].rate_minutes"),
        ({"activity": "slide", "quantity": -1, "rate_minutes": "7"}, "slt_quantity_out_of_range", "lines[2].quantity"),
        (
            {"activity": "slide", "quantity": 10**12, "rate_minutes": "7"},
            "slt_quantity_out_of_range",
            "lines[2].quantity",
        ),
        (
            {"activity": "slide", "quantity": 1, "rate_minutes": "7", "unit": 0},
            "slt_unit_out_of_range",
            "lines[2].unit",
        ),
        ({"activity": "slide", "quantity": 1, "rate_minutes": "7.125"}, "slt_rate_precision", "lines[2].rate_minutes"),
        ({"activity": "slide", "rate_minutes": "7"}, "invalid", "lines[2].quantity"),
    ],
)
def test_calculate_refuses_bad_lines_with_the_rule_code(api, line, code, field):
    good = {"activity": "quiz", "quantity": 10, "rate_minutes": "4"}
    response = calculate(api, [good, good, line])
    assert response.status_code == 400
    assert (error(response)["code"], error(response)["field"]) == (code, field)


def test_calculate_is_for_logged_in_users(proposal):
    assert APIClient().post("/api/v1/slt/calculate/", {"lines": []}, format="json").status_code == 403


def test_schema_still_builds(api):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/slt/calculate/" in response.content


def test_submitted_proposals_are_visible_to_cflex_but_not_editable(proposal, developer):
    from accounts.models import Role
    from tests.factories import user_with_role

    reviewer = APIClient()
    reviewer.force_authenticate(user_with_role(Role.CFLEX_REVIEWER))
    assert reviewer.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404  # a draft is private
    proposal_submit(actor=developer, proposal=proposal)
    assert reviewer.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 200
    response = reviewer.patch(f"/api/v1/proposals/{proposal.pk}/update/", {"title": "x"}, format="json")
    assert response.status_code == 409


@pytest.mark.parametrize(
    "body, code, field",
    [
        # Issue 12: was a 500 (KeyError 'lines'). A unit without lines is allowed in a draft, but
        # one unit replaces both, and the assessment on unit 2 now points at nothing (R-AS-3).
        ({"units": [{"title": "x"}]}, "assessment_unit_unknown", "components[1].unit"),
        ({"units": [{"title": "x", "lines": [{"activity": "slide"}]}]}, "invalid", "units[0].lines[0].quantity"),
        ({"components": [{"method": "quiz"}]}, "invalid", "components[0].kind"),
    ],
)
def test_a_list_item_missing_a_field_is_a_400_naming_it_and_nothing_is_saved(api, proposal, body, code, field):
    before = proposal_data(proposal)
    response = api.patch(f"/api/v1/proposals/{proposal.pk}/update/", body, format="json")
    assert response.status_code == 400
    assert (error(response)["code"], error(response)["field"]) == (code, field)
    assert proposal_data(Proposal.objects.get(pk=proposal.pk)) == before


def test_a_list_item_leaving_out_optional_fields_takes_their_defaults(api, proposal):
    response = api.patch(
        f"/api/v1/proposals/{proposal.pk}/update/",
        {"units": [{"lines": [{"activity": "slide", "quantity": 10, "rate_minutes": "7.5"}]}, {"title": "Two"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    first, second = proposal_data(Proposal.objects.get(pk=proposal.pk)).units
    assert first.title == "" and first.lines[0].is_online is False and second.lines == ()


@pytest.mark.parametrize("body", [{"units": [{"title": "x"}]}, {"units": "not a list"}, {"title": ["x"] * 3}])
def test_who_may_not_edit_is_refused_before_the_input_is_read(proposal, developer, body):
    """Issue 12: the permission check comes first, so a reviewer who may see but not edit gets
    409 (submitted), an outsider 404, whatever the body holds; never a parse error."""
    from accounts.models import Role
    from tests.factories import user_with_role

    proposal_submit(actor=developer, proposal=proposal)
    reviewer, outsider = APIClient(), APIClient()
    reviewer.force_authenticate(user_with_role(Role.CFLEX_REVIEWER))
    outsider.force_authenticate(user_with_role(Role.LEARNER))
    url = f"/api/v1/proposals/{proposal.pk}/update/"
    response = reviewer.patch(url, body, format="json")
    assert (response.status_code, error(response)["code"]) == (409, "proposal_not_draft")
    assert outsider.patch(url, body, format="json").status_code == 404


# --- Learning outcomes as their parts (DOMAIN R-AF-4, issue 17) --------------------------------


def test_outcome_parts_save_through_the_api_and_each_missing_part_is_named(api, proposal):
    clo = {"verb": "Produce", "outcome": "a farm plot flight plan", "criteria": "", "conditions": "given a boundary"}
    clos = [{**clo, "mqf_level": 6, "effort_hours": 20}, *payload(proposal_data(proposal))["clos"][1:]]
    response = api.patch(f"/api/v1/proposals/{proposal.pk}/update/", {"clos": clos}, format="json")
    assert response.status_code == 200
    assert response.json()["clos"][0]["conditions"] == "given a boundary"
    found = [p for p in response.json()["readiness"] if p["field"].startswith("clos[0]")]
    assert [(p["rule_id"], p["code"], p["field"]) for p in found] == [("R-AF-4", "clo_incomplete", "clos[0].criteria")]
    assert found[0]["message"] == "CLO1 needs performance criteria: how well the learner must do it."
    submit = api.post(f"/api/v1/proposals/{proposal.pk}/submit/")
    assert submit.status_code == 400
    assert (error(submit)["rule"], error(submit)["field"]) == ("R-AF-4", "clos[0].criteria")
    # The same rule in Bahasa Malaysia.
    detail = api.get(f"/api/v1/proposals/{proposal.pk}/", HTTP_ACCEPT_LANGUAGE="ms").json()
    (ms,) = [p for p in detail["readiness"] if p["field"] == "clos[0].criteria"]
    assert ms["message"] == "CLO1 memerlukan kriteria prestasi: sejauh mana baiknya pelajar mesti melakukannya."


def test_an_overlong_verb_is_refused_with_its_field_and_nothing_is_saved(api, proposal):
    before = proposal_data(proposal)
    clos = payload(before)["clos"]
    clos[1]["verb"] = "Explain " * 10
    response = api.patch(f"/api/v1/proposals/{proposal.pk}/update/", {"clos": clos}, format="json")
    assert response.status_code == 400
    assert (error(response)["code"], error(response)["field"]) == ("too_long", "clos[1].verb")
    assert "action verb" in error(response)["message"]
    assert proposal_data(Proposal.objects.get(pk=proposal.pk)) == before


@pytest.mark.parametrize("body", [{"units": [{"title": "x"}]}, {"kind": ["x"], "title": {"a": 1}}, {}])
def test_who_may_not_propose_or_attach_is_refused_before_the_input_is_read(proposal, developer, body):
    """Issue 12: proposal create answers 403 to whoever is no course developer, and the survey
    upload the proposal's permission (409 once submitted, to a reviewer who sees it; 404 to an
    outsider), whatever the body holds; never a 400 about the body, never a 500, and nothing changes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import Role
    from courses.models import MarketSurvey
    from tests.factories import user_with_role

    proposal_submit(actor=developer, proposal=proposal)
    proposals, surveys = Proposal.objects.count(), list(MarketSurvey.objects.values_list("pk", "file_sha256"))
    for role in (Role.LEARNER, Role.CFLEX_REVIEWER):
        client = APIClient()
        client.force_authenticate(user_with_role(role))
        refused = client.post("/api/v1/proposals/create/", body, format="json")
        assert (refused.status_code, error(refused)["code"]) == (403, "proposal_forbidden"), role
    survey = f"/api/v1/proposals/{proposal.pk}/market-survey/"
    garbage = SimpleUploadedFile("x.exe", b"MZ\x00garbage", content_type="application/octet-stream")
    for role, status, code in ((Role.CFLEX_REVIEWER, 409, "proposal_not_draft"), (Role.LEARNER, 404, None)):
        client = APIClient()
        client.force_authenticate(user_with_role(role))
        for data in ({}, {"survey_file": garbage}, {"other": "x"}):
            garbage.seek(0)
            refused = client.post(survey, data, format="multipart")
            expected = (status, code or "proposal_not_found")
            assert (refused.status_code, error(refused)["code"]) == expected, (role, data)
    assert Proposal.objects.count() == proposals
    assert list(MarketSurvey.objects.values_list("pk", "file_sha256")) == surveys


@pytest.mark.parametrize("body", [b"{}", b'{"lines": "x"}', b"not json"])
def test_the_slt_calculator_is_for_people_logged_in_and_says_so_before_reading(body):
    """Issue 12: the SLT calculator saves nothing and serves anyone logged in; without a login
    the answer is 403 before the body is read, whatever it holds."""
    refused = APIClient().post("/api/v1/slt/calculate/", body, content_type="application/json")
    assert refused.status_code == 403
