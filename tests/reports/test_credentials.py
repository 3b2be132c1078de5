"""Credentials against the hand-worked world of conftest.py (DOMAIN R-CR-1, R-CR-5, R-QA-1): L1,
L2 and L3 passed course A, so three credentials; one suspended, one revoked. Verifications are
counted per month and channel, never per person or credential."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from accounts.models import Role
from credentials.services.verification import verification_hit
from reports.policies import NO_VALUE as N
from reports.policies import Filters
from reports.selectors import credentials
from tests.reports.conftest import viewer

pytestmark = pytest.mark.django_db

EVERYTHING = Filters(everything=True)


def test_issued_suspended_and_revoked(world, issued):
    a = world.course_a
    assert credentials.by_ptj(EVERYTHING).text_rows() == [
        ["FCSIT", "3", "1", "1", "1"],
        ["All PTjs", "3", "1", "1", "1"],
    ]
    assert credentials.by_course(EVERYTHING).text_rows() == [
        [a.code, a.title, "3", "1", "1", "1"],
        ["All courses", N, "3", "1", "1", "1"],
    ]
    month = timezone.localdate().strftime("%Y-%m")
    assert credentials.issued_per_month(EVERYTHING).text_rows() == [[month, "3"]]


def test_a_dean_of_another_ptj_sees_none(world, issued):
    # DOMAIN R-QA-2
    feng = Filters(ptj_ids=frozenset({world.feng.pk}))
    assert credentials.by_ptj(feng).text_rows() == []
    assert credentials.by_course(Filters(everything=True, course_id=world.course_b.pk)).text_rows() == []


def test_verifications_per_month_fill_empty_months(db):
    hits = [
        (date(2026, 9, 3), "page"),
        (date(2026, 9, 3), "page"),
        (date(2026, 9, 17), "page"),
        (date(2026, 9, 30), "json"),
        (date(2026, 11, 2), "page"),
        (date(2026, 11, 20), "page"),
    ]
    for day, channel in hits:
        verification_hit(channel, on=day)
    table = credentials.verifications(EVERYTHING)
    assert table.header == ["Month", "Verification page", "Credential JSON", "Uploaded file", "Total"]
    assert credentials.verifications(EVERYTHING).text_rows() == [
        ["2026-09", "3", "1", "0", "4"],
        ["2026-10", "0", "0", "0", "0"],
        ["2026-11", "2", "0", "0", "2"],
    ]
    autumn = Filters(everything=True, date_from=date(2026, 10, 1))
    assert credentials.verifications(autumn).text_rows() == [["2026-11", "2", "0", "0", "2"]]


def test_only_university_wide_viewers_see_the_verification_counters(client, world):
    from django.urls import reverse

    verification_hit("page")
    client.force_login(viewer(Role.DEAN, world.fcsit))
    assert client.get(reverse("report-csv", args=["credentials", "verifications"])).status_code == 404
    assert "Verifications per month" not in client.get(reverse("report", args=["credentials"])).content.decode()
    client.force_login(world.admin)
    assert client.get(reverse("report-csv", args=["credentials", "verifications"])).status_code == 200
