"""The credentials API (/api/v1/credentials/...): one view per action, nested serializers, no
logic. Verification is public and throttled; status changes are CFLEX's."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from accounts.models import User
from core.errors import ApplicationError, not_found
from core.parsers import BoundedJSONParser
from core.schema import RATE_LIMITED, ErrorEnvelope
from credentials import hits, limits, selectors, services
from credentials.models import VerificationHit
from credentials.policies import VERDICTS
from credentials.services.pdf_check import PDF_MAX_BYTES
from credentials.services.verification import credential_by_verification_id


def _user(request: Request) -> User:
    assert isinstance(request.user, User)
    return request.user


class UploadThrottle(BaseThrottle):
    """A full check of a posted document: per address and a global ceiling."""

    def allow_request(self, request: Any, view: Any) -> bool:
        return not limits.upload_limited(request)

    def wait(self) -> float:
        return 60.0


class VerdictSerializer(serializers.Serializer[Any]):
    verdict = serializers.ChoiceField(choices=list(VERDICTS))
    reason = serializers.CharField()
    issuer = serializers.CharField()
    issuer_is_portal = serializers.BooleanField(
        help_text="True only when the proof is by one of this portal's own published keys under its did:web."
    )
    verification_id = serializers.CharField(allow_null=True)
    achievement_name = serializers.CharField()
    achievement_code = serializers.CharField()
    credits = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    subject_name = serializers.CharField()
    valid_from = serializers.CharField()
    embedded_count = serializers.IntegerField(
        help_text="A CLR 2.0 transcript: how many credentials it embeds (0 otherwise)."
    )
    slt_hours = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)


class PdfParser(BaseParser):
    """A certificate or MMS PDF posted as the body (``Content-Type: application/pdf``), read up
    to its bound and handed on as bytes."""

    media_type = "application/pdf"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read(PDF_MAX_BYTES + 1) if stream is not None else b""
        if len(raw) > PDF_MAX_BYTES:
            raise ApplicationError(
                "pdf_too_large", _("The PDF is larger than 4 MB; a certificate is under 100 KB."), field="body"
            )
        return bytes(raw)


class CredentialVerifyApi(APIView):
    """Anyone posts a credential document (JSON), or a certificate / MMS PDF with the signed
    credential inside (application/pdf); the answer is its verdict and why."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes = [UploadThrottle]
    parser_classes = [BoundedJSONParser, PdfParser]

    @extend_schema(request={"application/json": dict[str, Any], "application/pdf": bytes}, responses=VerdictSerializer)
    def post(self, request: Request) -> Response:
        if isinstance(request.data, bytes):
            try:
                result = services.credential_verify_pdf(request.data)
            except services.PdfInputError as error:
                raise ApplicationError(error.code, error.message, field="body") from None
            services.verification_count(VerificationHit.Channel.UPLOAD)
            return Response(VerdictSerializer(result).data)
        if not isinstance(request.data, dict) or not request.data:
            raise ApplicationError("not_a_credential", _("Post the credential JSON object as the body."), field="body")
        services.verification_count(VerificationHit.Channel.UPLOAD)
        return Response(VerdictSerializer(services.credential_verify_document(dict(request.data))).data)


class CredentialStatusApi(APIView):
    """The public verdict of one of the portal's credentials, by verification id."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes: list[type] = []  # limited per credential and globally, with its pages (credentials.hits)

    @extend_schema(responses={200: VerdictSerializer, 429: RATE_LIMITED})
    def get(self, request: Request, verification_id: str) -> Response:
        month = timezone.localdate().replace(day=1)
        if hits.record(credential_key=str(verification_id), channel=VerificationHit.Channel.JSON, month=month):
            raise Throttled(wait=60)
        credential = credential_by_verification_id(verification_id)
        if credential is None or credential.document is None:
            raise not_found("credential", _("No such credential."))
        return Response(VerdictSerializer(services.credential_verdict(credential)).data)


class MyCredentialsApi(APIView):
    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer[Any]):
        serial = serializers.CharField()
        verification_id = serializers.UUIDField()
        course_code = serializers.CharField()
        course_title = serializers.CharField()
        credits = serializers.DecimalField(max_digits=4, decimal_places=1)
        grade = serializers.CharField()
        issued_at = serializers.DateTimeField()
        status = serializers.CharField()
        verification_url = serializers.SerializerMethodField()

        def get_verification_url(self, obj: Any) -> str:
            return services.verification_url(str(obj.verification_id))

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(selectors.credentials_of(_user(request)), many=True).data)


class CredentialStatusChangeApi(APIView):
    """CFLEX: revoke, suspend or reinstate with a reason (R-CR-5)."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        action = serializers.ChoiceField(choices=["revoke", "suspend", "reinstate"])
        reason = serializers.CharField(max_length=300)

    class OutputSerializer(serializers.Serializer[Any]):
        serial = serializers.CharField()
        status = serializers.CharField()
        status_reason = serializers.CharField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, verification_id: str) -> Response:
        actor = _user(request)
        credential = credential_by_verification_id(verification_id)
        if credential is None or not actor.has_perm("credentials.manage"):
            raise not_found("credential", _("No such credential."))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changed = services.credential_status_change(actor=actor, credential_id=credential.pk, **data.validated_data)
        return Response(self.OutputSerializer(changed).data)


class WalletOfferApi(APIView):
    """The learner opens a one-time wallet exchange for one of their own valid credentials
    (issue 16): the deep link and exchange URL a wallet takes. Others' credentials are 404."""

    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer[Any]):
        exchange_url = serializers.URLField()
        deep_link = serializers.CharField()
        challenge = serializers.CharField()
        expires_at = serializers.DateTimeField()

    @extend_schema(request=None, responses={201: OutputSerializer})
    def post(self, request: Request, verification_id: str) -> Response:
        offer = services.wallet_offer_create(actor=_user(request), verification_id=str(verification_id))
        return Response(self.OutputSerializer(offer).data, status=201)


class WalletExchangeApi(APIView):
    """The VC-API exchange a wallet POSTs to (issue 16): an empty body gets the DIDAuth
    presentation request; the holder's signed presentation gets the credential bound to its DID.
    The token is the only credential: unknown is 404, used or expired 410."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    # No per-address limit: an unknown token costs one indexed read, and a live exchange checks at
    # most WALLET_EXCHANGE_MAX_FAILURES + 1 signatures before it closes (decision 0160).
    throttle_classes: list[type] = []

    @extend_schema(
        request=dict[str, Any],
        responses={
            200: OpenApiResponse(
                dict[str, Any], description="The presentation request, or the credential bound to the holder's DID."
            ),
            410: OpenApiResponse(ErrorEnvelope, description="The exchange has expired or was used up."),
        },
    )
    def post(self, request: Request, token: str) -> Response:
        if len(token) > 100:
            raise not_found("exchange", _("No such exchange."))
        return Response(services.wallet_exchange_step(token=token, body=request.data))


class BatchProgressApi(APIView):
    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        course_code = serializers.CharField()
        total = serializers.IntegerField()
        done = serializers.IntegerField()
        failed = serializers.IntegerField()
        waiting = serializers.IntegerField()
        finished = serializers.BooleanField()
        rendered = serializers.IntegerField()
        all_rendered = serializers.BooleanField()

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        progress = selectors.batch_progress(pk) if _user(request).has_perm("credentials.view_batches") else None
        if progress is None:
            raise not_found("batch", _("No such issuance batch."))
        return Response(self.OutputSerializer(progress).data)
