"""The report pages and CSV exports: who may open them (DOMAIN R-QA-2), filters refused with the
parameter named, every CSV equal to its table, and a query count that does not grow with the
data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from reports.dashboards import DASHBOARDS
from tests.reports.conftest import viewer
from tests.reports.helpers import csv_rows, page_table

pytestmark = pytest.mark.django_db

ALL = ["pipeline", "delivery", "experience", "credentials", "transfer", "register"]


def _get(client, user, slug, **params):
    client.force_login(user)
    return client.get(reverse("report", args=[slug]), params)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.CFLEX_ADMIN, set(ALL)),
        (Role.CFLEX_REVIEWER, set(ALL)),
        (Role.BJKA_OFFICER, set(ALL)),
        (Role.SENATE_SECRETARY, set(ALL)),
        (Role.DEAN, set(ALL)),
        (Role.HEAD_OF_PTJ_NON_MQA, set(ALL)),
        (Role.INSTRUCTOR, {"experience"}),
        (Role.COURSE_DEVELOPER, set()),
        (Role.COMMITTEE_SECRETARY, set()),
        (Role.LEARNER, set()),
    ],
)
def test_who_may_open_which_report(client, fcsit, role, allowed):
    # DOMAIN R-QA-2: CFLEX, BJKA, the Senate and PTj leaders see reports; others get 403
    ptj = fcsit if role in (Role.DEAN, Role.HEAD_OF_PTJ_NON_MQA, Role.COURSE_DEVELOPER) else None
    user = viewer(role, ptj)
    for slug in ALL:
        response = _get(client, user, slug)
        assert response.status_code == (200 if slug in allowed else 403), slug
        csv = client.get(reverse("report-csv", args=[slug, next(iter(DASHBOARDS[slug].tables))]))
        assert csv.status_code == (200 if slug in allowed else 403), slug
    index = client.get(reverse("reports-index"))
    assert index.status_code == (200 if allowed else 403)
    # Every page's navigation has "Reports" for whoever may open one, and no one else.
    home = client.get("/").content.decode()
    nav = home.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert ('href="/reports/"' in nav) == bool(allowed)
    # The home page's role panels link to the reports the person may open.
    panels = home.split("</nav>", 1)[1]
    assert ('href="/reports/"' in panels) == bool(allowed - {"experience"})
    assert ('href="/reports/experience/"' in panels) == (allowed == {"experience"})


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("report", args=["delivery"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-02-30"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"to": "1899-12-31"}, "to"),
        ({"from": "2026-05-02", "to": "2026-05-01"}, "to"),
        ({"ptj": "NOPE"}, "ptj"),
        ({"course": "NOPE123MC"}, "course"),
    ],
)
def test_bad_filters_are_refused_naming_the_parameter(client, fcsit, params, field):
    user = viewer(Role.CFLEX_ADMIN)
    for slug in ALL:
        response = _get(client, user, slug, **params)
        assert response.status_code == 400, slug
        html = response.content.decode()
        # the page names the parameter in words; the field path is only in API bodies (issue 17)
        assert 'data-error-code="filter_invalid"' in html and f"The filter {field} is not valid" in html
        table = next(iter(DASHBOARDS[slug].tables))
        assert client.get(reverse("report-csv", args=[slug, table]), params).status_code == 400


def test_a_dean_cannot_pick_another_ptj_or_its_courses(client, world):
    # DOMAIN R-QA-2: asking for another PTj is refused exactly like a PTj that does not exist
    dean = viewer(Role.DEAN, world.feng)
    assert _get(client, dean, "delivery", ptj="FCSIT").status_code == 400
    assert _get(client, dean, "delivery", course=world.course_a.code).status_code == 400
    html = _get(client, dean, "delivery").content.decode()
    assert world.course_b.code in html and world.course_a.code not in html
    assert _get(client, dean, "delivery", ptj="FENG", course=world.course_b.code).status_code == 200


def test_unknown_reports_and_tables_are_404_and_comments_need_the_right_role(client, world):
    admin = viewer(Role.CFLEX_ADMIN)
    assert _get(client, admin, "nothing").status_code == 404
    assert client.get(reverse("report-csv", args=["delivery", "nothing"])).status_code == 404
    assert client.get(reverse("report-csv", args=["experience", "comments"])).status_code == 200
    reviewer = viewer(Role.CFLEX_REVIEWER)
    html = _get(client, reviewer, "experience").content.decode()
    assert "Great labs" not in html and world.course_a.code in html
    assert client.get(reverse("report-csv", args=["experience", "comments"])).status_code == 404


def _assert_csv_is_the_table(client, slug: str, empty: tuple[str, ...] = ()) -> None:
    html = client.get(reverse("report", args=[slug])).content.decode()
    for table in DASHBOARDS[slug].tables:
        shown = page_table(html, table)
        response = client.get(reverse("report-csv", args=[slug, table]))
        assert response["Content-Type"].startswith("text/csv")
        assert f'filename="{slug}-{table}-' in response["Content-Disposition"]
        exported = csv_rows(response.content)
        assert shown == exported or (not shown and len(exported) == 1), table
        # Only the tables named empty may be a sentence on the page (and a header in the CSV).
        assert bool(shown) != (table in empty), table


@pytest.mark.parametrize("slug", ["pipeline", "delivery", "experience", "register"])
def test_every_csv_is_its_table(client, world, slug):
    # DOMAIN R-QA-1: what is exported is exactly what is shown
    client.force_login(world.admin)
    _assert_csv_is_the_table(client, slug, empty=("overdue", "returns"))


def test_credentials_csv_is_its_table(client, world, issued):
    from credentials.services.verification import verification_hit

    verification_hit("page")
    client.force_login(world.admin)
    _assert_csv_is_the_table(client, "credentials")


def test_transfer_csv_is_its_table(client, transfers):
    client.force_login(transfers.admin)
    _assert_csv_is_the_table(client, "transfer")


def test_csv_follows_the_filters(client, world):
    client.force_login(world.admin)
    url = reverse("report-csv", args=["delivery", "by-course"])
    rows = csv_rows(client.get(url, {"ptj": "FENG"}).content)
    assert [r[0] for r in rows] == ["Code", world.course_b.code, "All courses"]
    html = client.get(reverse("report", args=["delivery"]), {"ptj": "FENG"}).content.decode()
    assert f"{url}?ptj=FENG" in html
