"""The W3C Bitstring Status List v1.0 codec and documents (R-CR-5)."""

from __future__ import annotations

import base64
import gzip
from datetime import UTC, datetime, timedelta, timezone

import pytest

from credentials import ld
from credentials.ld.multibase import multibase_base64url

# The spec's example BitstringStatusListCredential (section 2.2): a list of 131,072 clear entries.
SPEC_EXAMPLE = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def test_the_specs_example_list_decodes_to_the_minimum_size_all_clear():
    # DOMAIN R-CR-5
    bits = ld.decode_list(SPEC_EXAMPLE)
    assert len(bits) * 8 == ld.MIN_LIST_BITS == 131_072
    assert not any(bits)
    assert ld.decode_list(ld.encode_list(bits)) == bits


def test_index_zero_is_the_left_most_bit_of_the_first_byte():
    # DOMAIN R-CR-5: the spec's bitstring layout: index 0 left-most, last index right-most.
    bits = ld.new_list()
    assert ld.bit_set(bits, 0, True)[:2] == b"\x80\x00"
    assert ld.bit_set(bits, 7, True)[:2] == b"\x01\x00"
    assert ld.bit_set(bits, 8, True)[:2] == b"\x00\x80"
    assert ld.bit_set(bits, 131_071, True)[-1:] == b"\x01"
    assert ld.bit_get(ld.bit_set(bits, 94_567, True), 94_567)


@pytest.mark.parametrize("indexes", [[], [0], [7, 8, 9], [131_071], list(range(0, 131_072, 997))])
def test_set_bits_survive_an_encode_decode_round_trip(indexes):
    # DOMAIN R-CR-5
    bits = ld.new_list()
    for index in indexes:
        bits = ld.bit_set(bits, index, True)
    decoded = ld.decode_list(ld.encode_list(bits))
    assert decoded == bits
    assert [i for i in range(len(decoded) * 8) if ld.bit_get(decoded, i)] == indexes


def test_clearing_a_bit_touches_no_other_bit():
    bits = ld.bit_set(ld.bit_set(ld.new_list(), 10, True), 11, True)
    cleared = ld.bit_set(bits, 10, False)
    assert (ld.bit_get(cleared, 10), ld.bit_get(cleared, 11)) == (False, True)
    assert ld.bit_set(cleared, 10, False) == cleared  # clearing twice changes nothing
    assert ld.bit_get(bits, 10) is True  # the input is left alone


def test_encoding_is_deterministic_and_compact():
    bits = ld.bit_set(ld.new_list(), 42, True)
    assert ld.encode_list(bits) == ld.encode_list(bytes(bits))
    encoded = ld.encode_list(bits)
    assert encoded.startswith("u") and "=" not in encoded
    assert len(encoded) < 200  # 16 KB of mostly zeros compresses to a few dozen bytes
    raw = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    assert raw[:2] == b"\x1f\x8b"  # GZIP, as the spec requires
    assert gzip.decompress(raw) == bits


def test_larger_lists_are_allowed():
    bits = ld.bit_set(ld.new_list(262_144), 200_000, True)
    assert ld.bit_get(ld.decode_list(ld.encode_list(bits)), 200_000)


@pytest.mark.parametrize("size", [0, 8, 131_064, 131_073])
def test_a_list_below_the_minimum_or_not_whole_bytes_is_refused(size):
    with pytest.raises(ld.StatusListError):
        ld.new_list(size)


def test_encoding_a_short_list_is_refused():
    with pytest.raises(ld.StatusListError, match="at least 16384 bytes"):
        ld.encode_list(bytes(16_383))


@pytest.mark.parametrize(
    ("encoded", "message"),
    [
        (multibase_base64url(gzip.compress(bytes(1024), mtime=0)), "fewer than the minimum"),
        ("zH4sIAAAAAAAAA", "'u' prefix"),
        ("uH4sI AAAA", "alphabet"),
        ("uH4sI+AAAA", "alphabet"),
        ("uAAAA==", "alphabet"),
        (multibase_base64url(b"not gzip at all"), "not GZIP"),
        (multibase_base64url(gzip.compress(bytes(16_384), mtime=0)[:-10]), "truncated"),
        (multibase_base64url(gzip.compress(bytes(16_384), mtime=0) + b"junk"), "after the GZIP stream"),
        (multibase_base64url(gzip.compress(bytes(17 * 1024 * 1024), mtime=0)), "more than"),
        (12, "'u' prefix"),
    ],
)
def test_malformed_or_hostile_lists_are_refused(encoded, message):
    # DOMAIN R-CR-5: a list that cannot be read never reads as "not revoked".
    with pytest.raises(ld.StatusListError, match=message):
        ld.decode_list(encoded)


@pytest.mark.parametrize("index", [-1, 131_072, 10**9, True, 1.0, "5"])
def test_an_index_outside_the_list_is_a_range_error(index):
    bits = ld.new_list()
    with pytest.raises(ld.StatusRangeError):
        ld.bit_get(bits, index)
    with pytest.raises(IndexError):
        ld.bit_set(bits, index, True)


def test_status_list_credential_has_the_specs_shape():
    # DOMAIN R-CR-5
    url = "https://mc.unimas.my/credentials/status/revocation/3"
    document = ld.status_list_credential(
        url=url,
        purpose="revocation",
        encoded_list=SPEC_EXAMPLE,
        issuer="did:web:mc.unimas.my",
        valid_from=datetime(2026, 7, 1, 8, 0, 0, 123, tzinfo=timezone(timedelta(hours=8))),
    )
    assert document == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": "did:web:mc.unimas.my",
        "validFrom": "2026-07-01T00:00:00Z",
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": SPEC_EXAMPLE,
        },
    }
    assert "<https://www.w3.org/ns/credentials/status#encodedList>" in ld.canonicalize(document)


def test_status_entry_has_the_specs_shape():
    entry = ld.status_entry(
        list_url="https://mc.unimas.my/credentials/status/suspension/3", purpose="suspension", index=94567
    )
    assert entry == {
        "id": "https://mc.unimas.my/credentials/status/suspension/3#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "suspension",
        "statusListIndex": "94567",
        "statusListCredential": "https://mc.unimas.my/credentials/status/suspension/3",
    }
    credential = {
        "@context": [ld.CREDENTIALS_V2],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential"],
        "credentialStatus": [entry],
    }
    assert '"94567"' in ld.canonicalize(credential)


@pytest.mark.parametrize("purpose", ["message", "refresh", "Revocation", ""])
def test_unsupported_purposes_are_refused(purpose):
    with pytest.raises(ValueError, match="status purpose"):
        ld.status_entry(list_url="https://x.example/s/1", purpose=purpose, index=1)
    with pytest.raises(ValueError, match="status purpose"):
        ld.status_list_credential(
            url="https://x.example/s/1",
            purpose=purpose,
            encoded_list=SPEC_EXAMPLE,
            issuer="did:web:x",
            valid_from=datetime.now(UTC),
        )


@pytest.mark.parametrize("index", [-1, True, "3"])
def test_a_bad_entry_index_is_refused(index):
    with pytest.raises(ValueError, match="whole number"):
        ld.status_entry(list_url="https://x.example/s/1", purpose="revocation", index=index)
