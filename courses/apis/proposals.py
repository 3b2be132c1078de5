"""The proposal API (/api/v1/proposals/...): one view per action, no logic; the services decide.
Anyone else's proposal is 404 (``proposal_get``), and nothing of it is returned."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import PTj, User
from core.errors import UNCHECKED
from courses.apis.fields import ProblemField, ProposalFields, TotalsField, proposal_data_from, validated
from courses.models import Proposal
from courses.policies import readiness_report
from courses.selectors import (
    code_suggestion,
    proposal_data,
    proposal_document,
    proposal_get,
    proposal_snapshot,
    proposals_authored_by,
)
from courses.services import (
    proposal_create,
    proposal_create_may,
    proposal_delete,
    proposal_may,
    proposal_submit,
    proposal_update,
)
from policy.api import policy_in_force


def _user(request: Request) -> User:
    assert isinstance(request.user, User)  # IsAuthenticated
    return request.user


class ProposalDetailOutput(serializers.Serializer[Any]):
    """A proposal as one document: its fields, its design, its totals and its readiness."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    category = serializers.IntegerField()
    status = serializers.CharField()
    ptj = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField()
    origin_programme_id = serializers.IntegerField(allow_null=True)
    origin_course_id = serializers.IntegerField(allow_null=True)
    origin_programme = serializers.DictField(allow_null=True)
    origin_course = serializers.DictField(allow_null=True)
    part_credits = serializers.IntegerField(allow_null=True)
    justification = serializers.CharField()
    objectives = serializers.CharField()
    entry_requirements = serializers.CharField()
    synopsis = serializers.CharField()
    study_session = serializers.CharField()
    offer_start = serializers.CharField(allow_null=True)
    offer_end = serializers.CharField(allow_null=True)
    course_level = serializers.IntegerField(allow_null=True)
    learner_commitment = serializers.CharField()
    promotion = serializers.CharField()
    continuous_improvement = serializers.CharField()
    fee = serializers.CharField(allow_null=True)
    delivery_mode = serializers.CharField()
    ptg_reference = serializers.CharField()
    owner = serializers.DictField()
    lecturers = serializers.ListField(child=serializers.DictField())
    co_developers = serializers.ListField(child=serializers.DictField())
    clos = serializers.ListField(child=serializers.DictField())
    units = serializers.ListField(child=serializers.DictField())
    components = serializers.ListField(child=serializers.DictField())
    market_survey = serializers.DictField(allow_null=True)
    slt = TotalsField()
    readiness = ProblemField(many=True)
    ready = serializers.BooleanField()
    saved_at = serializers.DateTimeField(
        help_text="When the draft was last saved: send it back as expected_saved_at to refuse lost updates."
    )


def proposal_detail(proposal: Proposal) -> dict[str, Any]:
    """The output of the detail, create, update and submit actions."""
    snapshot = proposal_snapshot(proposal)
    report = readiness_report(snapshot, policy_in_force())
    document = proposal_document(proposal, snapshot, report.totals)
    document.update(
        status=proposal.status,
        slt=report.totals,
        readiness=report.problems,
        ready=report.ready,
        saved_at=proposal.updated_at,
    )
    return dict(ProposalDetailOutput(document).data)


