"""The proposal pages: the field set per type, nothing typed lost on a refused save, the readiness
panel, the live preview, and other people's proposals as 404."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from courses.choices import ProposalKind, ProposalStatus
from courses.forms import rows_from_data
from courses.models import Proposal
from courses.selectors import proposal_data
from courses.services import proposal_create, proposal_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, developer):
    client.force_login(developer)
    return client


def editor_post(proposal, **changes) -> dict[str, str | list[str]]:
    """What the editor posts for the proposal as saved, with ``changes``."""
    data = proposal_data(proposal)
    rows = rows_from_data(data)
    post: dict[str, str | list[str]] = {
        "kind": data.kind,
        "title": data.title,
        "code": data.code,
        "origin": str(proposal.origin_programme.programme_courses.get(course=proposal.origin_course).pk)
        if proposal.origin_course
        else "",
        "justification": data.justification,
        "entry_requirements": data.entry_requirements,
        "synopsis": data.synopsis,
        "lecturers": [str(pk) for pk in data.lecturer_ids],
        "study_session": data.study_session,
        "offer_start": str(data.offer_start or ""),
        "offer_end": str(data.offer_end or ""),
        "course_level": str(data.course_level or ""),
        "learner_commitment": data.learner_commitment,
        "promotion": data.promotion,
        "continuous_improvement": data.continuous_improvement,
        "fee": str(data.fee or ""),
        "delivery_mode": data.delivery_mode,
        "survey_respondents": str(data.survey_respondents or ""),
    }
    for i, clo in enumerate(rows.clos):
        post.update({f"clos-{i}-{k}": v for k, v in clo.values.items()})
    for u, unit in enumerate(rows.units):
        post.update({f"units-{u}-{k}": v for k, v in unit.values.items()})
        for n, line in enumerate(unit.lines):
            post.update({f"units-{u}-lines-{n}-{k}": v for k, v in line.values.items() if v})
    for i, comp in enumerate(rows.components):
        post.update({f"components-{i}-{k}": v for k, v in comp.values.items() if v})
        post[f"components-{i}-clos"] = comp.clos
    post.update(changes)
    return post


def test_developers_see_my_proposals_on_home_and_in_the_nav(logged_in):
    page = logged_in.get("/").content.decode()
    assert reverse("proposal-list") in page and "My proposals" in page


def test_list_page_query_count_is_fixed(logged_in, developer, make_ready, django_assert_num_queries):
    for n in range(5):
        proposal_create(actor=developer, data=make_ready(ProposalKind.CAT3_SAMC, title=f"Micro-Credential in T{n}"))
    # session, user, roles (nav permission), the nav's "waiting for me" count (issue 4), proposals
    with django_assert_num_queries(5):
        response = logged_in.get("/proposals/")
    assert response.status_code == 200
    assert response.content.decode().count('href="/proposals/') >= 5


def test_new_proposal_offers_no_foundation_course(logged_in, records):
    # DOMAIN R-CAT-5: the origin is chosen from records, never a Foundation programme's course.
    page = logged_in.get("/proposals/new/").content.decode()
    assert "TMUI233" in page and "PPU0013" not in page


def test_new_proposal_keeps_what_was_typed_when_refused(logged_in, records):
    response = logged_in.post(
        "/proposals/new/", {"kind": "cat3_samc", "title": "Micro-Credential in Diploma in Computer Science"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "R-NM-1" in page and 'value="Micro-Credential in Diploma in Computer Science"' in page
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("kind", "shown", "hidden"),
    [
        (ProposalKind.CAT1_WHOLE, ["origin"], ["market_survey", "objectives", "part_credits"]),  # DOMAIN R-AF-1
        (ProposalKind.CAT1_PART, ["origin", "part_credits"], ["market_survey", "objectives"]),
        (ProposalKind.CAT3_SAMC, ["market_survey", "objectives"], ["origin", "part_credits"]),  # DOMAIN R-AF-2
    ],
)
def test_the_editor_shows_the_field_set_of_the_type(logged_in, developer, make_ready, kind, shown, hidden):
    proposal = proposal_create(actor=developer, data=make_ready(kind))
    page = logged_in.get(f"/proposals/{proposal.pk}/").content.decode()
    visible = {m.group(1): " hidden" not in m.group(0) for m in re.finditer(r'<[^>]*data-field="(\w+)"[^>]*>', page)}
    assert visible == {**dict.fromkeys(shown, True), **dict.fromkeys(hidden, False)}


def test_help_texts_quote_the_policy_in_force(logged_in, developer, make_ready):
    # DOMAIN R-WF-6, R-AF-3: the SBL band and the survey minimum come from the policy, not the code.
    from courses.forms import ProposalForm
    from tests.courses.conftest import seed_policy_data

    proposal = proposal_create(actor=developer, data=make_ready(ProposalKind.CAT3_SAMC))
    page = logged_in.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "A conventional course 30-79% online is Substitute Blended Learning" in page
    assert "At least 30." in page
    form = ProposalForm()
    form.use_policy(seed_policy_data(sbl_online_min_pct=25, sbl_online_max_pct=75, market_survey_min_respondents=40))
    assert str(form.fields["ptg_reference"].help_text).startswith("A conventional course 25-75% online")
    assert str(form.fields["survey_respondents"].help_text) == "At least 40."


def test_a_refused_save_keeps_every_entry_and_saves_nothing(logged_in, developer, make_ready):
    proposal = proposal_create(actor=developer, data=make_ready())
    before = proposal_data(proposal)
    post = editor_post(
        proposal,
        synopsis="A synopsis typed just now.",
        **{"units-0-lines-0-quantity": "-4", "units-1-lines-0-rate_minutes": "11", "components-0-weight": "abc"},
    )
    response = logged_in.post(f"/proposals/{proposal.pk}/", post)
    assert response.status_code == 400
    page = response.content.decode()
    assert "A synopsis typed just now." in page
    assert 'value="-4"' in page and 'value="11"' in page and 'value="abc"' in page
    assert "Enter a whole number." in page  # the weight did not parse
    assert proposal_data(Proposal.objects.get(pk=proposal.pk)) == before


def test_a_rate_outside_the_range_is_kept_on_save_and_shown(logged_in, developer, make_ready):
    # DOMAIN R-SLT-2 (issue 17): a draft saves with rules unmet; the rate is shown as a problem
    # and blocks submission, in words (no field path on the page).
    proposal = proposal_create(actor=developer, data=make_ready())
    response = logged_in.post(
        f"/proposals/{proposal.pk}/", editor_post(proposal, **{"units-0-lines-0-rate_minutes": "11"})
    )
    assert response.status_code == 302
    page = logged_in.get(f"/proposals/{proposal.pk}/").content.decode()
    assert 'data-code="slt_rate_out_of_range"' in page
    assert "outside the policy range of 5-10 min" in page and 'value="11"' in page
    assert "Field: " not in page


def test_save_and_redirect(logged_in, developer, make_ready):
    proposal = proposal_create(actor=developer, data=make_ready())
    response = logged_in.post(f"/proposals/{proposal.pk}/", editor_post(proposal, synopsis="Changed"))
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).synopsis == "Changed"


def test_preview_computes_totals_and_readiness_without_saving(logged_in, developer, make_ready):
    proposal = proposal_create(actor=developer, data=make_ready())
    post = editor_post(proposal, **{"units-0-lines-0-quantity": "20", "units-0-lines-0-rate_minutes": "7"})
    response = logged_in.post(f"/proposals/{proposal.pk}/preview/", post)
    fragments = response.json()["fragments"]
    # 6620 - 200 x 7.5 + 20 x 7 = 5260 min = 87h 40m: too little for 3 credits (R-SLT-3)
    assert "87h 40m" in fragments["slt-totals"]
    assert 'data-code="slt_credit_mismatch"' in fragments["readiness"]
    assert "disabled" in fragments["submit-area"]
    assert "unit-total-1" in fragments
    assert proposal_data(Proposal.objects.get(pk=proposal.pk)).units[0].lines[0].quantity == 200  # nothing saved


def test_submit_page_refuses_with_the_list_then_accepts(logged_in, developer, make_ready):
    proposal = proposal_create(actor=developer, data=make_ready())
    response = logged_in.post(f"/proposals/{proposal.pk}/submit/", editor_post(proposal, justification=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-error-code="proposal_not_ready"' in page and 'data-rule="R-AF-1"' in page
    assert 'href="?step=basics#f-justification"' in page
    response = logged_in.post(f"/proposals/{proposal.pk}/submit/", editor_post(proposal))
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED
    page = logged_in.get(f"/proposals/{proposal.pk}/").content.decode()
    assert '<fieldset class="plain" disabled>' in page and 'id="submit-button"' not in page


def _words_outside_why(html: str) -> str:
    """The text a developer reads, leaving out scripts, styles, tags and the "why?" boxes."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<details class="why">.*?</details>', " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_editor_names_rules_only_behind_why(logged_in, developer, make_ready):
    """Issue 17: the readiness list, the assessment check and the help text say what to do in
    words; the rule behind each (R-AF-1, R-SLT-3, R-AS-1...) is only in a small "why?"."""
    proposal = proposal_create(actor=developer, data=make_ready())
    post = editor_post(
        proposal,
        justification="",
        **{"units-0-lines-0-quantity": "20", "units-0-lines-0-rate_minutes": "7", "components-0-weight": "1"},
    )
    refused = logged_in.post(f"/proposals/{proposal.pk}/submit/", post)
    assert refused.status_code == 400
    fragments = logged_in.post(f"/proposals/{proposal.pk}/preview/", post).json()["fragments"]
    for where, html in [("page", refused.content.decode()), *fragments.items()]:
        shown = re.search(r"R-[A-Z]+-\d", _words_outside_why(html))
        assert shown is None, (where, shown)
    why = re.findall(r'<details class="why">.*?</details>', fragments["readiness"], flags=re.S)
    assert any("R-AF-1" in box for box in why) and any("R-SLT-3" in box for box in why), why
    assert "R-AS-1" in " ".join(re.findall(r'<details class="why">.*?</details>', fragments["assessment-live"], re.S))
    page = refused.content.decode()
    assert re.search(r'<details class="why"><summary>why\?</summary><p><span class="rule-id">R-SLT-1</span>', page)


