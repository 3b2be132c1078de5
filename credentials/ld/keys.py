"""Ed25519 signing keys: Multikey encodings, did:key, and the portal's own did:web keys.

Key configuration (docs/decisions/0040-credential-signing-keys.md): ``CREDENTIAL_SIGNING_KEYS``
is ``"key-2026:<secretKeyMultibase>,key-2025:<secretKeyMultibase>"``. The first key signs new
credentials; the others are retired but still published in the DID document so that what they
signed keeps verifying. Production refuses to start without it; in development and tests, when
it is empty, one key is generated on first use and kept in ``{VAR_DIR}/credential-signing-keys``
(mode 0600), never in the repository.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from credentials.ld.contexts import DID_V1, MULTIKEY_V1
from credentials.ld.multibase import MultibaseError, from_multibase_base58btc, multibase_base58btc

# Multicodec prefixes (unsigned varints): ed25519-pub 0xed, ed25519-priv 0x1300.
ED25519_PUBLIC_PREFIX = b"\xed\x01"
ED25519_SECRET_PREFIX = b"\x80\x26"
KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
DEV_KEYS_FILE_NAME = "credential-signing-keys"


def encode_public_multikey(public_key: Ed25519PublicKey) -> str:
    """``publicKeyMultibase`` of a Multikey: base58-btc of 0xed01 + the 32 key bytes (``z6Mk...``)."""
    return multibase_base58btc(ED25519_PUBLIC_PREFIX + public_key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def decode_public_multikey(text: str) -> Ed25519PublicKey:
    raw = from_multibase_base58btc(text)
    if len(raw) != 34 or not raw.startswith(ED25519_PUBLIC_PREFIX):
        raise MultibaseError("not an Ed25519 public Multikey (0xed01 + 32 bytes)")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def encode_secret_multibase(private_key: Ed25519PrivateKey) -> str:
    """``secretKeyMultibase``: base58-btc of 0x8026 + the 32-byte seed (``z3u2...``)."""
    seed = private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return multibase_base58btc(ED25519_SECRET_PREFIX + seed)


def decode_secret_multibase(text: str) -> Ed25519PrivateKey:
    raw = from_multibase_base58btc(text)
    if len(raw) != 34 or not raw.startswith(ED25519_SECRET_PREFIX):
        raise MultibaseError("not an Ed25519 secret key (0x8026 + 32 bytes)")
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


@dataclass(frozen=True, eq=False)
class SigningKey:
    """A named Ed25519 private key. Its repr never shows the secret."""

    key_id: str
    private_key: Ed25519PrivateKey = field(repr=False)

    def __post_init__(self) -> None:
        if not KEY_ID_PATTERN.match(self.key_id):
            raise ValueError(f"key id {self.key_id!r} must be letters, digits, '.', '_' or '-' (up to 64)")

    @classmethod
    def generate(cls, key_id: str) -> SigningKey:
        return cls(key_id, Ed25519PrivateKey.generate())

    @classmethod
    def from_secret_multibase(cls, key_id: str, secret: str) -> SigningKey:
        return cls(key_id, decode_secret_multibase(secret))

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def public_key_multibase(self) -> str:
        return encode_public_multikey(self.public_key)

    def secret_key_multibase(self) -> str:
        return encode_secret_multibase(self.private_key)

    def config_entry(self) -> str:
        """This key as one item of CREDENTIAL_SIGNING_KEYS (contains the secret)."""
        return f"{self.key_id}:{self.secret_key_multibase()}"

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)


# did:key (https://w3c-ccg.github.io/did-key-spec/), used by the W3C test vectors.


def did_key_for(public_key: Ed25519PublicKey) -> str:
    return f"did:key:{encode_public_multikey(public_key)}"


def did_key_verification_method(public_key: Ed25519PublicKey) -> str:
    multikey = encode_public_multikey(public_key)
    return f"did:key:{multikey}#{multikey}"


def resolve_did_key(verification_method: str) -> Ed25519PublicKey | None:
    """The Ed25519 key a ``did:key:z6Mk...#z6Mk...`` verification method names, else None."""
    if not isinstance(verification_method, str) or not verification_method.startswith("did:key:"):
        return None
    did, _, fragment = verification_method.partition("#")
    multikey = did.removeprefix("did:key:")
    if fragment and fragment != multikey:
        return None
    try:
        return decode_public_multikey(multikey)
    except (MultibaseError, ValueError):
        return None


# The portal's keys and its did:web identifier.


