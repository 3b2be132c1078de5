"""Multibase encodings used by Data Integrity proofs, Multikey and Bitstring Status Lists.

Only the two bases the specifications here need: base58-btc (prefix ``z``: proof values and
keys) and base64url without padding (prefix ``u``: status lists).
"""

from __future__ import annotations

import base64
import binascii

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {char: value for value, char in enumerate(BASE58_ALPHABET)}


class MultibaseError(ValueError):
    """The text is not valid multibase in the expected base."""


def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(BASE58_ALPHABET[remainder])
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + "".join(reversed(digits))


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        try:
            number = number * 58 + _BASE58_INDEX[char]
        except KeyError:
            raise MultibaseError(f"{char!r} is not a base58-btc character") from None
    leading_zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * leading_zeros + body


def multibase_base58btc(data: bytes) -> str:
    return "z" + base58btc_encode(data)


def from_multibase_base58btc(text: object) -> bytes:
    if not isinstance(text, str) or not text.startswith("z"):
        raise MultibaseError("expected base58-btc multibase (a 'z' prefix)")
    return base58btc_decode(text[1:])


def multibase_base64url(data: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def from_multibase_base64url(text: object) -> bytes:
    if not isinstance(text, str) or not text.startswith("u"):
        raise MultibaseError("expected base64url multibase (a 'u' prefix)")
    body = text[1:]
    if "=" in body or not all(c.isascii() and (c.isalnum() or c in "-_") for c in body):
        raise MultibaseError("base64url multibase has characters outside the unpadded URL-safe alphabet")
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as error:
        raise MultibaseError(f"invalid base64url: {error}") from None
