"""Student learning time (R-SLT-1..4, R-WF-6): Table 4 totals, rate ranges, credit value, the
Category 1 match and the SBL share. Decimal everywhere; pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from courses.choices import DeliveryMode
from courses.policies.data import LineData, Problem, UnitData
from courses.policies.limits import QUANTITY_MAX
from policy.data import PolicyData

MINUTES_PER_HOUR = Decimal(60)
ZERO = Decimal(0)
# The largest rate the table stores (six digits, two decimals).
RATE_MAX = Decimal("9999.99")


def _round(value: Decimal, places: str = "1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def plain(number: Decimal) -> str:
    """A Decimal as people write it: 10.00 -> "10", 7.50 -> "7.5" (never "1E+1")."""
    return format(number.normalize(), "f")


def whole_minutes(minutes: Decimal) -> int:
    """The one rounding of SLT shown to people (R-SLT-2): to the whole minute, half up. Hours and
    minutes (``format_hm``) and decimal hours (``hours_shown``) both start from it, so 637.5 min
    is "10h 38m" and 10.63 h, never 10.62 h."""
    return int(_round(minutes))


def format_hm(minutes: Decimal) -> str:
    """R-SLT-2: minutes as ``Xh Ym`` (to the nearest whole minute, half up)."""
    hours, rest = divmod(whole_minutes(minutes), 60)
    return f"{hours}h {rest}m"


def hours_shown(minutes: Decimal) -> Decimal:
    """R-SLT-2: minutes as decimal hours for people: the whole minutes / 60, to 0.01, half up."""
    return _round(Decimal(whole_minutes(minutes)) / MINUTES_PER_HOUR, "0.01")


def default_rate(activity: str, policy: PolicyData) -> Decimal | None:
    """R-SLT-2: a line without a rate takes the midpoint of the activity's range (None: unknown)."""
    try:
        return policy.slt_rate(activity).midpoint
    except KeyError:
        return None


def line_minutes(line: LineData) -> Decimal:
    return Decimal(line.quantity) * line.rate_minutes


@dataclass(frozen=True)
class UnitTotals:
    number: int  # 1-based, as the page shows it
    title: str
    delivery_minutes: Decimal
    assessment_minutes: Decimal
    online_minutes: Decimal

    @property
    def total_minutes(self) -> Decimal:
        return self.delivery_minutes + self.assessment_minutes

    @property
    def total_hm(self) -> str:
        return format_hm(self.total_minutes)


@dataclass(frozen=True)
class SLTTotals:
    units: tuple[UnitTotals, ...]
    delivery_minutes: Decimal
    assessment_minutes: Decimal
    online_minutes: Decimal
    hours_per_credit: int

    @property
    def total_minutes(self) -> Decimal:
        return self.delivery_minutes + self.assessment_minutes

    @property
    def total_hours(self) -> Decimal:
        return self.total_minutes / MINUTES_PER_HOUR

    @property
    def total_hours_shown(self) -> Decimal:
        return hours_shown(self.total_minutes)

    @property
    def total_hm(self) -> str:
        return format_hm(self.total_minutes)

    @property
    def delivery_hm(self) -> str:
        return format_hm(self.delivery_minutes)

    @property
    def assessment_hm(self) -> str:
        return format_hm(self.assessment_minutes)

    @property
    def credit_value(self) -> Decimal:
        """R-SLT-3: SLT hours / hours per credit, to one decimal, half up."""
        return _round(self.total_hours / Decimal(self.hours_per_credit), "0.1")

    @property
    def online_share_pct(self) -> Decimal:
        """R-SLT-4: online SLT / total SLT, as a whole percentage (compared with whole-number bounds)."""
        if not self.total_minutes:
            return ZERO
        return _round(self.online_minutes * 100 / self.total_minutes)


