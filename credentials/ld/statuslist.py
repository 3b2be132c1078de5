"""W3C Bitstring Status List v1.0: the list codec and the documents that carry it (R-CR-5).

A status list is a bitstring of at least 131,072 entries (16 KB), one bit a credential,
index 0 being the left-most (most significant) bit of the first byte. It is published
GZIP-compressed and multibase base64url-encoded (no padding, prefix ``u``) as the
``encodedList`` of a BitstringStatusListCredential, which the portal signs like any credential.
"""

from __future__ import annotations

import gzip
import zlib
from datetime import datetime
from typing import Any

from credentials.ld.contexts import CREDENTIALS_V2
from credentials.ld.multibase import MultibaseError, from_multibase_base64url, multibase_base64url
from credentials.ld.proofs import xsd_datetime

MIN_LIST_BITS = 131_072
MIN_LIST_BYTES = MIN_LIST_BITS // 8
MAX_LIST_BYTES = 16 * 1024 * 1024  # decompression stops here: a hostile list cannot exhaust memory
STATUS_PURPOSES = ("revocation", "suspension")


class StatusListError(ValueError):
    """An encoded list that cannot be decoded, or a list that is too short."""


class StatusRangeError(StatusListError, IndexError):
    """An index outside the list (the specification's RANGE_ERROR)."""


def new_list(size_bits: int = MIN_LIST_BITS) -> bytes:
    """An all-zero list (every credential valid) of ``size_bits`` entries, a multiple of 8."""
    if size_bits < MIN_LIST_BITS or size_bits % 8:
        raise StatusListError(f"a status list has at least {MIN_LIST_BITS} entries, in whole bytes")
    return bytes(size_bits // 8)


def encode_list(bits: bytes) -> str:
    """GZIP then multibase base64url. Deterministic (no timestamp in the GZIP header), so an
    unchanged list always encodes the same."""
    if len(bits) < MIN_LIST_BYTES:
        raise StatusListError(f"a status list is at least {MIN_LIST_BYTES} bytes ({MIN_LIST_BITS} entries)")
    return multibase_base64url(gzip.compress(bytes(bits), compresslevel=9, mtime=0))


def decode_list(encoded: str) -> bytes:
    """The bitstring of an ``encodedList``; raises StatusListError for anything malformed,
    shorter than the minimum, or larger than MAX_LIST_BYTES when expanded."""
    try:
        compressed = from_multibase_base64url(encoded)
    except MultibaseError as error:
        raise StatusListError(str(error)) from None
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # GZIP framing only
    try:
        bits = inflater.decompress(compressed, MAX_LIST_BYTES + 1)
    except zlib.error as error:
        raise StatusListError(f"encodedList is not GZIP data: {error}") from None
    if len(bits) > MAX_LIST_BYTES:
        raise StatusListError(f"encodedList expands to more than {MAX_LIST_BYTES} bytes")
    if not inflater.eof or inflater.unused_data:
        raise StatusListError("encodedList is truncated or has data after the GZIP stream")
    if len(bits) < MIN_LIST_BYTES:
        raise StatusListError(f"the status list has {len(bits) * 8} entries, fewer than the minimum {MIN_LIST_BITS}")
    return bits


def _position(bits: bytes, index: int) -> tuple[int, int]:
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(bits) * 8:
        raise StatusRangeError(f"index {index!r} is outside a list of {len(bits) * 8} entries")
    return index // 8, 7 - index % 8


def bit_get(bits: bytes, index: int) -> bool:
    byte, shift = _position(bits, index)
    return bool(bits[byte] >> shift & 1)


def bit_set(bits: bytes, index: int, value: bool) -> bytes:
    """A copy of ``bits`` with entry ``index`` set (True) or cleared (False)."""
    byte, shift = _position(bits, index)
    changed = bytearray(bits)
    if value:
        changed[byte] |= 1 << shift
    else:
        changed[byte] &= ~(1 << shift) & 0xFF
    return bytes(changed)


def _check_purpose(purpose: str) -> None:
    if purpose not in STATUS_PURPOSES:
        raise ValueError(f"status purpose must be one of {', '.join(STATUS_PURPOSES)}, not {purpose!r}")


def status_list_credential(
    *, url: str, purpose: str, encoded_list: str, issuer: str, valid_from: datetime
) -> dict[str, Any]:
    """The unsigned BitstringStatusListCredential published at ``url`` (sign it with proofs.sign)."""
    _check_purpose(purpose)
    return {
        "@context": [CREDENTIALS_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": xsd_datetime(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded_list,
        },
    }


def status_entry(*, list_url: str, purpose: str, index: int) -> dict[str, Any]:
    """The ``credentialStatus`` entry pointing at entry ``index`` of the list at ``list_url``."""
    _check_purpose(purpose)
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError(f"a status list index is a whole number from 0, not {index!r}")
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }
