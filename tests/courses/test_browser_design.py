"""A course developer designs an accredited MC and a SAMC in Chromium: totals change as lines are
edited, the readiness panel lists the broken rules and then clears, and both are submitted."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from core.demo import DEMO_PASSWORD, demo_seed
from courses.models import Proposal, ProposalVersion
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

SHOTS = os.environ.get("MCPORTAL_SHOTS", "")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def seeded(transactional_db) -> None:
    """The demo people and records (tests/conftest.py puts the policy version back after a
    transactional test emptied the tables)."""
    demo_seed(proposals=False)  # this test builds its own proposals


@pytest.fixture
def page(live_server, seeded, monkeypatch) -> Iterator:
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test would be
    # refused "from an async context". Only for this test (never for the processes others start).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
        context.set_default_timeout(10_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page
        browser.close()
        assert not errors, errors


def assert_accessible(page) -> None:
    """axe-core: no violations, and nothing it could not decide (as tests/browser does)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    incomplete = [
        (item["id"], [(n["target"], n.get("any", [{}])[0].get("message", "")) for n in item["nodes"]])
        for item in results.response["incomplete"]
    ]
    assert not incomplete, incomplete


def shot(page, name: str) -> None:
    """With MCPORTAL_SHOTS=<folder>, screenshots at 1280 and 360 pixels wide, to look at."""
    if not SHOTS:
        return
    page.screenshot(path=os.path.join(SHOTS, f"{name}-1280.png"), full_page=True)
    page.locator(".editor-panel").screenshot(path=os.path.join(SHOTS, f"{name}-panel.png"))
    page.set_viewport_size({"width": 360, "height": 780})
    page.screenshot(path=os.path.join(SHOTS, f"{name}-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # tables scroll, the page does not
    page.set_viewport_size({"width": 1280, "height": 900})


def log_in(page) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", "developer@demo.unimas.my")
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="My proposals").first).to_be_visible()


def readiness(page):
    return page.locator("#readiness")


def go(page, step: str) -> None:
    """Issue 17: open a step from the step bar (the script shows it; nothing is lost or saved)."""
    link = page.locator(f'.stepbar [data-step-go="{step}"]')
    if link.get_attribute("aria-current") != "step":
        link.click()
    expect(link).to_have_attribute("aria-current", "step")
    expect(page.locator(f"#step-{step}")).to_be_visible()


def expect_rule(page, rule: str, listed: bool = True) -> None:
    item = readiness(page).locator(f'li[data-rule="{rule}"]')
    if listed:
        expect(item.first).to_be_visible()
    else:
        expect(item).to_have_count(0)


def set_line(page, unit: int, line: int, activity: str, quantity: int, rate: str | None = None, online: bool = False):
    prefix = f"#f-units-{unit}-lines-{line}"
    page.select_option(f"{prefix}-activity", activity)
    page.fill(f"{prefix}-quantity", str(quantity))
    if rate is not None:
        page.fill(f"{prefix}-rate_minutes", rate)
    if online:
        page.check(f"{prefix}-is_online")


def add_line(page, unit: int, *values, **options) -> None:
    go(page, "table4")
    lines = page.locator(f'#f-units-{unit} [data-row="line"]')
    count = lines.count()
    page.locator(f"#f-units-{unit}").get_by_role("button", name="Add a line").click()
    expect(lines).to_have_count(count + 1)
    set_line(page, unit, count, *values, **options)


def add_unit(page, title: str) -> int:
    go(page, "table4")
    units = page.locator('[data-row="unit"]')
    count = units.count()
    page.get_by_role("button", name="Add a learning unit").click()
    expect(units).to_have_count(count + 1)
    page.fill(f"#f-units-{count}-title", title)
    return count


def course_total(page):
    return page.locator('#slt-totals [data-total="course"]')


