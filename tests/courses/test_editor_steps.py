"""Issue 17: the proposal editor in steps (``?step=``), each step's save through the one proposal
service with draft-save semantics, and each step's problems in words (EN and BM)."""

from __future__ import annotations

import re

import pytest

from courses.models import Proposal
from courses.selectors import proposal_data
from courses.services import proposal_create, proposal_submit, proposal_update
from tests.courses.test_views import editor_post

pytestmark = pytest.mark.django_db

STEPS = ("basics", "outcomes", "table4", "assessment", "survey", "review")


@pytest.fixture
def logged_in(client, developer):
    client.force_login(developer)
    return client


def shown_steps(page: str) -> list[str]:
    """The step pages the server shows (not hidden)."""
    return re.findall(r'data-step-page="(\w+)">', page)


def current_step(page: str) -> list[str]:
    return re.findall(r'data-step-go="(\w+)" aria-current="step"', page)


@pytest.mark.parametrize("step", STEPS)
def test_each_step_is_its_own_page(logged_in, developer, make_ready, step):
    proposal = proposal_create(actor=developer, data=make_ready())
    response = logged_in.get(f"/proposals/{proposal.pk}/?step={step}")
    assert response.status_code == 200
    page = response.content.decode()
    assert shown_steps(page) == [step]
    assert current_step(page) == [step]
    assert f'name="step" value="{step}"' in page
    assert 'id="slt-totals"' in page and 'id="readiness"' in page  # the panel on every step


def test_the_first_step_is_the_default(logged_in, developer, make_ready):
    proposal = proposal_create(actor=developer, data=make_ready())
    assert shown_steps(logged_in.get(f"/proposals/{proposal.pk}/").content.decode()) == ["basics"]


def test_an_unknown_step_is_404(logged_in, developer, make_ready):
    proposal = proposal_create(actor=developer, data=make_ready())
    assert logged_in.get(f"/proposals/{proposal.pk}/?step=nope").status_code == 404


def test_someone_elses_step_is_404(client, developer, other_developer, make_ready):
    proposal = proposal_create(actor=developer, data=make_ready())
    client.force_login(other_developer)
    response = client.get(f"/proposals/{proposal.pk}/?step=table4")
    assert response.status_code == 404
    assert b"Introduction to Computer Technologies" not in response.content
    post = editor_post(proposal, step="table4", goto="assessment", synopsis="Not mine")
    assert client.post(f"/proposals/{proposal.pk}/", post).status_code == 404
    assert Proposal.objects.get(pk=proposal.pk).synopsis != "Not mine"


def test_save_and_continue_saves_a_draft_with_rules_unmet_and_opens_the_next_step(logged_in, developer, make_ready):
    # R-AF-1 unmet (no justification): a draft still saves and keeps what was typed.
    proposal = proposal_create(actor=developer, data=make_ready())
    post = editor_post(proposal, step="basics", goto="outcomes", justification="", synopsis="Typed on step 1")
    response = logged_in.post(f"/proposals/{proposal.pk}/", post)
    assert response.status_code == 302
    assert response["Location"] == f"/proposals/{proposal.pk}/?step=outcomes"
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.justification, saved.synopsis) == ("", "Typed on step 1")
    page = logged_in.get(response["Location"]).content.decode()
    assert shown_steps(page) == ["outcomes"]
    # The basic details step names what is left to fix; the others have nothing.
    assert re.search(r'id="step-count-basics"><span class="step-state step-todo">1 to fix', page)
    assert re.search(r'id="step-count-outcomes"><span class="step-state step-done step-check">', page)
    assert re.search(r'id="step-count-review"><span class="step-state step-todo">1 to fix', page)


def test_saving_stays_on_the_step_and_ignores_an_unknown_goto(logged_in, developer, make_ready):
    proposal = proposal_create(actor=developer, data=make_ready())
    response = logged_in.post(f"/proposals/{proposal.pk}/", editor_post(proposal, step="table4", goto="elsewhere"))
    assert response.status_code == 302 and response["Location"] == f"/proposals/{proposal.pk}/?step=table4"
    response = logged_in.post(f"/proposals/{proposal.pk}/", editor_post(proposal, step="bogus"))
    assert response["Location"] == f"/proposals/{proposal.pk}/"


def test_a_refused_save_shows_the_same_step_with_everything_typed(logged_in, developer, make_ready):
    proposal = proposal_create(actor=developer, data=make_ready())
    before = proposal_data(proposal)
    post = editor_post(proposal, step="assessment", goto="survey", synopsis="Typed", **{"components-0-weight": "abc"})
    response = logged_in.post(f"/proposals/{proposal.pk}/", post)
    assert response.status_code == 400
    page = response.content.decode()
    assert shown_steps(page) == ["assessment"]
    assert 'value="abc"' in page and "Typed" in page
    # The step names its problems in words: the entry that did not parse, and the rule it breaks.
    assert re.search(r'id="step-count-assessment"><span class="step-state step-todo">2 to fix', page)
    assert "Component 1: Enter a whole number." in page
    assert "The weights add up to 70%; they must add up to exactly 100%." in page
    assert proposal_data(Proposal.objects.get(pk=proposal.pk)) == before


def test_the_steps_speak_malay(logged_in, developer, make_ready):
    developer.preferred_language = "ms"
    developer.save(update_fields=["preferred_language"])
    proposal = proposal_create(actor=developer, data=make_ready())
    proposal_update(actor=developer, proposal=proposal, data=make_ready(justification=""))
    page = logged_in.get(f"/proposals/{proposal.pk}/?step=review").content.decode()
    assert "Butiran asas" in page and "Semak dan hantar" in page
    assert re.search(r'id="step-count-basics"><span class="step-state step-todo">\d+ perlu dibaiki', page)
    assert "Basic details" not in page and "to fix" not in page


def test_a_submitted_proposal_shows_its_steps_read_only(logged_in, developer, make_ready):
    proposal = proposal_create(actor=developer, data=make_ready())
    proposal_submit(actor=developer, proposal=proposal)
    page = logged_in.get(f"/proposals/{proposal.pk}/?step=table4").content.decode()
    assert shown_steps(page) == ["table4"]
    assert 'href="?step=assessment" class="stepbar-link"' in page  # links, nothing to save
    assert 'name="goto"' not in page and 'id="submit-button"' not in page
