"""API: applications, their review queue, lines, letters."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.errors import UNCHECKED
from core.schema import INPUT_NAMES_NO_RECORD
from transfer import selectors, services
from transfer.apis.common import ResultSerializer, _user, result_output
from transfer.apis.programmes import MappingSerializer
from transfer.choices import Verification
from transfer.models import Application, DecisionLetter
from transfer.policies.workflow import ACTION_LABELS, TABLE, Edit


class LineSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    credential = serializers.CharField(source="credential.ref")
    code = serializers.CharField(source="credential.code")
    kind = serializers.CharField(source="credential.kind")
    provider = serializers.CharField(source="credential.provider")
    credits = serializers.IntegerField(source="credential.credits")
    course = serializers.CharField(source="course_code")
    verification = serializers.CharField()
    clo_attainment = serializers.ListField(child=serializers.CharField(), allow_null=True)
    clo_source = serializers.CharField()
    counted_credits = serializers.IntegerField()
    reason = serializers.CharField()


class ApplicationSummarySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    programme = serializers.CharField(source="programme.code")
    status = serializers.CharField()
    credits_transferred = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()


class ApplicationDetailSerializer(ApplicationSummarySerializer):
    learner = serializers.CharField(source="learner.full_name")
    binding_cap = serializers.CharField()
    binding_cut = serializers.IntegerField()
    policy_version = serializers.IntegerField(source="policy_version_id")
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_comment = serializers.CharField()
    lines = LineSerializer(many=True)
    actions = serializers.ListField(child=serializers.DictField(), help_text="What the caller may do now.")
    result = ResultSerializer(allow_null=True)
    letter = serializers.BooleanField()


def application_output(user: User, application: Application) -> dict[str, Any]:
    stored = selectors.stored_result(application.result)
    rows = [
        r for r in TABLE if r.source == application.status and user.has_perm(f"transfer.act_as_{r.actor}", application)
    ]
    return dict(
        ApplicationDetailSerializer(
            {
                **{f: getattr(application, f) for f in ("id", "status", "credits_transferred", "submitted_at")},
                "programme": application.programme,
                "learner": application.learner,
                "binding_cap": application.binding_cap,
                "binding_cut": application.binding_cut,
                "policy_version_id": application.policy_version_id,
                "decided_at": application.decided_at,
                "decision_comment": application.decision_comment,
                "lines": list(application.lines.all()),
                "actions": [
                    {"action": r.action, "label": str(ACTION_LABELS[r.action]), "comment_required": r.comment_required}
                    for r in rows
                ],
                "result": result_output(*stored, application.policy_version.apelc_min_clo_pct) if stored else None,
                "letter": DecisionLetter.objects.filter(application=application).exists(),
            }
        ).data
    )


class ApplicationListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ApplicationSummarySerializer(many=True))
    def get(self, request: Request) -> Response:
        """Applications I may see: mine, and those I review."""
        applications = (
            selectors.applications_visible_to(request.user).select_related("programme").order_by("-submitted_at")[:200]
        )
        return Response(ApplicationSummarySerializer(applications, many=True).data)


class QueueApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ApplicationSummarySerializer(many=True))
    def get(self, request: Request) -> Response:
        """Applications waiting for me to act."""
        return Response(ApplicationSummarySerializer(selectors.application_queue(request.user), many=True).data)


class ApplicationCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        programme = serializers.IntegerField()
        claims = MappingSerializer(many=True)
        comment = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses={201: ApplicationDetailSerializer, 404: INPUT_NAMES_NO_RECORD})
    def post(self, request: Request) -> Response:
        services.application_may_submit(actor=_user(request))  # before the input is read
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        application = services.application_submit(
            actor=_user(request),
            programme_id=v["programme"],
            claims=[services.Claim(c["credential"], c["course"]) for c in v["claims"]],
            comment=v["comment"],
        )
        fresh = selectors.application_get(request.user, application.pk)
        return Response(application_output(_user(request), fresh), status=status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ApplicationDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(application_output(_user(request), selectors.application_get(request.user, pk)))


class ApplicationTransitionApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        action = serializers.CharField(help_text="support, not_support, approve, reject, apelc_complete, withdraw")
        comment = serializers.CharField(required=False, allow_blank=True, default="")
        expected_state = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=ApplicationDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        application = selectors.application_get(request.user, pk)
        services.application_act_may(actor=_user(request), application=application)  # before the input is read
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.application_transition(
            actor=_user(request),
            application=application,
            action=v["action"],
            comment=v["comment"],
            expected_state=v["expected_state"] or None,
        )
        return Response(application_output(_user(request), selectors.application_get(request.user, pk)))


class ApplicationMappingApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        class LineMapping(serializers.Serializer[Any]):
            line = serializers.IntegerField()
            course = serializers.CharField(max_length=12, allow_blank=True)
            expected_course = serializers.CharField(
                max_length=12,
                allow_blank=True,
                help_text="The course this claim mapped to when you read it (blank: none). If anyone changed it "
                "since, the answer is 409 stale_change with the current mapping in error.current.",
            )

        lines = LineMapping(many=True)
        comment = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=ApplicationDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """The coordinator changes the course each claim maps to, all at once (R-NM-2)."""
        application = selectors.application_get(request.user, pk)
        services.application_edit_may(actor=_user(request), application=application, edit=Edit.MAP)  # before the input
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.application_mapping_set(
            actor=_user(request),
            application=application,
            mapping={m["line"]: m["course"] for m in v["lines"]},
            comment=v["comment"],
            expected={m["line"]: m["expected_course"] for m in v["lines"]},
        )
        return Response(application_output(_user(request), selectors.application_get(request.user, pk)))


class LineEvidenceApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        accept = serializers.BooleanField()
        reason = serializers.CharField(required=False, allow_blank=True, default="")
        expected_verification = serializers.ChoiceField(
            choices=Verification.choices,
            required=False,
            help_text="The evidence's state when you read it. If another reviewer decided it since, the answer "
            "is 409 stale_change with the current state in error.current.",
        )

    @extend_schema(request=InputSerializer, responses=ApplicationDetailSerializer)
    def post(self, request: Request, pk: int, line: int) -> Response:
        application = selectors.application_get(request.user, pk)
        services.application_edit_may(actor=_user(request), application=application, edit=Edit.EVIDENCE)  # first
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.application_evidence_decide(
            actor=_user(request), application=application, line_id=line, **data.validated_data
        )
        return Response(application_output(_user(request), selectors.application_get(request.user, pk)))


class LineAssessmentApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        clo_attainment = serializers.ListField(
            child=serializers.DecimalField(max_digits=5, decimal_places=2), help_text="% per CLO, in order (R-AP-1)."
        )
        comment = serializers.CharField(required=False, allow_blank=True, default="")
        expected_clo_attainment = serializers.ListField(
            child=serializers.DecimalField(max_digits=5, decimal_places=2),
            required=False,
            allow_empty=True,
            help_text="The attainment you read (empty: none recorded yet). If anyone recorded other values since, "
            "the answer is 409 stale_change with the current values in error.current.",
        )

    @extend_schema(request=InputSerializer, responses=ApplicationDetailSerializer)
    def post(self, request: Request, pk: int, line: int) -> Response:
        application = selectors.application_get(request.user, pk)
        services.application_edit_may(actor=_user(request), application=application, edit=Edit.ASSESS)  # first
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.application_clo_assess(
            actor=_user(request),
            application=application,
            line_id=line,
            attainment=v["clo_attainment"],
            comment=v["comment"],
            expected_attainment=v.get("expected_clo_attainment", UNCHECKED),
        )
        return Response(application_output(_user(request), selectors.application_get(request.user, pk)))


class LetterApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request: Request, pk: int) -> FileResponse:
        letter = selectors.decision_letter_get(request.user, pk)
        return FileResponse(
            letter.file.open("rb"), content_type="application/pdf", filename=f"credit-transfer-{pk}.pdf"
        )