def test_a_save_from_an_out_of_date_editor_keeps_what_was_typed_and_overwrites_nothing(
    logged_in, developer, make_ready
):
    """Lost updates (issue 12): the same draft open in two tabs (or by two co-developers). The first
    save wins; the second, from the page as it was, is refused (409) with a sentence saying when the
    draft was saved again, keeps what was typed, and carries the newer save's time, so saving again
    is a choice to keep this version."""
    proposal = proposal_create(actor=developer, data=make_ready())
    page = logged_in.get(f"/proposals/{proposal.pk}/").content.decode()
    opened = re.search(r'name="saved_at" value="([^"]+)"', page).group(1)
    first = logged_in.post(
        f"/proposals/{proposal.pk}/", {**editor_post(proposal, synopsis="First tab"), "saved_at": opened}
    )
    assert first.status_code == 302
    second = logged_in.post(
        f"/proposals/{proposal.pk}/", {**editor_post(proposal, synopsis="Second tab"), "saved_at": opened}
    )
    assert second.status_code == 409
    html = second.content.decode()
    assert 'data-error-code="stale_change"' in html and "This draft was saved again at" in html
    assert "Second tab</textarea>" in html  # nothing typed is lost
    assert Proposal.objects.get(pk=proposal.pk).synopsis == "First tab"
    newer = re.search(r'name="saved_at" value="([^"]+)"', html).group(1)
    assert newer == Proposal.objects.get(pk=proposal.pk).updated_at.isoformat() != opened
    again = logged_in.post(
        f"/proposals/{proposal.pk}/", {**editor_post(proposal, synopsis="Second tab"), "saved_at": newer}
    )
    assert again.status_code == 302 and Proposal.objects.get(pk=proposal.pk).synopsis == "Second tab"
    # the submit button saves through the same check
    stale = logged_in.post(f"/proposals/{proposal.pk}/submit/", {**editor_post(proposal), "saved_at": opened})
    assert stale.status_code == 409 and Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.DRAFT


