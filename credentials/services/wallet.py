"""Wallet delivery (issue 16): the VC-API exchange with DIDAuth that openedx/credentials and the
DCC Learner Credential Wallet use (docs/decisions/0160).

1. The learner presses "Add to wallet": ``wallet_offer_create`` opens an exchange for one of
   their valid credentials and hands back a one-time URL (a random token; only its sha256 is
   kept), the challenge and the deep link the wallet opens.
2. The wallet POSTs to the exchange: with no presentation it gets a
   ``VerifiablePresentationRequest`` (DIDAuthentication, the challenge, the domain).
3. It POSTs a presentation signed by the holder's did:key (proofPurpose authentication, the
   challenge, the domain; eddsa-rdfc-2022, or Ed25519Signature2020 as the DCC wallet signs):
   ``wallet_exchange_step`` checks all of it and issues a copy of the
   credential bound to that DID, signed with the portal's key, with the original's status entry.
   The exchange is then used up; one expired, used up or unknown answers 410 / 410 / 404.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from core.errors import ApplicationError, ErrorKind, not_found
from credentials import conf, ld
from credentials.data import WalletOffer
from credentials.models import BoundCredential, Credential, CredentialStatus, WalletExchange
from credentials.policies import (
    AUTHENTICATION,
    bound_copy_document,
    issued_presentation,
    presentation_request,
    wallet_deep_link,
)

TOKEN_BYTES = 32  # 256 random bits: the exchange URL cannot be guessed or enumerated


def exchange_minutes() -> int:
    return int(getattr(settings, "WALLET_EXCHANGE_MINUTES", 15))


def max_failures() -> int:
    return int(getattr(settings, "WALLET_EXCHANGE_MAX_FAILURES", 5))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def exchange_url(token: str) -> str:
    return conf.base_url() + reverse("api-wallet-exchange", args=[token])


def exchange_domain() -> str:
    """The ``domain`` a holder's proof must name: the portal's host (and port)."""
    return urlsplit(conf.base_url()).netloc


def bound_copy_url(copy_id: uuid.UUID | str) -> str:
    return f"urn:uuid:{copy_id}"


# --- 1. The offer ------------------------------------------------------------------------------------
def wallet_offer_create(*, actor: User, verification_id: str, now: datetime | None = None) -> WalletOffer:
    """Open a one-time exchange for one of the actor's own valid credentials. Anyone else's
    credential, or an unknown one, is ``credential_not_found`` (404)."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        credential = (
            Credential.objects.select_for_update()
            .filter(verification_id=verification_id, learner_id=actor.pk, document__isnull=False)
            .first()
        )
        if credential is None:
            raise not_found("credential", _("No such credential."))
        if credential.status != CredentialStatus.ACTIVE:
            raise ApplicationError(
                "credential_not_active",
                _("Only a valid credential can be added to a wallet."),
                field="credential",
                kind=ErrorKind.CONFLICT,
            )
        token = secrets.token_urlsafe(TOKEN_BYTES)
        challenge = str(uuid.uuid4())
        exchange = WalletExchange.objects.create(
            token_hash=token_hash(token),
            credential=credential,
            learner_id=actor.pk,
            challenge=challenge,
            created_at=now,
            expires_at=now + timedelta(minutes=exchange_minutes()),
        )
        audit_record(
            actor=actor,
            action="credential.wallet_offer",
            obj=credential,
            comment=f"exchange {exchange.pk}, until {exchange.expires_at:%Y-%m-%d %H:%M} UTC",
        )
    url = exchange_url(token)
    return WalletOffer(
        exchange_url=url,
        deep_link=wallet_deep_link(issuer=conf.base_url(), exchange_url=url, challenge=challenge),
        challenge=challenge,
        expires_at=exchange.expires_at,
    )


# --- 2 and 3. The exchange ------------------------------------------------------------------------------
def wallet_exchange_step(*, token: str, body: Any, now: datetime | None = None) -> dict[str, Any]:
    """One POST of the wallet to the exchange. Without a presentation: the presentation request.
    With one: the bound credential, once. Refusals are ApplicationErrors (4xx); a refused
    presentation counts, and WALLET_EXCHANGE_MAX_FAILURES of them close the exchange."""
    now = now or timezone.now()
    refusal: ApplicationError | None = None
    with transaction.atomic(durable=True):
        exchange = (
            WalletExchange.objects.select_for_update()
            .select_related("credential", "learner")
            .filter(token_hash=token_hash(token))
            .first()
        )
        if exchange is None:
            raise not_found("exchange", _("No such exchange."))
        if exchange.used_at is not None:
            raise ApplicationError(
                "exchange_used",
                _("This link has already been used. Press “Add to wallet” again for a new one."),
                kind=ErrorKind.GONE,
            )
        if now >= exchange.expires_at:
            raise ApplicationError(
                "exchange_expired",
                _("This link has expired. Press “Add to wallet” again for a new one."),
                kind=ErrorKind.GONE,
            )
        try:
            presentation = _presentation(body)
            if presentation is None:
                return {
                    "verifiablePresentationRequest": presentation_request(
                        challenge=exchange.challenge, domain=exchange_domain(), exchange_url=exchange_url(token)
                    )
                }
            holder = didauth_holder(presentation, challenge=exchange.challenge, domain=exchange_domain())
        except ApplicationError as error:
            refusal = error
            exchange.failed_attempts += 1
            if exchange.failed_attempts >= max_failures():
                exchange.used_at = now  # closed: a new "Add to wallet" opens another
            exchange.save(update_fields=["failed_attempts", "used_at"])
        else:
            bound = _bind(exchange, holder=holder, now=now)
    if refusal is not None:
        raise refusal
    return issued_presentation(bound.document)