def fill_application(page) -> None:
    go(page, "table4")
    page.select_option("#f-delivery_mode", "odl")
    go(page, "basics")
    page.fill("#f-justification", "Industry partners ask for short courses on this.")
    page.fill("#f-entry_requirements", "SPM or equivalent; basic computer literacy.")
    page.fill("#f-synopsis", "What computers are made of, and how networks and the internet work.")
    page.locator("#f-lecturers").get_by_label("Dr. Aisyah Binti Rahman").check()
    page.fill("#f-study_session", "2026/2027 Semester 1")
    page.select_option("#f-course_level", "6")
    page.fill("#f-offer_start", "2026-09-01")
    page.fill("#f-offer_end", "2026-12-31")
    page.fill("#f-learner_commitment", "6 hours a week for 18 weeks.")
    page.fill("#f-promotion", "Faculty website, LinkedIn and the L4L catalogue.")
    page.fill("#f-continuous_improvement", "A learner survey after each run feeds the next one.")
    page.fill("#f-fee", "350.00")


def add_clos(page, count: int) -> None:
    go(page, "outcomes")
    for i in range(count):
        page.get_by_role("button", name="Add an outcome").click()
        page.fill(f"#f-clos-{i}-verb", ["Explain", "Compare"][i])
        page.fill(f"#f-clos-{i}-outcome", ["the parts of a computer", "network technologies"][i])
        page.fill(f"#f-clos-{i}-criteria", "correctly, with three examples")
        page.fill(f"#f-clos-{i}-conditions", "in a short written answer")
        page.select_option(f"#f-clos-{i}-mqf_level", "6")
        page.fill(f"#f-clos-{i}-effort_hours", "40")
    # issue 17: each new outcome reads as one sentence while it is typed, before any save
    expect(page.locator(f"#f-clos-{count - 1}-reads")).to_contain_text(
        ["explain the parts of a computer", "compare network technologies"][count - 1] + ", correctly"
    )


def add_component(page, index: int, title: str, method: str, kind: str, weight: int, unit: int, clos: list[int]):
    go(page, "assessment")
    page.get_by_role("button", name="Add a component").click()
    prefix = f"#f-components-{index}"
    page.fill(f"{prefix}-title", title)
    page.select_option(f"{prefix}-method", method)
    page.select_option(f"{prefix}-kind", kind)
    page.fill(f"{prefix}-weight", str(weight))
    page.locator(f"{prefix}-unit").select_option(index=unit)
    for number in clos:
        page.locator(f"{prefix}-clos").get_by_label(f"CLO{number}").check()


def new_proposal(page, kind_label: str, title: str, origin: str | None = None) -> None:
    page.get_by_role("link", name="My proposals").first.click()
    page.get_by_role("link", name="New proposal").click()
    assert_accessible(page)
    page.get_by_label(kind_label).check()
    if origin:
        option = page.locator("#f-origin option", has_text=origin).first
        page.select_option("#f-origin", value=option.get_attribute("value"))
    else:
        expect(page.locator("#f-origin")).to_be_hidden()
    page.fill("#f-title", title)
    page.get_by_role("button", name="Create draft").click()
    expect(page.locator("#proposal-form")).to_be_visible()


def submit(page) -> None:
    go(page, "review")
    button = page.locator("#submit-button")
    expect(button).to_be_enabled()
    button.click()
    expect(page.locator(".meta .status")).to_have_text("Submitted")