def test_someone_elses_editor_is_404(client, other_developer, developer, make_ready):
    proposal = proposal_create(actor=developer, data=make_ready())
    client.force_login(other_developer)
    for response in (
        client.get(f"/proposals/{proposal.pk}/"),
        client.post(f"/proposals/{proposal.pk}/", {"title": "x"}),
        client.post(f"/proposals/{proposal.pk}/preview/", {}),
        client.post(f"/proposals/{proposal.pk}/submit/", {}),
        client.post(f"/proposals/{proposal.pk}/delete/"),
    ):
        assert response.status_code == 404
        assert b"Introduction to Computer Technologies" not in response.content


def test_the_readiness_panel_links_each_rule_to_its_field(logged_in, developer, records):
    from courses.policies import ProposalData

    proposal = proposal_create(actor=developer, data=ProposalData(kind=ProposalKind.CAT3_SAMC, title="Design"))
    page = logged_in.get(f"/proposals/{proposal.pk}/").content.decode()
    steps = (
        ("R-NM-1", "f-title", "basics"),
        ("R-AF-3", "f-survey_respondents", "survey"),
        ("R-SLT-1", "f-units", "table4"),
    )
    for rule, anchor, step in steps:
        # Issue 17: each entry opens the step that holds its field.
        assert f'data-rule="{rule}"' in page and f'href="?step={step}#{anchor}"' in page
        assert f'id="{anchor}"' in page
    assert 'id="submit-button"' in page and "disabled" in page


