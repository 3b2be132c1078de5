"""The credit-transfer API (/api/v1/transfer/...): programmes, prior credentials, the engine,
applications and their review. One view per action with nested Input/Output serializers, no
logic: the services decide and the one exception handler shapes refusals (other people's records
are 404)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from transfer import selectors, services
from transfer.choices import EXTERNAL_KINDS
from transfer.models import Application, DecisionLetter
from transfer.policies.explain import apelm_summary, reason_text, summary
from transfer.policies.workflow import ACTION_LABELS, TABLE


def _user(request: Request) -> User:
    assert isinstance(request.user, User)
    return request.user


# --- shared output shapes ---------------------------------------------------------------------------


class CourseSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    credits = serializers.IntegerField()
    is_mpu = serializers.BooleanField()
    is_core = serializers.BooleanField()


class ProgrammeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField(help_text="MQF level: certificate, diploma, bachelor, master…")
    graduating_credits = serializers.IntegerField()
    mqa_accredited = serializers.BooleanField()
    entry_requirements = serializers.CharField()
    ptj = serializers.CharField(source="ptj_code")
    coordinator = serializers.CharField(source="coordinator_name")
    deans = serializers.ListField(child=serializers.CharField(), source="dean_names")
    courses = CourseSerializer(many=True)


class HeldSerializer(serializers.Serializer[Any]):
    ref = serializers.CharField(help_text="Use this to claim it: p<id> stored, u<id> issued by this portal.")
    origin = serializers.CharField(source="source", help_text="unimas (issued by this portal) or external.")
    kind = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField()
    provider = serializers.CharField()
    credits = serializers.IntegerField()
    verification = serializers.CharField()
    verification_reason = serializers.CharField()
    status = serializers.CharField()
    suggested_course = serializers.CharField()


class OutcomeSerializer(serializers.Serializer[Any]):
    ref = serializers.CharField()
    code = serializers.CharField()
    course = serializers.CharField()
    credits = serializers.IntegerField()
    counted = serializers.IntegerField()
    reason = serializers.CharField()
    rule = serializers.CharField()
    cap = serializers.CharField()
    provisional = serializers.BooleanField()
    explanation = serializers.CharField()


class CapSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    rule = serializers.CharField()
    pct = serializers.IntegerField()
    limit = serializers.IntegerField()
    used = serializers.IntegerField()
    cut = serializers.IntegerField()
    applies = serializers.BooleanField()


class ApelMSerializer(serializers.Serializer[Any]):
    eligible = serializers.BooleanField()
    credits = serializers.IntegerField()
    mpu_credits = serializers.IntegerField()
    required_pct = serializers.IntegerField()
    share_pct = serializers.DecimalField(max_digits=5, decimal_places=1)
    age = serializers.IntegerField(allow_null=True)
    min_age = serializers.IntegerField(allow_null=True)
    age_exception = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class ResultSerializer(serializers.Serializer[Any]):
    """The engine's answer (R-CT-1..5, R-AP-1..3), with the explanation in the request's language."""

    programme = serializers.CharField()
    graduating_credits = serializers.IntegerField()
    policy_version = serializers.IntegerField()
    transferred = serializers.IntegerField()
    transferred_pct = serializers.DecimalField(max_digits=5, decimal_places=1)
    binding_cap = serializers.CharField()
    binding_rule = serializers.CharField()
    binding_cut = serializers.IntegerField()
    remaining = serializers.IntegerField(help_text="Still to be taken at UNIMAS (R-CT-4).")
    min_at_unimas = serializers.IntegerField(allow_null=True)
    apela_advised = serializers.BooleanField(help_text="R-AP-3")
    provisional = serializers.BooleanField()
    credentials = OutcomeSerializer(many=True)
    caps = CapSerializer(many=True)
    problems = serializers.ListField(child=serializers.DictField())
    explanation = serializers.ListField(child=serializers.CharField())
    apelm = ApelMSerializer()
    apelm_explanation = serializers.ListField(child=serializers.CharField())


def result_output(result: Any, apelm: Any, min_clo: int) -> dict[str, Any]:
    return dict(
        ResultSerializer(
            {
                "programme": result.programme_code,
                "graduating_credits": result.graduating_credits,
                "policy_version": result.policy_id,
                "transferred": result.transferred,
                "transferred_pct": result.transferred_pct,
                "binding_cap": result.binding_cap,
                "binding_rule": result.binding_rule,
                "binding_cut": result.binding_cut,
                "remaining": result.remaining,
                "min_at_unimas": result.min_at_unimas,
                "apela_advised": result.advice.advised,
                "provisional": result.provisional,
                "credentials": [
                    {**o.__dict__, "provisional": o.provisional, "explanation": reason_text(o, min_clo)}
                    for o in result.credentials
                ],
                "caps": result.caps,
                "problems": [p.__dict__ for p in result.problems],
                "explanation": summary(result),
                "apelm": apelm,
                "apelm_explanation": apelm_summary(apelm),
            }
        ).data
    )


# --- the transition table (R-CT-6) ---------------------------------------------------------------------


class TransitionTableApi(APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer[Any]):
        from_state = serializers.CharField(source="source", help_text="'' for the learner's submission.")
        action = serializers.CharField()
        actor = serializers.CharField()
        target = serializers.CharField(help_text="'@route': APEL.C officer when SAMCs are claimed, else coordinator.")
        comment_required = serializers.BooleanField()
        guard = serializers.CharField()
        final = serializers.BooleanField(help_text="A decision: the letter is written and sent.")

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Every step of a credit-transfer application: who takes it, from where, to where."""
        return Response(self.OutputSerializer(TABLE, many=True).data)


