"""An independent check of a credential, done the way an outside verifier does it: from the
documents the portal publishes over HTTP (the DID document, the status lists, its own context),
with plain pyld (URDNA2015) and cryptography. Nothing from ``credentials.services`` or
``credentials.ld`` is used, so a fault shared by the portal's signer and its own verifier shows
up here.

``independent_verdict(document, get)``: ``get(path)`` answers a GET on the portal (a Django test
client's ``get``, or an HTTP client's). Answers "valid", "revoked", "suspended",
"not_yet_valid", "expired" or "invalid: <why>"."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

CONTEXTS = Path(__file__).resolve().parents[2] / "credentials" / "contexts"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

Get = Callable[[str], Any]
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"


def _b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + _B58.index(char)
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + raw


def _body(response: Any) -> Any:
    status = getattr(response, "status_code", 200)
    if status != 200:
        raise LookupError(f"HTTP {status}")
    return json.loads(response.content)


def _loader(get: Get) -> Callable[..., dict[str, Any]]:
    pins = json.loads((CONTEXTS / "sources.json").read_text())
    sources = pins["contexts"] + pins["presentation_contexts"]
    pinned = {entry["url"]: CONTEXTS / "cache" / entry["file"] for entry in sources}
    # 1EdTech's CLR 2.0 context, as published (the repo keeps it: no registry ships it).
    pinned[CLR_CONTEXT] = CONTEXTS / "vendored" / "clr-v2p0-2.0.1.json"

    def load(url: str, options: Any = None) -> dict[str, Any]:
        # The pinned third-party contexts from their cache; the portal's own from the portal.
        document = json.loads(pinned[url].read_text()) if url in pinned else _body(get(urlsplit(url).path))
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load


def _canonical(document: dict[str, Any], get: Get) -> bytes:
    text = jsonld.normalize(
        document, {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": _loader(get)}
    )
    return str(text).encode()


def _did_web_path(did: str) -> str:
    parts = [unquote(p) for p in did.removeprefix("did:web:").split(":")]
    return "/" + "/".join(parts[1:]) + "/did.json" if len(parts) > 1 else "/.well-known/did.json"


def _proof_problem(document: dict[str, Any], issuer: str, get: Get) -> str:
    proof = document.get("proof")
    if not isinstance(proof, dict) or proof.get("cryptosuite") != "eddsa-rdfc-2022":
        return "no eddsa-rdfc-2022 proof"
    method = str(proof.get("verificationMethod", ""))
    if method.split("#")[0] != issuer or not issuer.startswith("did:web:"):
        return "the key is not the issuer's did:web key"
    did_document = _body(get(_did_web_path(issuer)))
    keys = {m["id"]: m["publicKeyMultibase"] for m in did_document["verificationMethod"]}
    if method not in keys or method not in did_document.get("assertionMethod", []):
        return "the key is not published in the issuer's DID document"
    raw = _b58decode(keys[method][1:])
    public_key = Ed25519PublicKey.from_public_bytes(raw[2:])
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options["@context"] = unsecured["@context"]
    data = hashlib.sha256(_canonical(options, get)).digest() + hashlib.sha256(_canonical(unsecured, get)).digest()
    try:
        public_key.verify(_b58decode(proof["proofValue"][1:]), data)
    except InvalidSignature:
        return "the signature does not match"
    return ""


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def independent_verdict(document: dict[str, Any], get: Get, *, now: datetime | None = None) -> str:
    """A credential's verdict; for a CLR 2.0 ``ClrCredential``, its own proof and then every
    credential embedded in it, each checked the same way (the first that does not stand wins)."""
    now = now or datetime.now(UTC)
    issuer = document["issuer"]["id"] if isinstance(document["issuer"], dict) else document["issuer"]
    problem = _proof_problem(document, issuer, get)
    if problem:
        return f"invalid: {problem}"
    if "ClrCredential" in document.get("type", []):
        embedded = document["credentialSubject"].get("verifiableCredential") or []
        if not embedded:
            return "invalid: the transcript embeds no credential"
        for n, item in enumerate(embedded, start=1):
            inner = independent_verdict(item, get, now=now)
            if inner != "valid":
                return f"{inner} (embedded credential {n})"
        return "valid"
    entries = document.get("credentialStatus") or []
    found = set()
    for entry in [entries] if isinstance(entries, dict) else entries:
        listed = _body(get(urlsplit(entry["statusListCredential"]).path))
        if listed["issuer"] != issuer:
            return "invalid: the status list has another issuer"
        problem = _proof_problem(listed, issuer, get)
        if problem:
            return f"invalid: status list: {problem}"
        encoded = listed["credentialSubject"]["encodedList"][1:]
        bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
        index = int(entry["statusListIndex"])
        if bits[index // 8] >> (7 - index % 8) & 1:
            found.add(entry["statusPurpose"])
    if "revocation" in found:
        return "revoked"
    if "suspension" in found:
        return "suspended"
    if _moment(document["validFrom"]) > now:
        return "not_yet_valid"
    if "validUntil" in document and _moment(document["validUntil"]) <= now:
        return "expired"
    return "valid"


def independent_sign_presentation(
    presentation: dict[str, Any],
    private_key: Any,
    *,
    verification_method: str,
    challenge: str,
    domain: str,
    suite: str = "eddsa-rdfc-2022",
) -> dict[str, Any]:
    """What a holder's wallet does for DIDAuth (issue 16), done with plain pyld and cryptography
    as well: a proof for ``authentication`` over ``challenge`` and ``domain``, eddsa-rdfc-2022 or
    (``suite="Ed25519Signature2020"``, as the DCC Learner Credential Wallet signs) the older
    Ed25519 suite. Only pinned third-party contexts may be named (no portal to fetch from)."""

    def nothing(path: str) -> Any:
        raise LookupError(f"a presentation should not need the portal's {path}")

    kind = {"type": suite} if suite == "Ed25519Signature2020" else {"type": "DataIntegrityProof", "cryptosuite": suite}
    proof = {
        **kind,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": verification_method,
        "proofPurpose": "authentication",
        "challenge": challenge,
        "domain": domain,
    }
    options = {**proof, "@context": presentation["@context"]}
    data = (
        hashlib.sha256(_canonical(options, nothing)).digest()
        + hashlib.sha256(_canonical(presentation, nothing)).digest()
    )
    return {**presentation, "proof": {**proof, "proofValue": "z" + _b58encode(private_key.sign(data))}}


def _b58encode(raw: bytes) -> str:
    number = int.from_bytes(raw, "big")
    text = ""
    while number:
        number, rest = divmod(number, 58)
        text = _B58[rest] + text
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + text
