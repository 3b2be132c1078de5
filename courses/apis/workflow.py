"""The workflow API: one transition endpoint for every row of the table, the proposal's workflow
state, SME appointment, video steps, queues, the pipeline, meetings, agendas and decisions. No
logic here; the services decide and the one exception handler shapes refusals."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.errors import ApplicationError, ErrorKind
from courses.apis.fields import validated
from courses.choices import Decision, MeetingBody, ProposalStatus
from courses.models import AgendaItem, Meeting, Proposal
from courses.policies.workflow import TABLE, actions
from courses.selectors import proposal_get
from courses.selectors.meetings import meeting_get, meetings_visible_to
from courses.selectors.workflow import (
    QUEUE_SORTS,
    pipeline_board,
    proposal_history,
    proposal_queue,
    reviewer_diff,
    step_info,
)
from courses.services import (
    agenda_add,
    agenda_add_may,
    agenda_decide,
    agenda_decide_may,
    meeting_create,
    meeting_create_may,
    proposal_sme_appoint,
    proposal_sme_may,
    proposal_transition,
    proposal_transition_may,
    proposal_video_not_applicable,
)
from courses.views.workflow import available_rows
from policy.api import workflow_plan


def _user(request: Request) -> User:
    assert isinstance(request.user, User)
    return request.user


class StepSerializer(serializers.Serializer[Any]):
    progress = serializers.IntegerField(help_text="Cumulative progress, Table 3 (R-WF-4).")
    days = serializers.IntegerField(help_text="Days in the current step.")
    suggested_days = serializers.IntegerField(allow_null=True)
    overdue = serializers.BooleanField()


class ProposalItemSerializer(serializers.Serializer[Any]):
    """A proposal in a queue or on the board."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    ptj = serializers.CharField(source="ptj.code")
    committee = serializers.CharField()
    developer = serializers.CharField(source="created_by.full_name")
    state_entered_at = serializers.DateTimeField()
    milestone_done = serializers.SerializerMethodField()
    step = serializers.SerializerMethodField()

    @extend_schema_field(serializers.BooleanField())
    def get_milestone_done(self, proposal: Proposal) -> bool:
        return proposal.milestone_done_at is not None

    @extend_schema_field(StepSerializer)
    def get_step(self, proposal: Proposal) -> dict[str, Any]:
        return dict(StepSerializer(step_info(proposal, self.context.get("plan"))).data)


class TransitionRowSerializer(serializers.Serializer[Any]):
    from_state = serializers.CharField(source="source")
    action = serializers.CharField()
    actor = serializers.CharField()
    target = serializers.CharField()
    comment_required = serializers.BooleanField()
    guard = serializers.CharField()
    door = serializers.CharField()


class EventSerializer(serializers.Serializer[Any]):
    action = serializers.CharField()
    actor = serializers.CharField(source="actor.full_name", default=None, allow_null=True)
    created_at = serializers.DateTimeField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    comment = serializers.CharField()
    details = serializers.DictField(source="data")


class ChangeSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    name = serializers.CharField(source="label")
    before = serializers.CharField()
    after = serializers.CharField()


class DiffSerializer(serializers.Serializer[Any]):
    base = serializers.IntegerField(allow_null=True)
    latest = serializers.IntegerField(allow_null=True)
    own_base = serializers.BooleanField()
    changes = ChangeSerializer(many=True)