def test_developer_designs_and_submits_an_accredited_mc_and_a_samc(page):
    log_in(page)

    # --- Category 1, whole course: TMUI233 -> TMUI233MC (R-NM-2) -------------------------------
    new_proposal(page, "Category 1: a whole accredited course", "Micro-Credential in Computer Technologies", "TMUI233")
    expect(page.locator(".meta .code")).to_have_text("TMUI233MC")
    expect(page.locator("#f-market_survey")).to_be_hidden()  # R-AF-1: no SAMC fields
    expect(page.locator("#step-count-survey")).to_have_text("not needed")
    expect(readiness(page).locator("li").first).to_be_visible()
    expect(page.locator("#submit-button")).to_be_disabled()
    expect_rule(page, "R-AF-1")
    expect_rule(page, "R-SLT-1")
    shot(page, "accredited-new")
    assert_accessible(page)

    # Table 4, unit 1: the 270-minute example (R-SLT-1, R-SLT-2), lines added, edited, moved.
    add_unit(page, "Computers and their parts")
    add_line(page, 0, "slide", 20, "7")
    expect(page.locator("#unit-total-0")).to_contain_text("2h 20m")
    add_line(page, 0, "video", 30, "3", online=True)
    add_line(page, 0, "quiz", 10)  # default rate: the midpoint, 4
    expect(page.locator("#f-units-0-lines-2-rate_minutes")).to_have_value("4")
    expect(page.locator("#unit-total-0")).to_contain_text("4h 30m")
    expect(course_total(page)).to_have_text("4h 30m")
    expect(page.locator('#slt-totals [data-total="assessment"]')).to_have_text("0h 40m")
    expect_rule(page, "R-SLT-3")  # 4.5 hours is far from 3 credits x 40 hours

    # A rate outside the policy range is refused, live and named (R-SLT-2).
    page.fill("#f-units-0-lines-0-rate_minutes", "11")
    expect(readiness(page).locator('li[data-code="slt_rate_out_of_range"]')).to_be_visible()
    expect(page.locator("#step-count-table4")).to_contain_text("to fix")
    # Issue 17: from another step, the readiness entry opens Table 4 at the rate, nothing lost.
    go(page, "basics")
    expect(page.locator("#step-table4")).to_be_hidden()
    readiness(page).locator('li[data-code="slt_rate_out_of_range"] a').click()
    expect(page.locator("#step-table4")).to_be_visible()
    expect(page.locator("#f-units-0-lines-0-rate_minutes")).to_be_focused()
    expect(page.locator("#f-units-0-lines-0-rate_minutes")).to_have_value("11")
    assert page.url.endswith("?step=table4#f-units-0-lines-0-rate_minutes")
    page.fill("#f-units-0-lines-0-rate_minutes", "7.5")
    expect(readiness(page).locator('li[data-code="slt_rate_out_of_range"]')).to_have_count(0)

    # Move the quiz up: nothing typed is lost, the order changes.
    page.locator('#f-units-0-lines-2 [data-action="move-up"]').click()
    expect(page.locator("#f-units-0-lines-1-activity")).to_have_value("quiz")
    expect(page.locator("#f-units-0-lines-1-quantity")).to_have_value("10")
    expect(page.locator("#f-units-0-lines-2-activity")).to_have_value("video")
    expect(page.locator("#f-units-0-lines-2-quantity")).to_have_value("30")

    # Bigger quantities: the totals follow.
    page.fill("#f-units-0-lines-0-quantity", "200")  # 200 x 7.5 = 1500
    page.fill("#f-units-0-lines-2-quantity", "300")  # 300 x 3 = 900
    expect(page.locator("#unit-total-0")).to_contain_text("40h 40m")  # 1500 + 40 + 900 = 2440 min

    # Unit 2; remove a line added by mistake.
    add_unit(page, "Networks and the internet")
    add_line(page, 1, "lecture", 600, "3.5")  # 2100
    add_line(page, 1, "webinar", 60)
    page.locator('#f-units-1-lines-1 [data-action="remove-row"]').click()
    add_line(page, 1, "reading", 220, "7.5")  # 1650
    add_line(page, 1, "assignment_essay", 5)  # 300
    expect(page.locator("#unit-total-1")).to_contain_text("67h 30m")
    expect(course_total(page)).to_have_text("108h 10m")
    expect(page.locator('#slt-totals [data-total="credits"]')).to_have_text("2.7")
    expect_rule(page, "R-SLT-3", listed=False)

    fill_application(page)
    # "Save and continue" saves the draft through the service and opens the next step.
    page.get_by_role("button", name="Save and continue: Outcomes").click()
    expect(page.locator(".messages, .message").first).to_contain_text("Draft saved.")
    expect(page.locator("#step-outcomes")).to_be_visible()
    assert page.url.endswith("?step=outcomes")
    assert Proposal.objects.get(code="TMUI233MC").synopsis.startswith("What computers are made of")
    expect(page.locator("#step-basics")).to_be_hidden()
    # The panel stays beside every step (sticky on a wide screen).
    assert page.locator(".editor-panel").evaluate("el => getComputedStyle(el).position") == "sticky"
    add_clos(page, 2)
    add_component(page, 0, "Quizzes", "quiz", "continuous", 30, 1, [1])
    add_component(page, 1, "Forum", "forum", "continuous", 20, 2, [2])
    add_component(page, 2, "Essay", "assignment_essay", "final", 40, 2, [1, 2])
    expect(page.locator("#assessment-live")).to_contain_text("= 90%")
    expect_rule(page, "R-AS-1")  # weights add up to 90
    page.fill("#f-components-2-weight", "50")
    expect(page.locator("#assessment-live")).to_contain_text("= 100%")
    expect(readiness(page).locator(".all-clear")).to_be_visible()
    expect(readiness(page).locator("li")).to_have_count(0)
    shot(page, "accredited-ready")
    submit(page)
    accredited = Proposal.objects.get(code="TMUI233MC")
    assert accredited.status == "submitted"
    version = ProposalVersion.objects.get(proposal=accredited)
    assert version.snapshot["slt"]["total_minutes"] == "6490.00"
    assert [len(u["lines"]) for u in version.snapshot["units"]] == [3, 3]

    # --- Category 3, stand-alone: MC001 (R-NM-2) with a market survey (R-AF-3) -----------------
    new_proposal(page, "Category 3: stand-alone micro-credential (SAMC)", "Micro-Credential in Design Thinking")
    expect(page.locator(".meta .code")).to_have_text("MC001")
    expect(page.locator("#f-origin")).to_be_hidden()  # R-AF-2: no accredited origin
    go(page, "survey")
    expect(page.locator("#f-market_survey")).to_be_visible()
    add_unit(page, "Empathy and problem framing")
    add_line(page, 0, "video", 60, "3", online=True)  # 180
    add_line(page, 0, "quiz", 10, "4", online=True)  # 40
    add_unit(page, "Ideas and prototypes")
    add_line(page, 1, "forum", 30, "3", online=True)  # 90
    expect(course_total(page)).to_have_text("5h 10m")
    add_line(page, 1, "presentation", 5, online=True)  # 50
    expect(course_total(page)).to_have_text("6h 0m")
    expect(page.locator('#slt-totals [data-total="credits"]')).to_have_text("0.2")
    fill_application(page)
    add_clos(page, 1)
    add_component(page, 0, "Quiz", "quiz", "continuous", 40, 1, [1])
    add_component(page, 1, "Pitch video", "presentation", "final", 60, 2, [1])
    go(page, "survey")
    page.fill("#f-survey_respondents", "29")
    expect(readiness(page).locator('li[data-code="survey_too_few_respondents"]')).to_be_visible()
    expect(readiness(page).locator('li[data-code="survey_file_missing"]')).to_be_visible()
    page.fill("#f-survey_respondents", "35")
    page.locator("#survey-file-input").set_input_files(
        files=[{"name": "survey.csv", "mimeType": "text/csv", "buffer": b"respondent,answer\n1,yes\n2,no\n"}]
    )
    page.get_by_role("button", name="Upload the analysis").click()
    expect(page.locator("#survey-file")).to_contain_text("survey.csv")
    expect(readiness(page).locator(".all-clear")).to_be_visible()
    shot(page, "samc-ready")
    assert_accessible(page)
    submit(page)
    samc = Proposal.objects.get(code="MC001")
    assert samc.status == "submitted"
    assert samc.versions.get().snapshot["market_survey"]["respondents"] == 35
    page.get_by_role("link", name="My proposals").first.click()
    expect(page.locator(".proposal-list .status-submitted")).to_have_count(2)
    assert_accessible(page)
