"""NRIC / passport numbers at rest (docs/decisions/0020-nric-storage.md): Fernet-encrypted, with a
keyed hash (HMAC-SHA256) for uniqueness. The key is ``settings.IDENTITY_ENCRYPTION_KEY`` when set,
else derived from ``SECRET_KEY``. Nothing here logs or raises with a number in it."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _secret() -> bytes:
    configured = getattr(settings, "IDENTITY_ENCRYPTION_KEY", "") or ""
    return (
        configured.encode()
        if configured
        else hashlib.sha256(b"mcportal-identity:" + settings.SECRET_KEY.encode()).digest()
    )


def _fernet() -> Fernet:
    key = hashlib.sha256(b"encrypt:" + _secret()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def identity_encrypt(number: str) -> str:
    return _fernet().encrypt(number.encode()).decode()


def identity_decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("The stored identity number cannot be read with the current key.") from None


def identity_hash(kind: str, number: str) -> str:
    """Same number, same hash (uniqueness) without storing the number in the clear."""
    normal = "".join(ch for ch in number.upper() if ch.isalnum())
    key = hashlib.sha256(b"hash:" + _secret()).digest()
    return hmac.new(key, f"{kind}:{normal}".encode(), hashlib.sha256).hexdigest()