class WorkflowOutput(serializers.Serializer[Any]):
    """Where a proposal stands, what the caller may do next, what changed and the thread."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    returned_from = serializers.CharField()
    committee = serializers.CharField()
    sme = serializers.IntegerField(source="sme_id", allow_null=True)
    video_not_applicable = serializers.BooleanField()
    milestone_done = serializers.BooleanField()
    step = StepSerializer()
    actions = TransitionRowSerializer(many=True, help_text="The rows of the table the caller may take now.")
    diff = DiffSerializer()
    history = EventSerializer(many=True)


def workflow_output(user: User, proposal: Proposal) -> dict[str, Any]:
    history = proposal_history(proposal)
    return dict(
        WorkflowOutput(
            {
                "id": proposal.pk,
                "status": proposal.status,
                "returned_from": proposal.returned_from,
                "committee": proposal.committee,
                "sme_id": proposal.sme_id,
                "video_not_applicable": proposal.video_not_applicable,
                "milestone_done": proposal.milestone_done_at is not None,
                "step": step_info(proposal),
                "actions": available_rows(user, proposal),
                "diff": reviewer_diff(user, proposal, history),
                "history": history,
            }
        ).data
    )


class TransitionTableApi(APIView):
    """The transition table itself (R-WF-1..5): every row, as the service reads it."""

    @extend_schema(responses=TransitionRowSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(TransitionRowSerializer(TABLE, many=True).data)


class ProposalWorkflowApi(APIView):
    @extend_schema(responses=WorkflowOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(workflow_output(_user(request), proposal_get(request.user, pk, design=False)))


class ProposalTransitionApi(APIView):
    """Take one row of the table: ``action`` from the current state. 403 ``workflow_forbidden`` for
    the wrong role, 404 for a proposal you may not see, 409 ``illegal_transition`` /
    ``proposal_already_decided`` / a named guard, 400 ``comment_required``."""

    class InputSerializer(serializers.Serializer[Any]):
        action = serializers.ChoiceField(choices=actions())
        comment = serializers.CharField(required=False, allow_blank=True, default="")
        expected_state = serializers.ChoiceField(
            choices=ProposalStatus.values, required=False, help_text="The state you saw; a stale one is refused."
        )
        reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=80)

    @extend_schema(request=InputSerializer, responses=WorkflowOutput)
    def post(self, request: Request, pk: int) -> Response:
        proposal = proposal_get(request.user, pk, design=False)
        proposal_transition_may(actor=_user(request), proposal=proposal)  # before the input is read
        values = validated(self.InputSerializer(data=request.data))
        proposal_transition(
            actor=_user(request),
            proposal=proposal,
            action=values["action"],
            comment=values["comment"],
            expected_state=values.get("expected_state"),
            reference=values["reference"],
        )
        return Response(workflow_output(_user(request), proposal_get(request.user, pk, design=False)))


class ProposalSmeApi(APIView):
    """CFLEX appoints the SME who vets this course."""

    class InputSerializer(serializers.Serializer[Any]):
        sme = serializers.IntegerField()
        expected_sme = serializers.IntegerField(
            allow_null=True,
            help_text="The SME you saw appointed (null: none). If another was appointed since, the answer is 409 "
            "stale_change with the current SME in error.current.",
        )

    @extend_schema(request=InputSerializer, responses=WorkflowOutput)
    def post(self, request: Request, pk: int) -> Response:
        proposal = proposal_get(request.user, pk, design=False)
        proposal_sme_may(actor=_user(request), proposal=proposal)  # before the input is read
        values = validated(self.InputSerializer(data=request.data))
        sme = User.objects.filter(pk=values["sme"]).first()
        if sme is None:
            raise ApplicationError("sme_invalid", "Choose a subject matter expert.", field="sme")
        proposal_sme_appoint(actor=_user(request), proposal=proposal, sme=sme, expected_sme_id=values["expected_sme"])
        return Response(workflow_output(_user(request), proposal_get(request.user, pk, design=False)))


class ProposalVideoStepsApi(APIView):
    """R-WF-4 (interpretation): CFLEX marks the video steps not applicable (face-to-face)."""

    class InputSerializer(serializers.Serializer[Any]):
        not_applicable = serializers.BooleanField()
        expected_not_applicable = serializers.BooleanField(
            help_text="The value you saw. If another reviewer changed it since, the answer is 409 stale_change "
            "with the current value in error.current.",
        )

    @extend_schema(request=InputSerializer, responses=WorkflowOutput)
    def post(self, request: Request, pk: int) -> Response:
        proposal = proposal_get(request.user, pk, design=False)
        proposal_sme_may(actor=_user(request), proposal=proposal)  # the same CFLEX permission, before the input
        values = validated(self.InputSerializer(data=request.data))
        proposal_video_not_applicable(
            actor=_user(request),
            proposal=proposal,
            not_applicable=values["not_applicable"],
            expected_not_applicable=values["expected_not_applicable"],
        )
        return Response(workflow_output(_user(request), proposal_get(request.user, pk, design=False)))


class QueueApi(APIView):
    """The items waiting for the caller, scoped to their PTj / committee / appointment."""

    class FilterSerializer(serializers.Serializer[Any]):
        status = serializers.ChoiceField(choices=ProposalStatus.values, required=False, default="")
        ptj = serializers.CharField(required=False, default="")
        overdue = serializers.BooleanField(required=False, default=False)
        sort = serializers.ChoiceField(choices=sorted(QUEUE_SORTS), required=False, default="age")

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("ptj", str),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("sort", str, enum=sorted(QUEUE_SORTS)),
        ],
        responses=ProposalItemSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        params = validated(self.FilterSerializer(data=request.query_params))
        plan = workflow_plan()
        proposals = proposal_queue(request.user, plan=plan, **params)
        return Response(ProposalItemSerializer(proposals, many=True, context={"plan": plan}).data)


class PipelineApi(APIView):
    """CFLEX's pipeline: every submitted proposal by state, in R-WF-1 order."""

    class ColumnSerializer(serializers.Serializer[Any]):
        status = serializers.CharField()
        name = serializers.CharField(source="label")
        proposals = ProposalItemSerializer(many=True)

    @extend_schema(responses=ColumnSerializer(many=True))
    def get(self, request: Request) -> Response:
        if not request.user.has_perm("courses.view_pipeline"):
            raise ApplicationError("pipeline_forbidden", "The pipeline is for CFLEX.", kind=ErrorKind.FORBIDDEN)
        return Response(self.ColumnSerializer(pipeline_board(), many=True, context={"plan": workflow_plan()}).data)