def test_the_mpu_hint(logged_in, developer, make_ready, records):
    # Policy a): MPU courses are encouraged to be delivered fully online.
    proposal = proposal_create(
        actor=developer,
        data=make_ready(origin_course_id=records.mpu.pk, title="Micro-Credential in Ethics and Civilisation"),
    )
    assert 'data-hint="mpu"' in logged_in.get(f"/proposals/{proposal.pk}/").content.decode()


def test_a_submitted_proposal_cannot_be_deleted_from_the_page(logged_in, developer, make_ready):
    proposal = proposal_create(actor=developer, data=make_ready())
    proposal_submit(actor=developer, proposal=proposal)
    response = logged_in.post(f"/proposals/{proposal.pk}/delete/")
    assert response.status_code == 409
    assert Proposal.objects.filter(pk=proposal.pk).exists()


def test_the_editor_shows_each_outcome_as_it_will_read(logged_in, developer, make_ready):
    # DOMAIN R-AF-4 (issue 17): the parts are edited apart and previewed as the one sentence.
    proposal = proposal_create(actor=developer, data=make_ready())
    page = logged_in.get(f"/proposals/{proposal.pk}/").content.decode()
    for part in ("verb", "outcome", "criteria", "conditions"):
        assert f'id="f-clos-0-{part}"' in page
    preview = re.search(r'<p class="clo-preview help" data-preview data-id="reads" id="f-clos-0-reads">(.*?)</p>', page)
    assert preview, "no preview"
    assert re.sub(r"<[^>]+>", "", preview.group(1)).endswith(
        "Given a diagram, explain the parts of a computer, correctly, in writing."
    )
    # live: the preview answers the sentence as typed, before anything is saved
    post = editor_post(proposal, **{"clos-0-verb": "Describe", "clos-0-criteria": "accurately"})
    fragments = logged_in.post(f"/proposals/{proposal.pk}/preview/", post).json()["fragments"]
    assert re.sub(r"<[^>]+>", "", fragments["f-clos-0-reads"]) == (
        "Reads as: Given a diagram, describe the parts of a computer, accurately."
    )
    assert proposal_data(Proposal.objects.get(pk=proposal.pk)).clos[0].verb.lower() == "explain"  # nothing saved