def parse_signing_keys(value: str) -> list[SigningKey]:
    """``"key-2026:z3u2...,key-2025:z3u2..."`` -> keys, current first. Errors never echo a secret."""
    keys: list[SigningKey] = []
    for position, item in enumerate(part.strip() for part in value.split(",")):
        if not item:
            continue
        key_id, separator, secret = item.partition(":")
        key_id, secret = key_id.strip(), secret.strip()
        if not separator or not KEY_ID_PATTERN.match(key_id):
            raise ImproperlyConfigured(
                f"CREDENTIAL_SIGNING_KEYS item {position + 1} must be '<key-id>:<secretKeyMultibase>' "
                "with a key id of letters, digits, '.', '_' or '-'"
            )
        if any(key.key_id == key_id for key in keys):
            raise ImproperlyConfigured(f"CREDENTIAL_SIGNING_KEYS names the key id {key_id!r} twice")
        try:
            keys.append(SigningKey.from_secret_multibase(key_id, secret))
        except (MultibaseError, ValueError):
            raise ImproperlyConfigured(
                f"CREDENTIAL_SIGNING_KEYS: the secret of {key_id!r} is not an Ed25519 secretKeyMultibase "
                "(make one with `manage.py credential_keygen`)"
            ) from None
    if not keys:
        raise ImproperlyConfigured("CREDENTIAL_SIGNING_KEYS has no keys")
    return keys


def _development_keys_file(var_dir: Path) -> str:
    """The development key line, made once (0600, atomically, safe when two processes race)."""
    target = var_dir / DEV_KEYS_FILE_NAME
    if not target.exists():
        key = SigningKey.generate(f"key-dev-{date.today():%Y%m%d}")
        var_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=var_dir, prefix=f".{DEV_KEYS_FILE_NAME}.")  # created 0600
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(key.config_entry() + "\n")
            os.link(tmp, target)  # fails if another process made it first; then theirs is used
        except FileExistsError:
            pass
        finally:
            Path(tmp).unlink(missing_ok=True)
    return target.read_text(encoding="ascii").strip()


@functools.lru_cache(maxsize=4)
def _keys_for(configured: str, var_dir: str, production: bool) -> tuple[SigningKey, ...]:
    if not configured.strip():
        if production:
            raise ImproperlyConfigured("CREDENTIAL_SIGNING_KEYS must be set in production (see credential_keygen).")
        configured = _development_keys_file(Path(var_dir))
    return tuple(parse_signing_keys(configured))


def portal_keys() -> list[SigningKey]:
    """The portal's signing keys, the current one first, then the retired ones."""
    configured = getattr(settings, "CREDENTIAL_SIGNING_KEYS", "") or ""
    production = bool(getattr(settings, "PRODUCTION", False))
    return list(_keys_for(configured, str(settings.VAR_DIR), production))


def current_signing_key() -> SigningKey:
    return portal_keys()[0]


def portal_did() -> str:
    """``did:web`` of PUBLIC_BASE_URL: host, ``%3A`` + port if any, then path segments as ``:``."""
    return _did_web(str(settings.PUBLIC_BASE_URL))


@functools.lru_cache(maxsize=8)
def _did_web(base_url: str) -> str:
    parts = urlsplit(base_url)
    if not parts.hostname:
        raise ImproperlyConfigured("PUBLIC_BASE_URL must be an absolute URL for the portal's did:web")
    did = "did:web:" + quote(parts.hostname, safe="")
    if parts.port:
        did += f"%3A{parts.port}"
    for segment in parts.path.strip("/").split("/"):
        if segment:
            did += ":" + segment
    return did


def did_document_url() -> str:
    """Where did:web resolvers fetch the DID document (the lead's URL route serves it there)."""
    parts = urlsplit(settings.PUBLIC_BASE_URL)
    if parts.path.strip("/"):
        return f"{settings.PUBLIC_BASE_URL}/did.json"
    return f"{parts.scheme}://{parts.netloc}/.well-known/did.json"


def verification_method_id(key: SigningKey) -> str:
    return f"{portal_did()}#{key.key_id}"


def did_document() -> dict[str, Any]:
    """The portal's DID document: every key, current and retired, as a Multikey that may
    assert credentials (so what a retired key signed still verifies)."""
    did = portal_did()
    keys = portal_keys()
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": [
            {
                "id": verification_method_id(key),
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": key.public_key_multibase,
            }
            for key in keys
        ],
        "assertionMethod": [verification_method_id(key) for key in keys],
    }


def resolve_portal_key(verification_method: str) -> Ed25519PublicKey | None:
    """The public key of one of the portal's own verification methods, else None."""
    if not isinstance(verification_method, str):
        return None
    for key in portal_keys():
        if verification_method == verification_method_id(key):
            return key.public_key
    return None
