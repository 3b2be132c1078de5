"""One MQA proposal and one SAMC walked from submission to ready-to-offer in Chromium, each step
by the right demo user logged in through the login form; one return for revision, and the
reviewer sees the diff (R-WF-1..5). With MCPORTAL_SHOTS=<folder>, screenshots at 1280 and 360 px."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from core.demo import demo_seed
from courses.choices import DeliveryMode, ProposalKind
from courses.models import Course, Programme, Proposal
from courses.services import market_survey_attach, proposal_create
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, log_in
from tests.courses.builders import ready_data

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

SHOTS = os.environ.get("MCPORTAL_SHOTS", "")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WHO = {
    "dev": "developer",
    "head": "head.mqa",
    "head_ice": "head.nonmqa",
    "cflex": "cflex.reviewer",
    "sme": "sme",
    "jtsppa": "jtsppa.secretary",
    "jppeu": "jppeu.secretary",
    "senate": "senate.secretary",
    "bjka": "bjka",
}


@pytest.fixture
def drafts(transactional_db, settings, tmp_path):
    demo_seed(proposals=False)  # this test builds its own proposals
    settings.MEDIA_ROOT = tmp_path / "media"
    dev = User.objects.get(email="developer@demo.unimas.my")
    mqa = ready_data(
        ProposalKind.CAT1_WHOLE,
        lecturer_ids=(dev.pk,),
        origin_programme_id=Programme.objects.get(code="SK29").pk,
        origin_course_id=Course.objects.get(code="TMUI233").pk,
    )
    samc = ready_data(
        ProposalKind.CAT3_SAMC,
        lecturer_ids=(dev.pk,),
        title="Micro-Credential in Smart Farming Sensors",
        delivery_mode=DeliveryMode.CONVENTIONAL,
        ptg_reference="PTG/2026/12",
    )
    a = proposal_create(actor=dev, data=mqa)
    b = proposal_create(actor=dev, data=dataclasses.replace(samc))
    market_survey_attach(actor=dev, proposal=b, upload=SimpleUploadedFile("s.csv", b"respondent,answer\n1,yes\n"))
    return a.pk, b.pk


@pytest.fixture
def pages(live_server, drafts, monkeypatch) -> Iterator[dict]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        opened: dict = {}
        errors: list[str] = []

        def as_(who: str):
            if who not in opened:
                context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
                context.set_default_timeout(10_000)
                page = context.new_page()
                page.on("pageerror", lambda exc: errors.append(str(exc)))
                log_in(page, f"{WHO[who]}@demo.unimas.my")
                opened[who] = page
            return opened[who]

        yield {"as": as_, "ids": drafts}
        browser.close()
        assert not errors, errors


def shot(page, name: str) -> None:
    if not SHOTS:
        return
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 780})
    page.screenshot(path=os.path.join(SHOTS, f"{name}-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    page.set_viewport_size({"width": 1280, "height": 900})


def status(pk: int) -> str:
    return Proposal.objects.get(pk=pk).status


def act(page, pk: int, action: str, comment: str = "", reference: str = "") -> None:
    page.goto(f"/proposals/{pk}/review/")
    form = page.locator("form.wf-form").filter(has=page.locator(f'input[name="action"][value="{action}"]'))
    if reference:
        form.locator('input[name="reference"]').fill(reference)
    if comment:
        form.locator("textarea").fill(comment)
    form.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_be_visible()


def submit(page, pk: int) -> None:
    page.goto(f"/proposals/{pk}/?step=review")  # issue 17: the editor's last step
    page.locator("#submit-button").click()
    expect(page.locator(".meta .status")).not_to_have_text("Draft")


def meeting(page, body_label: str, date: str) -> None:
    page.goto("/proposals/meetings/")
    page.select_option("#m-body", label=body_label)
    page.fill("#m-date", date)
    page.get_by_role("button", name="Create the meeting").click()
    expect(page.locator("h1")).to_contain_text(body_label.split(" ")[0])


def add_to_agenda(page, pk: int) -> None:
    page.goto(f"/proposals/{pk}/review/")
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator(".message-success")).to_be_visible()


def decide(page, pk: int, minute: str) -> None:
    page.goto(f"/proposals/{pk}/review/")
    page.get_by_role("link", name="Open the meeting").click()
    item = page.locator(".agenda-item").filter(has=page.locator(f'a[href="/proposals/{pk}/review/"]'))
    item.locator("select").select_option("approved")
    item.locator('input[name="minute_reference"]').fill(minute)
    item.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".message-success")).to_be_visible()


def test_mqa_and_samc_from_submission_to_ready_to_offer(pages):
    as_ = pages["as"]
    mqa, samc = pages["ids"]
    dev, cflex = as_("dev"), as_("cflex")

    submit(dev, mqa)
    submit(dev, samc)
    assert (status(mqa), status(samc)) == ("submitted", "submitted")

    # R-WF-2: the MQA course goes to the Dean / Deputy Dean UG, the SAMC to the Deputy Dean ICE.
    head = as_("head")
    head.goto("/proposals/queue/")
    expect(head.locator(".queue-table tbody tr")).to_have_count(1)
    expect(head.locator("[data-queue-count]")).to_have_text("1")
    shot(head, "queue-head")
    act(head, mqa, "return", comment="Say who the synopsis is for.")
    assert status(mqa) == "returned"

    # The developer revises and resubmits; it goes back to the Head of PTj.
    dev.goto(f"/proposals/{mqa}/review/")
    expect(dev.locator(".thread")).to_contain_text("Say who the synopsis is for.")
    dev.goto(f"/proposals/{mqa}/")
    dev.fill("#f-synopsis", "For network technicians: computers, networks and the internet.")
    dev.locator('.stepbar [data-step-go="review"]').click()  # issue 17: the editor in steps
    dev.locator("#submit-button").click()
    expect(dev.locator(".meta .status")).to_have_text("Submitted")
    assert status(mqa) == "submitted"

    # The reviewer sees what changed since the version they returned.
    head.goto(f"/proposals/{mqa}/review/")
    expect(head.locator(".diff-table")).to_contain_text("For network technicians")
    # Issue 17: only the changed words are marked, inside the field.
    synopsis = head.locator(".diff-table tr").filter(has=head.get_by_role("rowheader", name="Synopsis"))
    expect(synopsis.locator("ins").first).to_contain_text("For network technicians")
    expect(synopsis.locator("td").nth(1)).to_contain_text("networks and the internet")
    expect(synopsis.locator("td ins")).not_to_contain_text("networks and the internet")
    expect(head.locator(".wf-diff")).to_contain_text("the one you last acted on")
    shot(head, "review-diff")
    act(head, mqa, "head_approve")
    act(as_("head_ice"), samc, "head_approve")

    for pk in (mqa, samc):
        act(cflex, pk, "cflex_approve", comment="Development starts.")
        cflex.goto(f"/proposals/{pk}/review/")
        cflex.get_by_role("button", name="Appoint the SME").click()
        expect(cflex.locator(".message-success")).to_be_visible()
    # R-WF-4 (interpretation): the face-to-face SAMC skips the video steps.
    cflex.goto(f"/proposals/{samc}/review/")
    cflex.get_by_role("button", name="Video steps not applicable (face-to-face)").click()
    expect(cflex.locator(".ms-skipped")).to_have_count(2)

    for pk, milestones in ((mqa, 5), (samc, 3)):
        for _ in range(milestones):
            act(dev, pk, "milestone_done")
            act(cflex, pk, "milestone_confirm")
        assert status(pk) == "uploaded"
    cflex.goto(f"/proposals/{mqa}/review/")
    shot(cflex, "review-milestones")

    sme = as_("sme")
    for pk in (mqa, samc):
        act(sme, pk, "sme_approve", comment="Content and promo video vetted.")

    # Committees by type: JTSPPA (undergraduate MQA), JPPEU (non-MQA).
    meeting(as_("jtsppa"), "JTSPPA (undergraduate, MQA)", "2026-12-03")
    meeting(as_("jppeu"), "JPPEU (non-MQA)", "2026-12-04")
    for pk in (mqa, samc):
        add_to_agenda(cflex, pk)
    cflex.goto("/proposals/board/")
    expect(cflex.locator("#col-presented")).to_contain_text("2")
    shot(cflex, "board")
    decide(as_("jtsppa"), mqa, "JTSPPA 4/2026 (3)")
    shot(as_("jtsppa"), "meeting")
    decide(as_("jppeu"), samc, "JPPEU 2/2026 (1)")
    assert (status(mqa), status(samc)) == ("committee_approved", "committee_approved")

    senate = as_("senate")
    meeting(senate, "Senate", "2026-12-10")
    for pk in (mqa, samc):
        add_to_agenda(cflex, pk)
        decide(senate, pk, "SENATE 12/2026")
    assert (status(mqa), status(samc)) == ("senate_approved", "senate_approved")

    act(as_("bjka"), mqa, "record_mqa_registration", reference="MQA/FA1234")
    assert status(mqa) == "senate_approved"
    for pk in (mqa, samc):
        act(cflex, pk, "record_unimas_registration", reference=f"UNIMAS/MC/{pk}")
    assert (status(mqa), status(samc)) == ("ready_to_offer", "ready_to_offer")
    cflex.goto(f"/proposals/{mqa}/review/")
    expect(cflex.locator(".status").first).to_have_text("Ready to offer")
    shot(cflex, "review-ready")
