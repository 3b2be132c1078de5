"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C vc-di-eddsa, section 3.3).

Signing: the proof configuration (type, cryptosuite, created, verificationMethod,
proofPurpose, and the document's ``@context``) and the unsecured document are each
canonicalised with RDFC-1.0 (credentials/ld/canon.py, safe mode); the data signed with Ed25519
is sha256(canonical proof configuration) followed by sha256(canonical document); the proof
carries the signature as base58-btc multibase in ``proofValue``. Verification redoes the same
and never raises for a bad document: it answers with a :class:`ProofCheck`.

The proof configuration is the same for every credential a key signs apart from ``created``, so
its canonical form is computed once per configuration and the time is put in (decision 0140);
anything not shaped exactly like that is canonicalised in full.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils import timezone

from credentials.ld.canon import canonicalize
from credentials.ld.contexts import CanonicalisationError, DocumentLoader, default_loader
from credentials.ld.keys import SigningKey, verification_method_id
from credentials.ld.multibase import MultibaseError, from_multibase_base58btc, multibase_base58btc

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"
# The older Ed25519 suite many wallets still sign DIDAuth presentations with: the same hashing
# (canonical proof options, then canonical document, sha256 each) without a cryptosuite name.
ED25519_2020 = "Ed25519Signature2020"

Resolver = Callable[[str], Ed25519PublicKey | None]

_PROOF_CONFIG_KEYS = frozenset(["type", "cryptosuite", "created", "verificationMethod", "proofPurpose", "@context"])
# An XML Schema dateTimeStamp in UTC with nothing N-Quads would escape (xsd_datetime's shape,
# optionally with fractions of a second).
_CREATED = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z")
_TEMPLATE_CREATED = "2000-01-01T00:00:00Z"


@dataclass(frozen=True)
class ProofCheck:
    """The outcome of verifying a document's proof; ``reason`` is plain English."""

    ok: bool
    reason: str
    verification_method: str = ""


def xsd_datetime(moment: datetime) -> str:
    """A timezone-aware datetime as an XML Schema dateTimeStamp in UTC, to the second."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a naive datetime has no time zone: pass an aware one (django.utils.timezone.now())")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical_proof_configuration(proof_config: dict[str, Any], *, loader: DocumentLoader | None = None) -> str:
    """The canonical N-Quads of a proof configuration: from the kept canonical form of the same
    configuration with only ``created`` put in, when it is shaped like the portal's own (the
    five proof options, all text, and a plain UTC time); otherwise canonicalised in full."""
    loader = loader or default_loader()
    created = proof_config.get("created")
    if (
        set(proof_config) != _PROOF_CONFIG_KEYS
        or not isinstance(created, str)
        or not _CREATED.fullmatch(created)
        or not all(isinstance(value, str) for key, value in proof_config.items() if key != "@context")
    ):
        return canonicalize(proof_config, loader=loader)
    try:
        key = json.dumps({k: v for k, v in proof_config.items() if k != "created"}, sort_keys=True)
    except (TypeError, ValueError):
        return canonicalize(proof_config, loader=loader)
    template = loader.proof_configurations.get(key)
    if template is None:
        template = canonicalize({**proof_config, "created": _TEMPLATE_CREATED}, loader=loader)
        # The time is one literal of the one blank node, so it decides neither that node's label
        # nor the order of the lines (the predicate before it differs on every line). Anything
        # else (a second blank node, the time appearing twice) is canonicalised in full each time.
        if template.count(_TEMPLATE_CREATED) != 1 or "_:c14n1" in template:
            template = ""
        loader.proof_configurations.put(key, template)
    if not template:
        return canonicalize(proof_config, loader=loader)
    return str(template).replace(_TEMPLATE_CREATED, created)


def _hash_data(unsecured: dict[str, Any], proof_config: dict[str, Any], loader: DocumentLoader | None) -> bytes:
    proof_hash = hashlib.sha256(canonical_proof_configuration(proof_config, loader=loader).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonicalize(unsecured, loader=loader).encode("utf-8")).digest()
    return proof_hash + document_hash


def sign(
    document: dict[str, Any],
    *,
    key: SigningKey,
    created: datetime | None = None,
    verification_method: str | None = None,
    loader: DocumentLoader | None = None,
    proof_purpose: str = PROOF_PURPOSE,
    challenge: str | None = None,
    domain: str | None = None,
) -> dict[str, Any]:
    """A copy of ``document`` with an eddsa-rdfc-2022 ``proof``. ``verification_method``
    defaults to the portal's did:web id for ``key``. A holder proving control of a DID signs a
    presentation with ``proof_purpose="authentication"`` and the verifier's ``challenge`` and
    ``domain`` (issue 16). Raises CanonicalisationError for a document that cannot be signed
    safely, ValueError if it already has a proof."""
    if not isinstance(document, dict):
        raise CanonicalisationError("a JSON-LD document must be a JSON object")
    if "proof" in document:
        raise ValueError("the document already has a proof; sign the unsecured document")
    if "@context" not in document:
        raise CanonicalisationError("the document has no @context")
    proof_config: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": xsd_datetime(created or timezone.now()),
        "verificationMethod": verification_method or verification_method_id(key),
        "proofPurpose": proof_purpose,
        **({"challenge": challenge} if challenge is not None else {}),
        **({"domain": domain} if domain is not None else {}),
        "@context": document["@context"],
    }
    signature = key.sign(_hash_data(document, proof_config, loader))
    proof = {k: v for k, v in proof_config.items() if k != "@context"}
    proof["proofValue"] = multibase_base58btc(signature)
    return {**document, "proof": proof}


def verify(
    document: Any,
    *,
    resolve: Resolver,
    loader: DocumentLoader | None = None,
    proof_purpose: str = PROOF_PURPOSE,
    accept_ed25519_2020: bool = False,
) -> ProofCheck:
    """Check the eddsa-rdfc-2022 proof of ``document`` with the key ``resolve`` gives for its
    verification method, made for ``proof_purpose`` (a credential's assertion, or a holder's
    authentication). Never raises for a bad document; the caller checks a challenge and domain."""
    if not isinstance(document, dict):
        return ProofCheck(False, "the document is not a JSON object")
    proof = document.get("proof")
    if proof is None:
        return ProofCheck(False, "no proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            return ProofCheck(False, "more than one proof (proof sets are not supported)")
        proof = proof[0]
    if not isinstance(proof, dict):
        return ProofCheck(False, "malformed proof")
    method = proof.get("verificationMethod")
    method_text = method if isinstance(method, str) else ""
    legacy = accept_ed25519_2020 and proof.get("type") == ED25519_2020  # a holder's presentation only
    if proof.get("type") != PROOF_TYPE and not legacy:
        return ProofCheck(False, f"unsupported proof type {proof.get('type')}", method_text)
    if proof.get("cryptosuite") != CRYPTOSUITE and not legacy:
        return ProofCheck(False, f"unsupported cryptosuite {proof.get('cryptosuite')}", method_text)
    if proof.get("proofPurpose") != proof_purpose:
        return ProofCheck(False, f"unsupported proof purpose {proof.get('proofPurpose')}", method_text)
    if not method_text:
        return ProofCheck(False, "malformed verificationMethod")
    try:
        signature = from_multibase_base58btc(proof.get("proofValue"))
    except MultibaseError:
        return ProofCheck(False, "malformed proofValue", method_text)
    if len(signature) != 64:
        return ProofCheck(False, "malformed proofValue", method_text)
    try:
        public_key = resolve(method_text)
    except ValueError:
        public_key = None
    if public_key is None:
        return ProofCheck(False, f"unknown verification method {method_text}", method_text)
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof_options = {k: v for k, v in proof.items() if k != "proofValue"}
    if "@context" not in unsecured:
        return ProofCheck(False, "canonicalisation failed: the document has no @context", method_text)
    proof_options["@context"] = unsecured["@context"]
    try:
        hash_data = _hash_data(unsecured, proof_options, loader)
    except CanonicalisationError as error:
        return ProofCheck(False, f"canonicalisation failed: {error}", method_text)
    try:
        public_key.verify(signature, hash_data)
    except InvalidSignature:
        return ProofCheck(
            False, "signature does not match the content (the credential was changed after signing)", method_text
        )
    return ProofCheck(True, "valid signature", method_text)