# --- programmes ---------------------------------------------------------------------------------------


class ProgrammeListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ProgrammeSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Programmes credit can be transferred to (never Foundation, R-CAT-5), with their courses."""
        return Response(ProgrammeSerializer(selectors.programme_choices(), many=True).data)


class ProgrammeDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ProgrammeSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(ProgrammeSerializer(selectors.programme_data(pk)).data)


# --- prior credentials ----------------------------------------------------------------------------------


class CredentialListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=HeldSerializer(many=True))
    def get(self, request: Request) -> Response:
        """My credentials: issued by this portal, and brought from outside."""
        return Response(HeldSerializer(selectors.learner_credentials(_user(request).pk), many=True).data)


class CredentialCreateApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer[Any]):
        kind = serializers.ChoiceField(choices=[k.value for k in EXTERNAL_KINDS])
        code = serializers.CharField(max_length=30)
        title = serializers.CharField(max_length=250)
        provider = serializers.CharField(max_length=200)
        credits = serializers.IntegerField(min_value=1, max_value=60)
        completed_on = serializers.DateField(required=False, allow_null=True, default=None)
        accreditation_reference = serializers.CharField(required=False, allow_blank=True, default="")
        qvc_reference = serializers.CharField(required=False, allow_blank=True, default="")
        evidence = serializers.FileField(help_text="A PDF, or an Open Badges 3.0 credential (.json).")

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        ref = serializers.CharField()
        verification = serializers.CharField()
        verification_reason = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        credential = services.prior_credential_add(actor=_user(request), **data.validated_data)
        return Response(self.OutputSerializer(credential).data, status=status.HTTP_201_CREATED)


class CredentialWithdrawApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: HeldSerializer})
    def post(self, request: Request, pk: int) -> Response:
        credential = selectors.prior_credential_get(request.user, pk)
        services.prior_credential_withdraw(actor=_user(request), credential=credential)
        return Response({"id": credential.pk, "withdrawn": True})


# --- the engine -----------------------------------------------------------------------------------------


class MappingSerializer(serializers.Serializer[Any]):
    credential = serializers.CharField(max_length=20, help_text="A credential's ref (p12, u34).")
    course = serializers.CharField(max_length=12, allow_blank=True, help_text="A course code of the programme.")


class EvaluateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        programme = serializers.IntegerField()
        mapping = MappingSerializer(many=True, required=False, default=list)

    @extend_schema(request=InputSerializer, responses=ResultSerializer)
    def post(self, request: Request) -> Response:
        """What would count: the engine over my credentials, mapped by default or as given."""
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        mapping = {m["credential"]: m["course"].strip().upper() for m in v["mapping"]}
        evaluation = selectors.learner_evaluation(_user(request).pk, v["programme"], mapping)
        return Response(result_output(evaluation.result, evaluation.apelm, evaluation.policy.apelc_min_clo_pct))


# --- applications -----------------------------------------------------------------------------------------


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

    @extend_schema(request=InputSerializer, responses={201: ApplicationDetailSerializer})
    def post(self, request: Request) -> Response:
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

        lines = LineMapping(many=True)
        comment = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=ApplicationDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """The coordinator changes the course each claim maps to, all at once (R-NM-2)."""
        application = selectors.application_get(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.application_mapping_set(
            actor=_user(request),
            application=application,
            mapping={m["line"]: m["course"] for m in v["lines"]},
            comment=v["comment"],
        )
        return Response(application_output(_user(request), selectors.application_get(request.user, pk)))


class LineEvidenceApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        accept = serializers.BooleanField()
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=ApplicationDetailSerializer)
    def post(self, request: Request, pk: int, line: int) -> Response:
        application = selectors.application_get(request.user, pk)
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

    @extend_schema(request=InputSerializer, responses=ApplicationDetailSerializer)
    def post(self, request: Request, pk: int, line: int) -> Response:
        application = selectors.application_get(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.application_clo_assess(
            actor=_user(request),
            application=application,
            line_id=line,
            attainment=v["clo_attainment"],
            comment=v["comment"],
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


class AgeExceptionCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        learner = serializers.IntegerField()
        programme = serializers.IntegerField()
        reason = serializers.CharField()

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        learner = serializers.IntegerField(source="learner_id")
        programme = serializers.IntegerField(source="programme_id")
        reason = serializers.CharField()
        granted_at = serializers.DateTimeField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request) -> Response:
        """R-AP-4: the university's exception to the APEL.M minimum age, with its reason."""
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        exception = services.age_exception_grant(
            actor=_user(request), learner_id=v["learner"], programme_id=v["programme"], reason=v["reason"]
        )
        return Response(self.OutputSerializer(exception).data, status=status.HTTP_201_CREATED)


class AgeExceptionRevokeApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        reason = serializers.CharField()

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        learner = serializers.IntegerField(source="learner_id")
        programme = serializers.IntegerField(source="programme_id")
        reason = serializers.CharField()
        granted_at = serializers.DateTimeField()
        revoked_at = serializers.DateTimeField()
        revoke_reason = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer})
    def post(self, request: Request, pk: int) -> Response:
        """R-AP-4: withdraw an age exception, with its reason; the row is kept."""
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        exception = services.age_exception_revoke(
            actor=_user(request), exception_id=pk, reason=data.validated_data["reason"]
        )
        return Response(self.OutputSerializer(exception).data)