class ProposalListApi(APIView):
    """The proposals the user owns or co-develops."""

    class Pagination(LimitOffsetPagination):
        default_limit = 50

    class OutputSerializer(serializers.ModelSerializer[Proposal]):
        origin_course = serializers.CharField(source="origin_course.code", default=None)

        class Meta:
            model = Proposal
            fields = ("id", "kind", "status", "code", "title", "origin_course", "created_at", "updated_at")

    @extend_schema(
        operation_id="proposals_list",
        responses=inline_serializer(
            "ProposalListPage",
            fields={
                "count": serializers.IntegerField(help_text="How many proposals in all."),
                "next": serializers.URLField(allow_null=True, help_text="The next page; null on the last."),
                "previous": serializers.URLField(allow_null=True, help_text="The previous page; null on the first."),
                "results": OutputSerializer(many=True),
            },
        ),
        parameters=[
            OpenApiParameter("limit", int, description="Proposals per page (default 50)."),
            OpenApiParameter("offset", int, description="How many to skip."),
        ],
    )
    def get(self, request: Request) -> Response:
        proposals: QuerySet[Proposal] = proposals_authored_by(request.user).order_by("-updated_at", "-id")
        paginator = self.Pagination()
        page = paginator.paginate_queryset(proposals, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class ProposalCreateApi(APIView):
    class InputSerializer(ProposalFields):
        ptj = serializers.CharField(required=False, help_text="PTj code; needed when you develop for several.")

    @extend_schema(request=InputSerializer, responses={201: ProposalDetailOutput})
    def post(self, request: Request) -> Response:
        proposal_create_may(actor=_user(request))  # before the input is read
        values = validated(self.InputSerializer(data=request.data))
        ptj_code = values.pop("ptj", None)
        ptj = get_object_or_404(PTj, code=ptj_code) if ptj_code else None
        proposal = proposal_create(actor=_user(request), data=proposal_data_from(values), ptj=ptj)
        proposal = proposal_get(request.user, proposal.pk)
        return Response(proposal_detail(proposal), status=status.HTTP_201_CREATED)


class ProposalDetailApi(APIView):
    @extend_schema(responses=ProposalDetailOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(proposal_detail(proposal_get(request.user, pk)))


class ProposalUpdateApi(APIView):
    """Save a draft: any subset of the fields; a list given (``clos``, ``units``, ``components``)
    replaces the whole list. Drafts save without passing the rules; see ``readiness``."""

    class InputSerializer(ProposalFields):
        expected_saved_at = serializers.DateTimeField(
            required=False,
            help_text="The saved_at you read; if the draft was saved since, 409 stale_change and nothing is saved.",
        )

    @extend_schema(request=InputSerializer, responses=ProposalDetailOutput)
    def patch(self, request: Request, pk: int) -> Response:
        proposal = proposal_get(request.user, pk)
        proposal_may(actor=_user(request), perm="courses.change_proposal", proposal=proposal)  # before the input
        values = validated(self.InputSerializer(data=request.data, partial=True))
        expected = values.pop("expected_saved_at", UNCHECKED)
        data = proposal_data_from(values, base=proposal_data(proposal))
        proposal_update(actor=_user(request), proposal=proposal, data=data, expected_saved_at=expected)
        return Response(proposal_detail(proposal_get(request.user, pk)))


class ProposalDeleteApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        proposal_delete(actor=_user(request), proposal=proposal_get(request.user, pk, design=False))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProposalReadinessApi(APIView):
    """Every rule the proposal still breaks: the same list as the page's readiness panel."""

    class OutputSerializer(serializers.Serializer[Any]):
        ready = serializers.BooleanField()
        problems = ProblemField(many=True)

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        report = readiness_report(proposal_snapshot(proposal_get(request.user, pk)), policy_in_force())
        return Response(self.OutputSerializer({"ready": report.ready, "problems": report.problems}).data)


class ProposalSubmitApi(APIView):
    """Submit: the server runs every rule again; 400 ``proposal_not_ready`` lists the problems in words, with the first one's ``rule``."""

    class OutputSerializer(serializers.Serializer[Any]):
        version = serializers.IntegerField()
        proposal = ProposalDetailOutput()

    @extend_schema(request=None, responses=OutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        version = proposal_submit(actor=_user(request), proposal=proposal_get(request.user, pk))
        proposal = proposal_get(request.user, pk)
        return Response({"version": version.number, "proposal": proposal_detail(proposal)})


class CodeSuggestionApi(APIView):
    """R-NM-2 / R-NM-3: the next free code for a type and origin."""

    class InputSerializer(serializers.Serializer[Any]):
        kind = serializers.CharField()
        origin_course = serializers.IntegerField(required=False, allow_null=True, default=None)
        part_credits = serializers.IntegerField(required=False, allow_null=True, default=None)

    class OutputSerializer(serializers.Serializer[Any]):
        code = serializers.CharField()

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str),
            OpenApiParameter("origin_course", int),
            OpenApiParameter("part_credits", int),
        ],
        responses=OutputSerializer,
    )
    def get(self, request: Request) -> Response:
        params = validated(self.InputSerializer(data=request.query_params))
        code = code_suggestion(
            kind=params["kind"], origin_course_id=params["origin_course"], part_credits=params["part_credits"]
        )
        return Response({"code": code})
