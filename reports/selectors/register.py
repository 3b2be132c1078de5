"""The MQA-style register (R-QA-1): every micro-credential Senate has approved, with what MQA
asks for (code, title, category, level, credits, SLT, delivery, status and the MQA registration
reference). Credits and SLT are those of the version Senate approved (its frozen snapshot); the
date range picks courses by the day Senate approved them. One query."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, OuterRef, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from courses.choices import DeliveryMode, MQFLevel, ProposalKind, ProposalStatus, RegistrationKind
from courses.models import Proposal, ProposalVersion, Registration
from enrolment.models import Offering
from reports.policies import Filters
from reports.selectors._common import ptj_scope_q, time_range_q
from reports.tables import Column, Table

APPROVED = (ProposalStatus.SENATE_APPROVED, ProposalStatus.REGISTERED, ProposalStatus.READY_TO_OFFER)


def _snapshot(key: str) -> Subquery:
    latest = ProposalVersion.objects.filter(proposal=OuterRef("pk")).order_by("-number")
    return Subquery(latest.annotate(value=KT(f"snapshot__slt__{key}")).values("value")[:1])


def _reference(kind: str) -> Subquery:
    return Subquery(Registration.objects.filter(proposal=OuterRef("pk"), kind=kind).values("reference")[:1])


def _senate_approved_at() -> Subquery:
    return Subquery(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Proposal),
            object_id=Cast(OuterRef("pk"), CharField()),
            to_state=ProposalStatus.SENATE_APPROVED,
        )
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )


def register(filters: Filters) -> Table:
    queryset = (
        Proposal.objects.filter(ptj_scope_q(filters), status__in=APPROVED)
        .annotate(
            credits=_snapshot("credit_value"),
            slt=_snapshot("total_hm"),
            mqa=_reference(RegistrationKind.MQA),
            unimas=_reference(RegistrationKind.UNIMAS),
            senate_at=_senate_approved_at(),
            offered=Subquery(
                Offering.objects.filter(proposal=OuterRef("pk"))
                .order_by()
                .values("proposal")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .filter(time_range_q("senate_at", filters))
        .order_by("code", "pk")
    )
    if filters.course_id is not None:
        queryset = queryset.filter(pk=filters.course_id)
    rows = queryset.values_list(
        "code",
        "title",
        "kind",
        "course_level",
        "credits",
        "slt",
        "delivery_mode",
        "status",
        "mqa",
        "unimas",
        "ptj__code",
        "senate_at",
        "offered",
    )
    body = tuple(
        (
            code,
            title,
            ProposalKind(kind).label if kind in ProposalKind.values else kind,
            MQFLevel(level).label if level in MQFLevel.values else level,
            credits,
            slt,
            DeliveryMode(delivery).label if delivery in DeliveryMode.values else delivery,
            ProposalStatus(status).label,
            mqa,
            unimas,
            ptj,
            timezone.localdate(senate_at) if senate_at else None,
            offered or 0,
        )
        for code, title, kind, level, credits, slt, delivery, status, mqa, unimas, ptj, senate_at, offered in rows
    )
    return Table(
        "register",
        _("Register of micro-credentials"),
        (
            Column("code", _("Code"), numeric=False),
            Column("title", _("Title"), numeric=False),
            Column("category", _("Category"), numeric=False),
            Column("level", _("Level"), numeric=False),
            Column("credits", _("Credits")),
            Column("slt", _("SLT"), numeric=False),
            Column("delivery", _("Delivery"), numeric=False),
            Column("status", _("Status"), numeric=False),
            Column("mqa", _("MQA registration reference"), numeric=False),
            Column("unimas", _("UNIMAS registration reference"), numeric=False),
            Column("ptj", _("PTj"), numeric=False),
            Column("senate", _("Senate approved"), numeric=False),
            Column("offerings", _("Offerings")),
        ),
        body,
        note=_(
            "Every micro-credential Senate has approved (R-WF-1), with credits and SLT as approved "
            "(R-SLT-3). Stand-alone micro-credentials have no MQA reference: only MQA courses are "
            "registered with MQA."
        ),
        empty=_("No micro-credential has been approved by Senate in the date range."),
    )
