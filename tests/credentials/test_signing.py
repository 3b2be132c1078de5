"""eddsa-rdfc-2022 Data Integrity proofs: the published W3C test vector byte for byte, then
sign/verify of an Open Badges 3.0 credential where any change makes verification fail, and
the portal's keys, retired keys and DID document (R-CR-3)."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from credentials import ld
from credentials.ld.multibase import base58btc_decode, base58btc_encode, from_multibase_base58btc

VECTORS = Path(__file__).parent / "vectors" / "eddsa-rdfc-2022"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
ROOT = Path(__file__).resolve().parents[2]


def _text(name: str) -> str:
    return (VECTORS / name).read_text(encoding="utf-8")


def _json(name: str) -> Any:
    return json.loads(_text(name))


@pytest.fixture
def vector_loader() -> ld.DocumentLoader:
    return ld.DocumentLoader(extra={EXAMPLES_V2: _json("credentials-examples-v2.jsonld")})


@pytest.fixture
def vector_key() -> ld.SigningKey:
    return ld.SigningKey.from_secret_multibase("vector", _json("keyPair.json")["privateKeyMultibase"])


# --- (a) the W3C vc-di-eddsa eddsa-rdfc-2022 test vector ------------------------------------


def test_vector_key_pair_round_trips_through_multikey(vector_key):
    # DOMAIN R-CR-3
    pair = _json("keyPair.json")
    assert vector_key.public_key_multibase == pair["publicKeyMultibase"]
    assert vector_key.secret_key_multibase() == pair["privateKeyMultibase"]
    assert (
        ld.encode_public_multikey(ld.decode_public_multikey(pair["publicKeyMultibase"])) == pair["publicKeyMultibase"]
    )
    assert ld.did_key_for(vector_key.public_key) == "did:key:" + pair["publicKeyMultibase"]


def test_vector_canonical_document_and_its_hash_match_byte_for_byte(vector_loader):
    # DOMAIN R-CR-3
    canonical = ld.canonicalize(_json("unsigned.json"), loader=vector_loader)
    assert canonical == _text("canonDocDataInt.txt")
    assert hashlib.sha256(canonical.encode()).hexdigest() == _text("docHashDataInt.txt")


def test_vector_canonical_proof_configuration_and_hashes_match(vector_loader):
    # DOMAIN R-CR-3
    canonical = ld.canonicalize(_json("proofConfigDataInt.json"), loader=vector_loader)
    assert canonical == _text("proofCanonDataInt.txt")
    proof_hash = hashlib.sha256(canonical.encode()).hexdigest()
    assert proof_hash == _text("proofHashDataInt.txt")
    assert proof_hash + _text("docHashDataInt.txt") == _text("combinedHashDataInt.txt")


def test_signing_with_the_published_key_gives_the_published_proof(vector_loader, vector_key):
    # DOMAIN R-CR-3: Ed25519 is deterministic, so the proofValue must be the published one exactly.
    config = _json("proofConfigDataInt.json")
    signed = ld.sign(
        _json("unsigned.json"),
        key=vector_key,
        created=datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC),
        verification_method=config["verificationMethod"],
        loader=vector_loader,
    )
    assert signed["proof"]["proofValue"] == _text("sigBTC58DataInt.txt")
    assert from_multibase_base58btc(signed["proof"]["proofValue"]).hex() == _text("sigHexDataInt.txt")
    assert signed == _json("signedDataInt.json")


def test_the_published_signed_credential_verifies(vector_loader):
    # DOMAIN R-CR-3
    check = ld.verify(_json("signedDataInt.json"), resolve=ld.resolve_did_key, loader=vector_loader)
    assert check == ld.ProofCheck(True, "valid signature", _json("proofConfigDataInt.json")["verificationMethod"])


def test_the_published_credential_changed_fails(vector_loader):
    # DOMAIN R-CR-3
    document = _json("signedDataInt.json")
    document["credentialSubject"]["alumniOf"] = "The School of Forgeries"
    check = ld.verify(document, resolve=ld.resolve_did_key, loader=vector_loader)
    assert not check.ok
    assert check.reason == "signature does not match the content (the credential was changed after signing)"


def test_the_portal_loader_does_not_serve_the_vector_context():
    # The examples context is test data: the portal's own loader refuses it.
    check = ld.verify(_json("signedDataInt.json"), resolve=ld.resolve_did_key)
    assert not check.ok
    assert check.reason.startswith("canonicalisation failed: the JSON-LD context " + EXAMPLES_V2)


# --- (b) an Open Badges 3.0 credential with the portal's context ----------------------------


def ob_credential() -> dict[str, Any]:
    """A micro-credential badge shaped like the ones the portal issues (OB 3.0 on VC 2.0)."""
    return {
        "@context": [ld.CREDENTIALS_V2, ld.OPEN_BADGES_V3, ld.own_context_url()],
        "id": "https://mc.example.edu/credentials/0b9d3e0c-5f6a-4d1e-9a51-2f1b8c7e6d10.json",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "FCSIT-MC-001 Data Analytics with Python",
        "issuer": {
            "id": ld.portal_did(),
            "type": ["Profile"],
            "name": "Universiti Malaysia Sarawak (UNIMAS)",
            "url": "https://mc.example.edu",
            "email": "cflex@example.edu",
        },
        "validFrom": "2026-07-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": "sha256$5d41402abc4b2a76b9719d911017c592",
                    "salt": "a1b2c3d4",
                },
                {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": "Siti Aminah"},
            ],
            "creditsEarned": 2,
            "result": [{"type": ["Result"], "value": "A-"}],
            "achievement": {
                "id": "https://mc.example.edu/catalogue/achievements/FCSIT-MC-001/",
                "type": ["Achievement"],
                "achievementType": "MicroCredential",
                "humanCode": "FCSIT-MC-001",
                "name": "Data Analytics with Python",
                "description": "Cleaning, exploring and presenting data with Python.",
                "criteria": {"narrative": "Pass the continuous (40%) and final (60%) assessments."},
                "creditsAvailable": 2,
                "inLanguage": "en",
                "sltHours": 80,
                "mqfLevel": 6,
                "deliveryMode": "Online",
                "modeOfStudy": "Part-time",
                "languageOfInstruction": "English",
                "durationText": "8 weeks",
                "enrolmentRequirements": "STPM or equivalent",
                "programme": "Bachelor of Computer Science (Hons)",
                "qualityAssurance": ["MQA accredited programme component"],
                "formativePercent": "40",
                "summativePercent": "60",
                "learningOutcomes": [
                    {"position": 1, "outcome": "Clean and explore a data set with pandas.", "attainment": "Achieved"},
                    {"position": 2, "outcome": "Present findings with clear charts.", "attainment": "Achieved"},
                ],
            },
            "finalMark": "78.50",
        },
        "serialNumber": "UNIMAS-MC-2026-000123",
        "institutionStatus": "Public university",
    }


@pytest.fixture
def signed() -> dict[str, Any]:
    return ld.sign(ob_credential(), key=ld.current_signing_key())


def test_an_ob_credential_signed_by_the_portal_verifies(signed):
    # DOMAIN R-CR-3
    key = ld.current_signing_key()
    assert signed["proof"] == {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": signed["proof"]["created"],
        "verificationMethod": f"{ld.portal_did()}#{key.key_id}",
        "proofPurpose": "assertionMethod",
        "proofValue": signed["proof"]["proofValue"],
    }
    assert ld.verify(signed, resolve=ld.resolve_portal_key) == ld.ProofCheck(
        True, "valid signature", ld.verification_method_id(key)
    )


def test_sign_leaves_the_input_alone_and_the_created_time_is_the_one_given():
    document = ob_credential()
    before = copy.deepcopy(document)
    signed = ld.sign(document, key=ld.current_signing_key(), created=datetime(2026, 7, 1, 8, 30, 15, 999, tzinfo=UTC))
    assert document == before
    assert signed["proof"]["created"] == "2026-07-01T08:30:15Z"


def _leaf_paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaf_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaf_paths(item, (*path, index))
    else:
        yield path


def _changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    return value + "x" if not value.endswith("Z") else value.replace("Z", "+08:00")


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        document = document[step]
    return document


def _all_leaves() -> list[tuple[Any, ...]]:
    # The paths are computed from the credential's shape (not its keys' values), so they are the
    # same for every signing key; "proofValue" is covered by its own tests below.
    template = {
        **ob_credential(),
        "proof": dict.fromkeys(["type", "cryptosuite", "created", "verificationMethod", "proofPurpose"], "x"),
    }
    return list(_leaf_paths(template))


@pytest.mark.parametrize("path", _all_leaves(), ids=lambda p: ".".join(map(str, p)))
def test_changing_any_single_value_makes_verification_fail(signed, path):
    # DOMAIN R-CR-3: every value, nested or not, down to each learning outcome, is signed.
    document = copy.deepcopy(signed)
    holder = _at(document, path)
    holder[path[-1]] = _changed(holder[path[-1]])
    check = ld.verify(document, resolve=ld.resolve_portal_key)
    assert not check.ok, path
    assert check.reason != "valid signature"


TAMPERINGS: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    (
        "course name",
        lambda d: d["credentialSubject"]["achievement"].update(name="Data Science Masterclass"),
        "signature",
    ),
    ("credits", lambda d: d["credentialSubject"]["achievement"].update(creditsAvailable=20), "signature"),
    ("credits earned", lambda d: d["credentialSubject"].update(creditsEarned=3), "signature"),
    (
        "a learning outcome's text",
        lambda d: d["credentialSubject"]["achievement"]["learningOutcomes"][1].update(outcome="Build neural networks."),
        "signature",
    ),
    (
        "learning outcomes reordered",
        lambda d: d["credentialSubject"]["achievement"]["learningOutcomes"].reverse(),
        "signature",
    ),
    ("issuer", lambda d: d.update(issuer={**d["issuer"], "id": "did:web:forged.example"}), "signature"),
    ("issuer name", lambda d: d["issuer"].update(name="Universiti Palsu"), "signature"),
    ("validFrom", lambda d: d.update(validFrom="2020-01-01T00:00:00Z"), "signature"),
    ("grade", lambda d: d["credentialSubject"]["result"][0].update(value="A+"), "signature"),
    ("final mark", lambda d: d["credentialSubject"].update(finalMark="98.50"), "signature"),
    (
        "learner's name",
        lambda d: d["credentialSubject"]["identifier"][1].update(identityHash="Someone Else"),
        "signature",
    ),
    ("a field removed", lambda d: d["credentialSubject"]["achievement"].pop("mqfLevel"), "signature"),
    ("a defined field added", lambda d: d.update(description="Now with honours"), "signature"),
    ("validUntil added", lambda d: d.update(validUntil="2030-01-01T00:00:00Z"), "signature"),
    ("an undefined field added", lambda d: d["credentialSubject"]["achievement"].update(honours=True), "canonical"),
    ("an undefined top-level field added", lambda d: d.update(extra="x"), "canonical"),
    ("a defined field added to the proof", lambda d: d["proof"].update(nonce="123"), "signature"),
    ("an undefined field added to the proof", lambda d: d["proof"].update(comment="123"), "canonical"),
    ("a context added", lambda d: d["@context"].append("https://evil.example/context.jsonld"), "canonical"),
    ("the context removed", lambda d: d.pop("@context"), "canonical"),
    ("proof created", lambda d: d["proof"].update(created="2026-01-01T00:00:00Z"), "signature"),
]


@pytest.mark.parametrize(("change", "reason"), [(t[1], t[2]) for t in TAMPERINGS], ids=[t[0] for t in TAMPERINGS])
def test_tampering_fails_with_a_plain_reason(signed, change, reason):
    # DOMAIN R-CR-3
    document = copy.deepcopy(signed)
    change(document)
    check = ld.verify(document, resolve=ld.resolve_portal_key)
    assert not check.ok
    expected = {
        "signature": "signature does not match the content (the credential was changed after signing)",
        "canonical": "canonicalisation failed: ",
    }[reason]
    assert check.reason.startswith(expected), check.reason


def test_a_changed_proof_value_fails(signed):
    # DOMAIN R-CR-3
    signature = bytearray(from_multibase_base58btc(signed["proof"]["proofValue"]))
    signature[10] ^= 0x01
    forged = {**signed, "proof": {**signed["proof"], "proofValue": "z" + base58btc_encode(bytes(signature))}}
    check = ld.verify(forged, resolve=ld.resolve_portal_key)
    assert (check.ok, check.reason) == (
        False,
        "signature does not match the content (the credential was changed after signing)",
    )


@pytest.mark.parametrize("value", ["", "z", "u" + "A" * 86, "z0OIl", "z" + base58btc_encode(b"\x01" * 63), 12, None])
def test_a_malformed_proof_value_fails(signed, value):
    forged = {**signed, "proof": {**signed["proof"], "proofValue": value}}
    assert ld.verify(forged, resolve=ld.resolve_portal_key).reason == "malformed proofValue"


def test_a_signature_by_another_key_fails_even_under_the_portals_key_id(signed):
    # DOMAIN R-CR-3: a forger signs with their own key but names the portal's verification method.
    intruder = ld.SigningKey.generate("key-intruder")
    forged = ld.sign(
        ob_credential(), key=intruder, verification_method=ld.verification_method_id(ld.current_signing_key())
    )
    check = ld.verify(forged, resolve=ld.resolve_portal_key)
    assert (check.ok, check.reason) == (
        False,
        "signature does not match the content (the credential was changed after signing)",
    )


def test_the_portals_proof_moved_onto_another_credential_fails(signed):
    other = ob_credential()
    other["credentialSubject"]["identifier"][1]["identityHash"] = "Another Learner"
    assert not ld.verify({**other, "proof": signed["proof"]}, resolve=ld.resolve_portal_key).ok


def test_an_unknown_verification_method_fails(signed):
    vm = f"{ld.portal_did()}#key-never-issued"
    forged = {**signed, "proof": {**signed["proof"], "verificationMethod": vm}}
    assert ld.verify(forged, resolve=ld.resolve_portal_key) == ld.ProofCheck(
        False, f"unknown verification method {vm}", vm
    )
    # A did:key signature does not resolve as one of the portal's keys.
    stranger = ld.SigningKey.generate("stranger")
    foreign = ld.sign(
        ob_credential(), key=stranger, verification_method=ld.did_key_verification_method(stranger.public_key)
    )
    assert ld.verify(foreign, resolve=ld.resolve_did_key).ok
    assert ld.verify(foreign, resolve=ld.resolve_portal_key).reason.startswith("unknown verification method did:key:")


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (None, "the document is not a JSON object"),
        ([], "the document is not a JSON object"),
        ("a string", "the document is not a JSON object"),
        ({"@context": [ld.CREDENTIALS_V2]}, "no proof"),
        ({"proof": 5}, "malformed proof"),
        ({"proof": [{}, {}]}, "more than one proof (proof sets are not supported)"),
        ({"proof": {"type": "Ed25519Signature2020"}}, "unsupported proof type Ed25519Signature2020"),
        (
            {"proof": {"type": "DataIntegrityProof", "cryptosuite": "ecdsa-rdfc-2019"}},
            "unsupported cryptosuite ecdsa-rdfc-2019",
        ),
        (
            {
                "proof": {
                    "type": "DataIntegrityProof",
                    "cryptosuite": "eddsa-rdfc-2022",
                    "proofPurpose": "authentication",
                }
            },
            "unsupported proof purpose authentication",
        ),
        (
            {
                "proof": {
                    "type": "DataIntegrityProof",
                    "cryptosuite": "eddsa-rdfc-2022",
                    "proofPurpose": "assertionMethod",
                }
            },
            "malformed verificationMethod",
        ),
    ],
)
def test_verify_answers_bad_documents_without_raising(document, reason):
    assert ld.verify(document, resolve=ld.resolve_portal_key).reason == reason


def test_verify_answers_a_document_that_cannot_be_canonicalised(signed):
    for change in (
        lambda d: d.update(name=None),
        lambda d: d.update(id="not an iri"),
        lambda d: d["credentialSubject"].update(type=["NoSuchType"]),
        lambda d: d.update({"@context": 42}),
        lambda d: d.update({"@context": [ld.CREDENTIALS_V2, {"@version": "nonsense"}]}),
        lambda d: d.update(name="bell\x07"),
    ):
        document = copy.deepcopy(signed)
        change(document)
        check = ld.verify(document, resolve=ld.resolve_portal_key)
        assert not check.ok
        assert check.reason.startswith("canonicalisation failed: "), check.reason


def test_a_resolver_that_rejects_the_method_counts_as_unknown(signed):
    def resolve(vm: str):
        raise ValueError("not a DID I know")

    assert ld.verify(signed, resolve=resolve).reason.startswith("unknown verification method")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["credentialSubject"]["achievement"].update(sltHour=80), "'sltHour'"),
        (lambda d: d["credentialSubject"].update(finalMark=Decimal("78.50")), "Decimal"),
        (lambda d: d.update(validFrom=datetime(2026, 7, 1, tzinfo=UTC)), "datetime"),
        (lambda d: d.update(name=None), "null"),
        (lambda d: d.update({"@unknown": 1}), "keyword"),
    ],
)
def test_sign_refuses_what_would_not_be_signed(change, message):
    # DOMAIN R-CR-3: nothing is silently left out of the signature.
    document = ob_credential()
    change(document)
    with pytest.raises(ld.CanonicalisationError, match=message):
        ld.sign(document, key=ld.current_signing_key())


def test_sign_refuses_a_signed_document_and_a_naive_time(signed):
    with pytest.raises(ValueError, match="already has a proof"):
        ld.sign(signed, key=ld.current_signing_key())
    with pytest.raises(ValueError, match="naive"):
        ld.sign(ob_credential(), key=ld.current_signing_key(), created=datetime(2026, 7, 1))


def test_a_status_list_credential_signs_and_verifies():
    # DOMAIN R-CR-5: the machine-verifiable status is itself signed.
    url = "https://mc.example.edu/credentials/status/revocation/0"
    document = ld.status_list_credential(
        url=url,
        purpose="revocation",
        encoded_list=ld.encode_list(ld.bit_set(ld.new_list(), 7, True)),
        issuer=ld.portal_did(),
        valid_from=datetime(2026, 7, 1, tzinfo=UTC),
    )
    signed = ld.sign(document, key=ld.current_signing_key())
    assert ld.verify(signed, resolve=ld.resolve_portal_key).ok
    flipped = copy.deepcopy(signed)
    flipped["credentialSubject"]["encodedList"] = ld.encode_list(ld.new_list())
    assert not ld.verify(flipped, resolve=ld.resolve_portal_key).ok


# --- keys, rotation and the DID document (d) -------------------------------------------------


@pytest.fixture
def two_keys(settings) -> tuple[ld.SigningKey, ld.SigningKey]:
    current, retired = ld.SigningKey.generate("key-2026"), ld.SigningKey.generate("key-2025")
    settings.CREDENTIAL_SIGNING_KEYS = f"{current.config_entry()}, {retired.config_entry()}"
    return current, retired


def test_the_first_configured_key_signs_and_the_did_document_lists_every_key(two_keys):
    # DOMAIN R-CR-3: rotation keeps retired keys published.
    current, retired = two_keys
    assert [k.key_id for k in ld.portal_keys()] == ["key-2026", "key-2025"]
    assert ld.current_signing_key().public_key_multibase == current.public_key_multibase
    did = ld.portal_did()
    assert ld.did_document() == {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": f"{did}#key-2026",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": current.public_key_multibase,
            },
            {
                "id": f"{did}#key-2025",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": retired.public_key_multibase,
            },
        ],
        "assertionMethod": [f"{did}#key-2026", f"{did}#key-2025"],
    }
    assert retired.public_key_multibase.startswith("z6Mk")


def test_the_did_document_is_valid_json_ld_with_nothing_dropped(two_keys):
    assert "<https://w3id.org/security#publicKeyMultibase>" in ld.canonicalize(ld.did_document())


def test_a_credential_signed_by_a_retired_key_still_verifies(settings, two_keys):
    # DOMAIN R-CR-3
    current, retired = two_keys
    settings.CREDENTIAL_SIGNING_KEYS = retired.config_entry()
    old = ld.sign(ob_credential(), key=ld.current_signing_key())
    assert old["proof"]["verificationMethod"].endswith("#key-2025")
    settings.CREDENTIAL_SIGNING_KEYS = f"{current.config_entry()},{retired.config_entry()}"
    assert ld.verify(old, resolve=ld.resolve_portal_key).ok
    new = ld.sign(ob_credential(), key=ld.current_signing_key())
    assert new["proof"]["verificationMethod"].endswith("#key-2026")
    assert ld.verify(new, resolve=ld.resolve_portal_key).ok
    # A key withdrawn outright (compromised) no longer verifies what it signed.
    settings.CREDENTIAL_SIGNING_KEYS = current.config_entry()
    assert ld.verify(old, resolve=ld.resolve_portal_key).reason.startswith("unknown verification method")


@pytest.mark.parametrize(
    ("base_url", "did", "document_url"),
    [
        ("https://mc.unimas.my", "did:web:mc.unimas.my", "https://mc.unimas.my/.well-known/did.json"),
        ("http://127.0.0.1:8000", "did:web:127.0.0.1%3A8000", "http://127.0.0.1:8000/.well-known/did.json"),
        (
            "https://www.unimas.my/mc/portal",
            "did:web:www.unimas.my:mc:portal",
            "https://www.unimas.my/mc/portal/did.json",
        ),
        ("https://MC.Unimas.MY:8443", "did:web:mc.unimas.my%3A8443", "https://MC.Unimas.MY:8443/.well-known/did.json"),
    ],
)
def test_portal_did_follows_the_did_web_rules(settings, base_url, did, document_url):
    settings.PUBLIC_BASE_URL = base_url
    assert ld.portal_did() == did
    assert ld.did_document_url() == document_url


def test_development_key_is_made_once_with_owner_only_permissions(settings, tmp_path):
    settings.CREDENTIAL_SIGNING_KEYS = ""
    settings.VAR_DIR = tmp_path
    first = ld.portal_keys()
    key_file = tmp_path / "credential-signing-keys"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first) == 1
    assert key_file.read_text().strip() == first[0].config_entry()
    assert [p.name for p in tmp_path.iterdir()] == ["credential-signing-keys"]  # no temporary file left
    # Another process (a fresh cache) reads the same key rather than making a new one.
    ld.keys._keys_for.cache_clear()
    assert ld.portal_keys()[0].public_key_multibase == first[0].public_key_multibase
    assert not (ROOT / "credential-signing-keys").exists()


def test_production_without_keys_refuses(settings, tmp_path):
    settings.CREDENTIAL_SIGNING_KEYS = ""
    settings.PRODUCTION = True
    settings.VAR_DIR = tmp_path
    with pytest.raises(ImproperlyConfigured, match="CREDENTIAL_SIGNING_KEYS must be set in production"):
        ld.portal_keys()
    assert not (tmp_path / "credential-signing-keys").exists()


def test_production_settings_refuse_to_start_without_signing_keys(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"CREDENTIAL_SIGNING_KEYS", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="mcportal.settings",
        MCPORTAL_ENV="production",
        SECRET_KEY="s" * 60,
        IDENTITY_ENCRYPTION_KEY="i" * 40,
        ALLOWED_HOSTS="mc.unimas.my",
        MCPORTAL_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "CREDENTIAL_SIGNING_KEYS must be set in production" in result.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "has no keys"),
        (" , ", "has no keys"),
        ("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq", "item 1 must be"),
        ("key 1:z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq", "item 1 must be"),
        (
            "k:z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq,k:z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",
            "twice",
        ),
        ("k:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "not an Ed25519 secretKeyMultibase"),
        ("k:secret-in-clear-text", "not an Ed25519 secretKeyMultibase"),
    ],
)
def test_bad_key_configuration_is_named_without_echoing_the_secret(value, message):
    with pytest.raises(ImproperlyConfigured, match=message) as error:
        ld.parse_signing_keys(value)
    assert "z3u2en7t5" not in str(error.value)
    assert "secret-in-clear-text" not in str(error.value)


def test_keygen_prints_a_usable_configuration_item(capsys):
    call_command("credential_keygen", "--key-id", "key-2027")
    out, err = capsys.readouterr()
    (key,) = ld.parse_signing_keys(out.strip())
    assert key.key_id == "key-2027"
    assert key.public_key_multibase in err
    assert "first" in err
    assert out.strip() not in err


def test_signing_key_repr_hides_the_secret():
    key = ld.SigningKey.generate("key-x")
    assert key.secret_key_multibase() not in repr(key)
    with pytest.raises(ValueError, match="key id"):
        ld.SigningKey.generate("bad id")


@pytest.mark.parametrize(
    "vm",
    [
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkOther",
        "did:key:zNotBase58!",
        "did:key:z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",
        "did:web:example.com#key-1",
        "",
    ],
)
def test_resolve_did_key_answers_none_for_anything_else(vm):
    assert ld.resolve_did_key(vm) is None


def test_base58_keeps_leading_zero_bytes():
    for data in (b"", b"\0", b"\0\0\x01", bytes(range(40))):
        assert base58btc_decode(base58btc_encode(data)) == data
