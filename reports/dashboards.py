"""The dashboards: which tables each shows, in what order, and the charts drawn from each table.
A chart is drawn from its table's own numbers, so the picture, the table beside it and the CSV
export can never disagree."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from enrolment.choices import EnrolmentStatus
from policy.api import workflow_plan
from policy.data import WorkflowPlan
from reports.charts import MOST_BARS, Chart, bar_chart, histogram, line_chart, stacked_bar_chart
from reports.policies import Filters, Scope
from reports.selectors import credentials, delivery, experience, pipeline, register, transfer
from reports.tables import Table


@dataclass(frozen=True)
class Block:
    table: Table
    charts: tuple[Chart, ...] = ()

    @property
    def side_by_side(self) -> bool:
        """A narrow table fits beside its chart on a wide screen; a wide one goes under it."""
        return bool(self.charts) and len(self.table.columns) <= 5


def _stacked(
    uid: str, table: Table, label_key: str, series: Sequence[str], title: str | Promise, most: int | None = None
) -> Chart:
    indexes = [table.column(k) for k in series]
    return stacked_bar_chart(
        uid,
        title,
        table.values(label_key),
        [table.columns[i].label for i in indexes],
        [[row[i] for i in indexes] for row in table.rows],
        most=most,
    )


class Dashboard:
    do_not_call_in_templates = True  # templates read the class's title and slug
    slug = ""
    title: str | Promise = ""
    intro: str | Promise = ""
    dates: str | Promise = ""
    tables: tuple[str, ...] = ()  # every table it can show, in order (some only to some viewers)
    perm = "reports.view_dashboards"
    with_teaching = False

    def __init__(self, filters: Filters, scope: Scope) -> None:
        self.filters = filters
        self.scope = scope

    def builders(self) -> dict[str, Callable[[], Table]]:
        raise NotImplementedError

    def charts(self, table: Table) -> tuple[Chart, ...]:
        return ()

    def table(self, slug: str) -> Table:
        """One table, built alone (for its CSV). ``KeyError`` when there is none."""
        return self.builders()[slug]()

    def blocks(self) -> list[Block]:
        blocks = []
        for build in self.builders().values():
            table = build()
            blocks.append(Block(table, self.charts(table) if table.rows else ()))
        return blocks


class PipelineDashboard(Dashboard):
    slug = "pipeline"
    title = _("Approval pipeline")
    intro = _(
        "Proposals by step and PTj, time in each step against Table 3's suggested durations, overdue "
        "items, days from submission to Senate approval and returns for revision (R-QA-2, R-WF-4)."
    )
    dates = _(
        "Dates: step counts and overdue items are of proposals created in the range; stays, returns and "
        "Senate approvals are those that happened in the range."
    )

    tables = ("by-state", "time-in-step", "to-senate", "returns", "overdue")

    @cached_property
    def plan(self) -> WorkflowPlan:
        return workflow_plan()

    def builders(self) -> dict[str, Callable[[], Table]]:
        f = self.filters
        return {
            "by-state": lambda: pipeline.by_state(f),
            "time-in-step": lambda: pipeline.time_in_step(f, self.plan),
            "to-senate": lambda: pipeline.to_senate(f),
            "returns": lambda: pipeline.returns(f),
            "overdue": lambda: pipeline.overdue(f, self.plan),
        }

    def charts(self, table: Table) -> tuple[Chart, ...]:
        if table.slug == "by-state":
            ptjs = [c.key for c in table.columns if c.key.startswith("ptj:")]
            return (_stacked("pipeline-by-state", table, "step", ptjs, _("Proposals in each step, by PTj")),)
        if table.slug == "time-in-step":
            return (
                bar_chart(
                    "pipeline-time",
                    _("Average days in each step"),
                    list(zip(table.values("step"), table.values("mean"), strict=True)),
                    markers=table.values("suggested"),
                    marker_label=_("Suggested duration (Table 3)"),
                ),
            )
        if table.slug == "returns":
            return (
                bar_chart(
                    "pipeline-returns",
                    _("Returns for revision by step"),
                    list(zip(table.values("step"), table.values("returns"), strict=True)),
                ),
            )
        return ()


OUTCOME_SERIES = [
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.FAILED,
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.WITHDRAWN,
    EnrolmentStatus.DEFERRED,
]


GRADE_CHART_TITLES = {
    "grades": _("Grades per course, by letter"),
    "grades-ptj": _("Grades per PTj, by letter"),
    "grades-intake": _("Grades per intake, by letter"),
}


def _grade_letters(table: Table) -> Chart:
    """Grades per course, PTj or intake, by letter (A and A- together, and so on): a bar with a segment per
    letter stays readable where one per grade (eleven colours) would not."""
    grades = [c for c in table.columns if c.key.startswith("grade:")]
    letters: dict[str, list[int]] = {}
    for column in grades:
        letters.setdefault(str(column.label)[:1], []).append(table.column(column.key))
    return stacked_bar_chart(
        f"delivery-{table.slug}",
        GRADE_CHART_TITLES[table.slug],
        table.values("code"),
        list(letters),
        [[sum(int(row[i]) for i in indexes) for indexes in letters.values()] for row in table.rows],  # type: ignore[call-overload]
        most=MOST_BARS,
    )


class DeliveryDashboard(Dashboard):
    slug = "delivery"
    title = _("Delivery")
    intro = _(
        "Offerings and enrolments, completion, attrition (withdrawn and deferred), pass rates and grades per "
        "PTj, course and intake; Malaysian and international, UNIMAS and public learners (R-QA-1, R-QA-2)."
    )
    dates = _("Dates: offerings starting in the range, and their enrolments.")
    tables = (
        "by-ptj",
        "by-course",
        "by-intake",
        "grades",
        "grades-ptj",
        "grades-intake",
        "marks",
        "learners",
        "per-month",
    )

    def builders(self) -> dict[str, Callable[[], Table]]:
        f = self.filters
        return {
            "by-ptj": lambda: delivery.by_ptj(f),
            "by-course": lambda: delivery.by_course(f),
            "by-intake": lambda: delivery.by_intake(f),
            "grades": lambda: delivery.grades(f),
            "grades-ptj": lambda: delivery.grades(f, "grades-ptj"),
            "grades-intake": lambda: delivery.grades(f, "grades-intake"),
            "marks": lambda: delivery.marks(f),
            "learners": lambda: delivery.learners(f),
            "per-month": lambda: delivery.per_month(f),
        }

    def charts(self, table: Table) -> tuple[Chart, ...]:
        if table.slug == "by-ptj":
            return (_stacked("delivery-ptj", table, "ptj", OUTCOME_SERIES, _("Enrolments by outcome, per PTj")),)
        if table.slug == "by-course":
            title = _("Enrolments by outcome, per course")
            return (_stacked("delivery-course", table, "code", OUTCOME_SERIES, title, most=MOST_BARS),)
        if table.slug.startswith("grades"):
            return (_grade_letters(table),)
        if table.slug == "marks":
            return (
                histogram(
                    "delivery-marks",
                    _("Learners by final mark"),
                    list(zip(table.values("band"), table.values("learners"), strict=True)),
                ),
            )
        if table.slug == "learners":
            return (
                _stacked(
                    "delivery-nationality", table, "ptj", ["local", "international"], _("Malaysian and international")
                ),
                _stacked(
                    "delivery-internal", table, "ptj", ["internal", "public"], _("UNIMAS students and the public")
                ),
            )
        if table.slug == "per-month":
            return (
                line_chart(
                    "delivery-months",
                    _("Enrolments per month"),
                    table.values("month"),
                    [(_("Enrolments"), table.values("enrolments"))],
                ),
            )
        return ()


class ExperienceDashboard(Dashboard):
    slug = "experience"
    title = _("Learner experience")
    intro = _(
        "The course survey learners answer after their final assessment (R-RS-3): results per course and per "
        "instructor, and comments for the people allowed to read them (R-QA-2)."
    )
    dates = _("Dates: offerings starting in the range.")
    tables = ("by-course", "by-instructor", "overall", "comments")
    perm = "reports.view_experience"
    with_teaching = True

    def builders(self) -> dict[str, Callable[[], Table]]:
        f = self.filters
        tables: dict[str, Callable[[], Table]] = {
            "by-course": lambda: experience.by_course(f),
            "by-instructor": lambda: experience.by_instructor(f),
            "overall": lambda: experience.overall(f),
        }
        if self.scope.reads_comments:
            tables["comments"] = lambda: experience.comments(f, self.scope)
        return tables

    def charts(self, table: Table) -> tuple[Chart, ...]:
        if table.slug == "by-course":
            return (
                bar_chart(
                    "experience-course",
                    _("Overall rating per course (1 to 5)"),
                    list(zip(table.values("code"), table.values("overall_rating"), strict=True)),
                    most=MOST_BARS,
                    lowest=True,
                ),
            )
        if table.slug == "by-instructor":
            return (
                bar_chart(
                    "experience-instructor",
                    _("Instructor feedback rating per instructor (1 to 5)"),
                    list(zip(table.values("instructor"), table.values("instructor_rating"), strict=True)),
                    most=MOST_BARS,
                    lowest=True,
                ),
            )
        if table.slug == "overall":
            return (
                histogram(
                    "experience-overall",
                    _("Responses by overall rating"),
                    list(zip(table.values("rating"), table.values("responses"), strict=True)),
                ),
            )
        return ()


class RegisterDashboard(Dashboard):
    slug = "register"
    title = _("MQA-style register")
    intro = _(
        "Every micro-credential Senate has approved, with its code, title, category, level, credits, SLT, "
        "delivery, status and MQA registration reference, for export (R-QA-1)."
    )
    dates = _("Dates: the day Senate approved the course.")
    tables = ("register",)

    def builders(self) -> dict[str, Callable[[], Table]]:
        return {"register": lambda: register.register(self.filters)}


class CredentialsDashboard(Dashboard):
    slug = "credentials"
    title = _("Credentials")
    intro = _(
        "Credentials issued, suspended and revoked per PTj and course, issued per month, and public "
        "verifications per month, counted without personal data (R-CR-1, R-CR-5, R-QA-1)."
    )
    dates = _("Dates: credentials issued in the range; verifications in the months of the range.")
    tables = ("by-ptj", "by-course", "issued-per-month", "verifications")

    def builders(self) -> dict[str, Callable[[], Table]]:
        f = self.filters
        tables: dict[str, Callable[[], Table]] = {
            "by-ptj": lambda: credentials.by_ptj(f),
            "by-course": lambda: credentials.by_course(f),
            "issued-per-month": lambda: credentials.issued_per_month(f),
        }
        if self.scope.everything:  # university-wide counters: not broken down by PTj
            tables["verifications"] = lambda: credentials.verifications(f)
        return tables

    def charts(self, table: Table) -> tuple[Chart, ...]:
        series = ["active", "suspended", "revoked"]
        if table.slug == "by-ptj":
            return (_stacked("credentials-ptj", table, "ptj", series, _("Credentials by status, per PTj")),)
        if table.slug == "by-course":
            title = _("Credentials by status, per course")
            return (_stacked("credentials-course", table, "code", series, title, most=MOST_BARS),)
        if table.slug == "issued-per-month":
            return (
                line_chart(
                    "credentials-months",
                    _("Credentials issued per month"),
                    table.values("month"),
                    [(_("Issued"), table.values("issued"))],
                ),
            )
        if table.slug == "verifications":
            channels = [c.key for c in table.columns[1:-1]]
            return (
                line_chart(
                    "credentials-verifications",
                    _("Verifications per month, by channel"),
                    table.values("month"),
                    [(table.columns[table.column(c)].label, table.values(c)) for c in channels],
                ),
            )
        return ()


class TransferDashboard(Dashboard):
    slug = "transfer"
    title = _("Credit transfer")
    intro = _(
        "Credit-transfer and APEL.C applications, their outcome and approval rate per PTj and programme, "
        "and credits transferred by rule (R-CT-1..6, R-QA-1)."
    )
    dates = _("Dates: applications submitted in the range. Course: applications claiming that micro-credential.")
    tables = ("by-ptj", "by-programme", "by-rule", "per-month")

    def builders(self) -> dict[str, Callable[[], Table]]:
        f = self.filters
        return {
            "by-ptj": lambda: transfer.by_ptj(f),
            "by-programme": lambda: transfer.by_programme(f),
            "by-rule": lambda: transfer.by_rule(f),
            "per-month": lambda: transfer.per_month(f),
        }

    def charts(self, table: Table) -> tuple[Chart, ...]:
        if table.slug == "by-ptj":
            series = ["open", "approved", "rejected", "not_supported", "withdrawn"]
            return (_stacked("transfer-ptj", table, "ptj", series, _("Applications by outcome, per PTj")),)
        if table.slug == "by-rule":
            return (
                bar_chart(
                    "transfer-rules",
                    _("Credits transferred by rule"),
                    list(zip(table.values("rule"), table.values("credits"), strict=True)),
                ),
            )
        if table.slug == "per-month":
            return (
                line_chart(
                    "transfer-months",
                    _("Applications per month"),
                    table.values("month"),
                    [(_("Applications"), table.values("applications"))],
                ),
            )
        return ()


DASHBOARDS: dict[str, type[Dashboard]] = {
    d.slug: d
    for d in (
        PipelineDashboard,
        DeliveryDashboard,
        ExperienceDashboard,
        CredentialsDashboard,
        TransferDashboard,
        RegisterDashboard,
    )
}
