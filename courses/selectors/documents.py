"""A proposal as one JSON document: what a submitted ``ProposalVersion`` freezes, so later
reviewers can diff versions (R-WF-3) without the live rows."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from accounts.models import User
from courses.choices import category_of
from courses.models import MarketSurvey, Proposal
from courses.policies import ProposalSnapshot, SLTTotals


def _person(user: User) -> dict[str, Any]:
    return {"id": user.pk, "name": user.full_name, "email": user.email}


def _survey(proposal: Proposal) -> dict[str, Any] | None:
    try:
        survey = proposal.market_survey
    except MarketSurvey.DoesNotExist:
        return None
    return {
        "respondents": survey.respondents,
        "file_name": survey.file_name,
        "file_kind": survey.file_kind,
        "file_size": survey.file_size,
        "file_sha256": survey.file_sha256,
    }


def totals_document(totals: SLTTotals) -> dict[str, Any]:
    return {
        "units": [
            {
                "number": u.number,
                "title": u.title,
                "delivery_minutes": u.delivery_minutes,
                "assessment_minutes": u.assessment_minutes,
                "online_minutes": u.online_minutes,
                "total_minutes": u.total_minutes,
                "total_hm": u.total_hm,
            }
            for u in totals.units
        ],
        "delivery_minutes": totals.delivery_minutes,
        "assessment_minutes": totals.assessment_minutes,
        "online_minutes": totals.online_minutes,
        "total_minutes": totals.total_minutes,
        "total_hm": totals.total_hm,
        "credit_value": totals.credit_value,
        "online_share_pct": totals.online_share_pct,
    }


def proposal_document(proposal: Proposal, snapshot: ProposalSnapshot, totals: SLTTotals) -> dict[str, Any]:
    """Everything about the proposal, as JSON-ready values (Decimals and dates as strings)."""
    data = asdict(snapshot.data)
    for key in ("lecturer_ids", "co_developer_ids", "survey_respondents"):
        data.pop(key)
    document = {
        **data,
        "id": proposal.pk,
        "category": category_of(proposal.kind),
        "ptj": proposal.ptj.code,
        "owner": _person(proposal.created_by),
        "origin_programme": asdict(snapshot.origin_programme) if snapshot.origin_programme else None,
        "origin_course": asdict(snapshot.origin_course) if snapshot.origin_course else None,
        "lecturers": [_person(u) for u in proposal.lecturers.all()],
        "co_developers": [_person(u) for u in proposal.co_developers.all()],
        "market_survey": _survey(proposal),
        "slt": totals_document(totals),
    }
    return dict(json.loads(json.dumps(document, cls=DjangoJSONEncoder)))