class AgendaItemSerializer(serializers.ModelSerializer[AgendaItem]):
    proposal_code = serializers.CharField(source="proposal.code")
    proposal_title = serializers.CharField(source="proposal.title")

    class Meta:
        model = AgendaItem
        fields = (
            "id",
            "proposal",
            "proposal_code",
            "proposal_title",
            "position",
            "decision",
            "minute_reference",
            "comment",
            "decided_at",
        )


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    class Meta:
        model = Meeting
        fields = ("id", "body", "date", "title", "minute_reference")


class MeetingDetailSerializer(serializers.ModelSerializer[Meeting]):
    items = AgendaItemSerializer(many=True)

    class Meta:
        model = Meeting
        fields = ("id", "body", "date", "title", "minute_reference", "items")


class MeetingListApi(APIView):
    """Meetings the caller keeps (secretaries) or sees (CFLEX); POST creates one (secretaries)."""

    class InputSerializer(serializers.Serializer[Any]):
        body = serializers.ChoiceField(choices=MeetingBody.choices)
        date = serializers.DateField()
        title = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(responses=MeetingSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(MeetingSerializer(meetings_visible_to(request.user)[:200], many=True).data)

    @extend_schema(request=InputSerializer, responses={201: MeetingDetailSerializer})
    def post(self, request: Request) -> Response:
        meeting_create_may(actor=_user(request))  # before the input is read
        values = validated(self.InputSerializer(data=request.data))
        meeting = meeting_create(actor=_user(request), **values)
        return Response(
            MeetingDetailSerializer(meeting_get(request.user, meeting.pk)).data, status=status.HTTP_201_CREATED
        )


class MeetingDetailApi(APIView):
    @extend_schema(responses=MeetingDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(MeetingDetailSerializer(meeting_get(request.user, pk)).data)


class AgendaAddApi(APIView):
    """CFLEX puts a proposal on the agenda (the table's ``present`` / ``senate_schedule`` rows)."""

    class InputSerializer(serializers.Serializer[Any]):
        proposal = serializers.IntegerField()

    @extend_schema(request=InputSerializer, responses={201: AgendaItemSerializer})
    def post(self, request: Request, pk: int) -> Response:
        meeting = meeting_get(request.user, pk)
        agenda_add_may(actor=_user(request))  # before the input is read
        values = validated(self.InputSerializer(data=request.data))
        proposal = proposal_get(request.user, values["proposal"], design=False)
        item = agenda_add(actor=_user(request), meeting=meeting, proposal=proposal)
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)


class AgendaDecisionApi(APIView):
    """The secretary records the decision on one agenda item: approved / returned / deferred."""

    class InputSerializer(serializers.Serializer[Any]):
        decision = serializers.ChoiceField(choices=Decision.choices)
        minute_reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=80)
        comment = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=AgendaItemSerializer)
    def post(self, request: Request, pk: int) -> Response:
        item = AgendaItem.objects.filter(pk=pk).first()
        if item is None:
            raise ApplicationError("meeting_not_found", "No such meeting.", kind=ErrorKind.NOT_FOUND)
        meeting_get(request.user, item.meeting_id)
        agenda_decide_may(actor=_user(request), item=item)  # before the input is read
        values = validated(self.InputSerializer(data=request.data))
        item = agenda_decide(actor=_user(request), item=item, **values)
        return Response(AgendaItemSerializer(item).data)


class AgendaPdfApi(APIView):
    """The agenda as a PDF (WeasyPrint)."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request: Request, pk: int) -> HttpResponse:
        from courses.views.meetings import agenda_pdf_bytes

        pdf, name = agenda_pdf_bytes(request._request, pk)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response
