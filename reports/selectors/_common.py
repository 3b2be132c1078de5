"""What every report query shares: the viewer's scope and the filters as ``Q`` objects, and the
choices the filter form offers. Reports read other apps' tables read-only, to aggregate in the
database (docs/decisions/0060); they never write."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, cast

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import PTj
from courses.choices import ProposalStatus
from courses.models import Proposal
from enrolment.models import Offering
from reports.policies import Filters, Scope

NOTHING = Q(pk__in=[])


def rows_of(queryset: QuerySet[Any, Any]) -> list[dict[str, Any]]:
    """The rows of a ``values(...).annotate(...)`` query, as plain dicts keyed by name."""
    return cast("list[dict[str, Any]]", list(queryset))


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def time_range_q(field: str, filters: Filters) -> Q:
    """A datetime field inside the (inclusive, local) date range."""
    q = Q()
    if filters.date_from:
        q &= Q(**{f"{field}__gte": _aware(filters.date_from)})
    if filters.end_exclusive:
        q &= Q(**{f"{field}__lt": _aware(filters.end_exclusive)})
    return q


def day_range_q(field: str, filters: Filters) -> Q:
    """A date field inside the inclusive date range."""
    q = Q()
    if filters.date_from:
        q &= Q(**{f"{field}__gte": filters.date_from})
    if filters.date_to:
        q &= Q(**{f"{field}__lte": filters.date_to})
    return q


def ptj_scope_q(filters: Filters, ptj_field: str = "ptj_id", offering_field: str | None = None) -> Q:
    """Rows of the PTjs the viewer sees (or, given ``offering_field`` and an instructor, of the
    offerings they teach), narrowed to the PTj chosen."""
    if filters.everything:
        q = Q()
    else:
        q = Q(**{f"{ptj_field}__in": sorted(filters.ptj_ids)}) if filters.ptj_ids else NOTHING
        if offering_field and filters.teacher_id is not None:
            q |= Q(**{f"{offering_field}__in": Offering.objects.filter(instructors=filters.teacher_id).values("pk")})
    if filters.chosen_ptj is not None:
        q &= Q(**{ptj_field: filters.chosen_ptj})
    return q


def ptj_options(scope: Scope, *, with_teaching: bool = False) -> list[tuple[int, str, str]]:
    """The PTjs the viewer may pick (one query)."""
    queryset = PTj.objects.order_by("code")
    if not scope.everything:
        q = Q(pk__in=sorted(scope.ptj_ids))
        if with_teaching and scope.teacher_id is not None:
            q |= Q(pk__in=Offering.objects.filter(instructors=scope.teacher_id).values("ptj_id"))
        queryset = queryset.filter(q)
    return list(queryset.values_list("pk", "code", "name"))


def course_options(scope: Scope, *, with_teaching: bool = False) -> list[tuple[int, str, str]]:
    """The courses the viewer may pick: submitted proposals with a code, in their PTjs (drafts
    are their developers' own) (one query)."""
    queryset = Proposal.objects.exclude(status=ProposalStatus.DRAFT).exclude(code="").order_by("code")
    if not scope.everything:
        q = Q(ptj_id__in=sorted(scope.ptj_ids))
        if with_teaching and scope.teacher_id is not None:
            q |= Q(pk__in=Offering.objects.filter(instructors=scope.teacher_id).values("proposal_id"))
        queryset = queryset.filter(q)
    return list(queryset.values_list("pk", "code", "title"))