def slt_totals(units: Sequence[UnitData], policy: PolicyData) -> SLTTotals:
    """R-SLT-2: totals per unit, delivery vs assessment, and for the course. Lines must already be
    valid (``line_problems``); an unknown activity raises ``KeyError``."""
    rows = []
    for number, unit in enumerate(units, start=1):
        delivery = assessment = online = ZERO
        for line in unit.lines:
            minutes = line_minutes(line)
            if policy.slt_rate(line.activity).is_assessment:
                assessment += minutes
            else:
                delivery += minutes
            if line.is_online:
                online += minutes
        rows.append(UnitTotals(number, unit.title, delivery, assessment, online))
    return SLTTotals(
        units=tuple(rows),
        delivery_minutes=sum((r.delivery_minutes for r in rows), ZERO),
        assessment_minutes=sum((r.assessment_minutes for r in rows), ZERO),
        online_minutes=sum((r.online_minutes for r in rows), ZERO),
        hours_per_credit=policy.hours_per_credit,
    )


def rate_problem(activity: str, rate: Decimal, policy: PolicyData, field: str = "rate_minutes") -> Problem | None:
    """R-SLT-2: the rate must lie inside the policy's range for the activity."""
    try:
        band = policy.slt_rate(activity)
    except KeyError:
        return Problem("R-SLT-1", "slt_activity_unknown", _("Choose an activity from the SLT table."), field)
    if rate != rate.quantize(Decimal("0.01")):
        return Problem("R-SLT-2", "slt_rate_precision", _("A rate has at most two decimals."), field)
    if band.min_minutes <= rate <= band.max_minutes:
        return None
    return Problem(
        "R-SLT-2",
        "slt_rate_out_of_range",
        _("%(rate)s min per %(unit)s is outside the policy range of %(low)s-%(high)s min.")
        % {"rate": plain(rate), "unit": band.unit, "low": plain(band.min_minutes), "high": plain(band.max_minutes)},
        field,
    )


def line_problems(line: LineData, policy: PolicyData, prefix: str) -> list[Problem]:
    """Input that is refused on every save: a known activity, a sane quantity, a rate in range."""
    problems = []
    if not 0 < line.quantity <= QUANTITY_MAX:
        problems.append(
            Problem(
                "R-SLT-2",
                "slt_quantity_out_of_range",
                _("The quantity must be a whole number from 1 to %(max)s.") % {"max": QUANTITY_MAX},
                f"{prefix}.quantity",
            )
        )
    rate = rate_problem(line.activity, line.rate_minutes, policy, f"{prefix}.rate_minutes")
    if rate is not None:
        if rate.code == "slt_activity_unknown":
            rate = Problem(rate.rule_id, rate.code, rate.message, f"{prefix}.activity")
        problems.append(rate)
    return problems


@dataclass(frozen=True)
class CreditMatch:
    """R-SLT-3: how a whole-course MC's SLT compares with the course's credits x hours."""

    credits: int
    expected_hours: Decimal
    low_hours: Decimal
    high_hours: Decimal
    actual_hours: Decimal

    @property
    def within(self) -> bool:
        return self.low_hours <= self.actual_hours <= self.high_hours


def credit_match(totals: SLTTotals, credits: int, policy: PolicyData) -> CreditMatch:
    expected = Decimal(credits * policy.hours_per_credit)
    tolerance = expected * policy.slt_match_tolerance_pct / 100
    return CreditMatch(credits, expected, expected - tolerance, expected + tolerance, totals.total_hours)


def is_sbl(delivery_mode: str, online_share_pct: Decimal, policy: PolicyData) -> bool:
    """R-WF-6 / R-SLT-4: a conventional course this share online is Substitute Blended Learning."""
    return (
        delivery_mode == DeliveryMode.CONVENTIONAL
        and policy.sbl_online_min_pct <= online_share_pct <= policy.sbl_online_max_pct
    )


def is_above_sbl(delivery_mode: str, online_share_pct: Decimal, policy: PolicyData) -> bool:
    """Interpretation: SBL permits a conventional course at most the SBL maximum online; beyond it
    the course must be declared ODL or blended."""
    return delivery_mode == DeliveryMode.CONVENTIONAL and online_share_pct > policy.sbl_online_max_pct


def line_save_problems(line: LineData, policy: PolicyData, prefix: str) -> list[Problem]:
    """What a draft save refuses: an unknown activity, a silly quantity or rate. A rate outside the
    policy range is kept as typed and shown; it blocks submission instead (readiness, issue 17)."""
    return [
        p
        for p in line_problems(line, policy, prefix)
        if not (p.code == "slt_rate_out_of_range" and ZERO < line.rate_minutes <= RATE_MAX)
    ]