def _presentation(body: Any) -> dict[str, Any] | None:
    """The holder's presentation in the body (VC-API wraps it in ``verifiablePresentation``; the
    DCC wallet's direct flow posts it bare); None for an empty or presentation-less body."""
    if body in (None, "", b""):
        return None
    if not isinstance(body, dict):
        raise ApplicationError("not_a_presentation", _("Post a JSON object."), field="body")
    if "verifiablePresentation" in body:
        wrapped = body["verifiablePresentation"]
        if not isinstance(wrapped, dict):
            raise ApplicationError(
                "not_a_presentation",
                _("verifiablePresentation must be a JSON object."),
                field="verifiablePresentation",
            )
        return wrapped
    if not body:
        return None
    return body


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def didauth_holder(presentation: dict[str, Any], *, challenge: str, domain: str) -> str:
    """The holder's DID, once its presentation proves control of it: a VerifiablePresentation
    whose eddsa-rdfc-2022 proof is for authentication, names this exchange's challenge and the
    portal's domain, and verifies under a key of the holder's own did:key."""
    types = presentation.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    if "VerifiablePresentation" not in types:
        raise ApplicationError(
            "not_a_presentation",
            _("This is not a verifiable presentation (no VerifiablePresentation type)."),
            field="type",
        )
    holder = _text(presentation.get("holder"))
    if not holder.startswith("did:key:") or ld.resolve_did_key(holder) is None:
        raise ApplicationError(
            "holder_not_supported", _("The holder must be an Ed25519 did:key (did:key:z6Mk…)."), field="holder"
        )
    proof = presentation.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ApplicationError("no_proof", _("The presentation has no proof."), field="proof")
    if _text(proof.get("proofPurpose")) != AUTHENTICATION:
        raise ApplicationError(
            "wrong_proof_purpose", _("The proof's purpose must be authentication."), field="proof.proofPurpose"
        )
    if not hmac.compare_digest(_text(proof.get("challenge")).encode(), challenge.encode()):
        raise ApplicationError(
            "challenge_mismatch", _("The proof does not sign this exchange's challenge."), field="proof.challenge"
        )
    if _text(proof.get("domain")) != domain:
        raise ApplicationError(
            "domain_mismatch",
            _("The proof is for another domain than %(domain)s.") % {"domain": domain},
            field="proof.domain",
        )
    method = _text(proof.get("verificationMethod"))
    if method.partition("#")[0] != holder:
        raise ApplicationError(
            "key_not_holders", _("The proof is signed by a key of another DID than the holder."), field="proof"
        )

    def holder_key(vm: str) -> Ed25519PublicKey | None:
        return ld.resolve_did_key(vm) if vm.partition("#")[0] == holder else None

    check = ld.verify(
        presentation,
        resolve=holder_key,
        proof_purpose=AUTHENTICATION,
        loader=ld.presentation_loader(),
        accept_ed25519_2020=True,
    )
    if not check.ok:
        raise ApplicationError(
            "signature_invalid",
            _("The presentation's signature does not verify: %(reason)s") % {"reason": check.reason},
            field="proof",
        )
    return holder


def _bind(exchange: WalletExchange, *, holder: str, now: datetime) -> BoundCredential:
    """Issue, record and audit the copy bound to ``holder``, and use the exchange up."""
    credential = Credential.objects.select_for_update().get(pk=exchange.credential_id)
    if credential.status != CredentialStatus.ACTIVE or credential.document is None:
        raise ApplicationError(
            "credential_not_active",
            _("This credential is no longer valid, so it cannot be added to a wallet."),
            field="credential",
            kind=ErrorKind.CONFLICT,
        )
    copy_id = uuid.uuid4()
    key = ld.current_signing_key()
    unsigned = bound_copy_document(credential.document, holder=holder, copy_url=bound_copy_url(copy_id))
    bound = BoundCredential.objects.create(
        credential=credential,
        exchange=exchange,
        copy_id=copy_id,
        holder_did=holder,
        document=ld.sign(unsigned, key=key, created=now),
        signed_with=ld.verification_method_id(key),
        issued_at=now,
    )
    exchange.used_at = now
    exchange.save(update_fields=["used_at"])
    audit_record(
        actor=exchange.learner,
        action="credential.wallet_bind",
        obj=credential,
        comment=f"copy {bound_copy_url(copy_id)} bound to {holder}",
        data={"exchange": exchange.pk, "copy": str(copy_id), "holder": holder},
    )
    return bound


def bound_credential_original(copy_url: str) -> int | None:
    """The id of the credential a bound copy (``urn:uuid:…``) was made from, if the portal made it."""
    text = copy_url.removeprefix("urn:uuid:") if copy_url.startswith("urn:uuid:") else ""
    try:
        copy_id = uuid.UUID(text)
    except ValueError:
        return None
    return BoundCredential.objects.filter(copy_id=copy_id).values_list("credential_id", flat=True).first()
