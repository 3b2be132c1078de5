"""Canonicalising once, and only what changes (issue 15, decision 0140): the fast path (one
expansion, processed contexts kept for the process, Oxigraph's RDFC-1.0, the proof
configuration's canonical form computed once) gives byte for byte what pyld's own full
normalize() and URDNA2015 give, on the W3C eddsa-rdfc-2022 vector and on the portal's
credentials (R-CR-3)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from credentials import ld
from credentials.ld.canon import canonicalize_with_pyld, rdfc10
from credentials.ld.proofs import canonical_proof_configuration
from tests.credentials.test_signing import ob_credential

VECTORS = Path(__file__).parent / "vectors" / "eddsa-rdfc-2022"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"


def _json(name: str) -> Any:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


@pytest.fixture
def vector_loader() -> ld.DocumentLoader:
    return ld.DocumentLoader(extra={EXAMPLES_V2: _json("credentials-examples-v2.jsonld")})


def _texts() -> list[str]:
    return [
        "tab\there",
        'a "quote" and a \\ backslash',
        "line\nfeed and carriage\rreturn",
        "emoji \U0001f600, Jawi \u062c\u0627\u0648\u064a, Tamil \u0ba4\u0bae\u0bbf\u0bb4\u0bcd, \u4e2d\u6587",
        "line separator \u2028 and no-break\u00a0space",
        "<not> an IRI & _:b0",
    ]


# DOMAIN R-CR-3
@pytest.mark.parametrize("text", _texts())
def test_the_fast_path_matches_pyld_on_a_portal_credential(text):
    document = ob_credential()
    document["name"] = text
    document["credentialSubject"]["achievement"]["description"] = text
    assert ld.canonicalize(document) == canonicalize_with_pyld(document)


# DOMAIN R-CR-3
def test_the_fast_path_matches_pyld_and_the_w3c_vector(vector_loader):
    for name, expected in (
        ("unsigned.json", "canonDocDataInt.txt"),
        ("proofConfigDataInt.json", "proofCanonDataInt.txt"),
    ):
        document = _json(name)
        published = (VECTORS / expected).read_text(encoding="utf-8")
        assert ld.canonicalize(document, loader=vector_loader) == published
        assert canonicalize_with_pyld(document, loader=vector_loader) == published


def test_a_signed_status_list_and_the_did_document_match_pyld():
    status_list = ld.status_list_credential(
        url="https://mc.example.edu/credentials/status/revocation/1",
        purpose="revocation",
        encoded_list=ld.encode_list(ld.new_list()),
        issuer=ld.portal_did(),
        valid_from=datetime(2026, 7, 1, tzinfo=UTC),
    )
    for document in (status_list, ld.did_document()):
        assert ld.canonicalize(document) == canonicalize_with_pyld(document)


def test_blank_nodes_are_labelled_by_rdfc10_not_by_input_order():
    document = ob_credential()
    swapped = copy.deepcopy(document)
    swapped["credentialSubject"]["identifier"].reverse()
    canonical = ld.canonicalize(document)
    assert canonical == ld.canonicalize(swapped) == canonicalize_with_pyld(swapped)
    assert "_:c14n0" in canonical and "_:b0" not in canonical


def test_rdfc10_sorts_lines_by_code_point_and_relabels_blank_nodes():
    nquads = '_:x <http://e.org/p> "b" .\n_:y <http://e.org/p> _:x .\n<http://e.org/s> <http://e.org/p> _:y .\n'
    canonical = rdfc10(nquads)
    lines = canonical.splitlines()
    assert lines == sorted(lines) and len(lines) == 3
    assert "_:x" not in canonical and "_:c14n0" in canonical


def test_processed_contexts_are_kept_for_the_process():
    loader = ld.DocumentLoader()
    ld.canonicalize(ob_credential(), loader=loader)
    kept = len(loader.processed_contexts)
    assert kept > 5  # the credential's contexts and the type-scoped ones its nodes use
    other = ob_credential()
    other["name"] = "Another course"
    ld.canonicalize(other, loader=loader)
    assert len(loader.processed_contexts) == kept  # nothing processed again
    # What one loader kept never serves another (the vector's own context stays its loader's).
    assert len(ld.DocumentLoader().processed_contexts) == 0


def _proof_config(**changes: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-07-01T08:30:00Z",
        "verificationMethod": ld.verification_method_id(ld.current_signing_key()),
        "proofPurpose": "assertionMethod",
        "@context": [ld.CREDENTIALS_V2, ld.OPEN_BADGES_V3, ld.own_context_url()],
    }
    config.update(changes)
    return {k: v for k, v in config.items() if v is not None}


# DOMAIN R-CR-3
@pytest.mark.parametrize(
    "created", ["2026-07-01T08:30:00Z", "1999-12-31T23:59:59Z", "2026-07-01T08:30:00.123Z", "2000-01-01T00:00:00Z"]
)
def test_the_kept_proof_configuration_gives_the_full_canonical_form(created):
    config = _proof_config(created=created)
    loader = ld.DocumentLoader()
    canonical_proof_configuration(_proof_config(), loader=loader)  # keeps the template
    assert len(loader.proof_configurations) == 1
    assert canonical_proof_configuration(config, loader=loader) == canonicalize_with_pyld(config)
    assert f'"{created}"^^<http://www.w3.org/2001/XMLSchema#dateTime>' in canonical_proof_configuration(
        config, loader=loader
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"created": "2026-07-01 08:30:00"},  # not a dateTimeStamp: canonicalised in full
        {"created": "2026-07-01T08:30:00+08:00"},
        {"verificationMethod": "_:key"},  # a second blank node: labels could depend on the time
        {"proofPurpose": "authentication"},
        {"created": None},
    ],
)
def test_an_unusual_proof_configuration_is_canonicalised_in_full(changes):
    config = _proof_config(**changes)
    loader = ld.DocumentLoader()
    canonical_proof_configuration(_proof_config(), loader=loader)
    assert canonical_proof_configuration(config, loader=loader) == canonicalize_with_pyld(config, loader=loader)


def test_verification_still_refuses_a_proof_with_a_changed_time():
    signed = ld.sign(ob_credential(), key=ld.current_signing_key(), created=datetime(2026, 7, 1, tzinfo=UTC))
    assert ld.verify(signed, resolve=ld.resolve_portal_key).ok
    signed["proof"]["created"] = "2026-07-01T00:00:01Z"
    check = ld.verify(signed, resolve=ld.resolve_portal_key)
    assert not check.ok and "changed" in check.reason


def test_a_node_shared_by_a_batch_is_expanded_once_and_gives_the_same_form():
    loader = ld.DocumentLoader()
    documents = []
    for n in range(3):
        document = ob_credential()
        document["id"] = f"https://mc.example.edu/credentials/{n}.json"
        document["credentialSubject"]["identifier"][1]["identityHash"] = f"Learner {n}"
        documents.append(document)
    canonical = [ld.canonicalize(d, loader=loader) for d in documents]
    kept = [entry for entry in loader.expanded_nodes._entries.values() if len(entry) == 3]
    assert kept, "the achievement every credential shares is kept after the second"
    assert canonical == [canonicalize_with_pyld(d) for d in documents]


# DOMAIN R-CR-3
def test_a_shared_node_with_an_undefined_term_is_refused_every_time():
    loader = ld.DocumentLoader()
    document = ob_credential()
    document["credentialSubject"]["achievement"]["notInAnyContext"] = "x"
    for _ in range(3):
        with pytest.raises(ld.CanonicalisationError, match="notInAnyContext"):
            ld.canonicalize(document, loader=loader)


# DOMAIN R-CR-3 (issue 16): a CLR transcript embeds signed credentials whose ``proof`` is a named
# graph (a blank-node graph name); the fast path must keep it, as pyld does, or a changed embedded
# proof would go unnoticed by the transcript's own signature.
def test_the_fast_path_keeps_an_embedded_credentials_proof_graph():
    inner = ld.sign(ob_credential(), key=ld.SigningKey.generate("inner"))
    document = {
        "@context": [ld.CREDENTIALS_V2, ld.CLR_V2, ld.OPEN_BADGES_V3],
        "id": "urn:uuid:6f1f5e1e-5b0e-4d1c-9e55-111111111111",
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "Example"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"type": ["ClrSubject"], "verifiableCredential": [inner]},
    }
    canonical = ld.canonicalize(document)
    assert canonical == canonicalize_with_pyld(document)
    assert inner["proof"]["proofValue"] in canonical


# Decision 0260: Oxigraph turns the expanded document into RDF. It writes native numbers,
# booleans, JSON literals and doubles in its own forms and silently drops a triple whose IRI or
# language tag it will not accept; the portal hands it pyld's literals and counts the triples.
VOCAB = "https://vocab.example/#"


def _typed_document() -> dict[str, Any]:
    return {
        "@context": {
            "@vocab": VOCAB,
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "asDouble": {"@id": f"{VOCAB}asDouble", "@type": "xsd:double"},
            "data": {"@id": f"{VOCAB}data", "@type": "@json"},
            "steps": {"@id": f"{VOCAB}steps", "@container": "@list"},
            "nothing": {"@id": f"{VOCAB}nothing", "@container": "@list"},
            "title": {"@id": f"{VOCAB}title", "@language": "ms"},
            "link": {"@id": f"{VOCAB}link", "@type": "@id"},
        },
        "@id": "https://example.org/thing",
        "@type": "Thing",
        "one": 1.0,
        "sum": 0.30000000000000004,  # 17 digits to Oxigraph, 16 to pyld
        "huge": 10**22,
        "yes": True,
        "count": 12,
        "asDouble": "2.80",  # pyld writes the canonical double, Oxigraph the text
        "data": {"b": [1.0, 2], "a": "x"},
        "steps": [1, "two", {"@id": "https://example.org/x"}, {"name": "inner", "weight": 2.5}, 0.1],
        "nothing": [],
        "title": "Sijil",
        "link": "https://example.org/other",
        "nested": {"name": "blank", "value": 3.5, "more": {"deep": False}},
    }


def _fast_dataset(document: dict[str, Any]) -> Any:
    from credentials.ld import canon

    processor, options = canon._processor(ld.default_loader())
    expanded = canon._expand_checked(document, processor, options)
    before = copy.deepcopy(expanded)
    dataset = canon._oxigraph_dataset(processor, expanded, options)
    assert expanded == before, "the expanded form is left as it was"
    return dataset


# DOMAIN R-CR-3
def test_oxigraph_converts_the_portals_credential_and_matches_pyld():
    document = ob_credential()
    assert _fast_dataset(document) is not None
    assert ld.canonicalize(document) == canonicalize_with_pyld(document)


# DOMAIN R-CR-3
def test_oxigraph_gets_pyld_s_literals_for_numbers_booleans_json_doubles_and_lists():
    document = _typed_document()
    assert _fast_dataset(document) is not None
    canonical = ld.canonicalize(document)
    assert canonical == canonicalize_with_pyld(document)
    # What Oxigraph alone would have written "3.0000000000000004E-1" and "2.80".
    assert '"3.0E-1"^^<http://www.w3.org/2001/XMLSchema#double>' in canonical
    assert '"2.8E0"^^<http://www.w3.org/2001/XMLSchema#double>' in canonical


# DOMAIN R-CR-3
@pytest.mark.parametrize(
    "change",
    [
        {"link": "http://a/%zz"},  # an IRI pyld writes and Oxigraph will not read
        {"title": {"@value": "x", "@language": "en-a"}},  # a language tag Oxigraph will not read
    ],
)
def test_what_oxigraph_would_drop_goes_pyld_s_way_and_is_refused(change):
    document = {**_typed_document(), **change}
    assert _fast_dataset(document) is None
    with pytest.raises(ld.CanonicalisationError, match="RDF canonicalisation failed"):
        ld.canonicalize(document)


def test_a_repeated_triple_goes_pyld_s_way_with_the_same_result():
    document = _typed_document()
    document["repeated"] = ["same", "same"]  # one triple in RDF, two values counted
    assert _fast_dataset(document) is None
    assert ld.canonicalize(document) == canonicalize_with_pyld(document)


@pytest.mark.parametrize(
    "document",
    [
        {"@context": {"@vocab": VOCAB}, "@id": "https://example.org/a", "@reverse": {"knows": {"@id": "_:b"}}},
        {"@context": {"@vocab": VOCAB}, "@id": "https://example.org/a", "@included": [{"@id": "_:x", "name": "y"}]},
    ],
)
def test_reverse_and_included_go_pyld_s_way(document):
    assert _fast_dataset(document) is None
    assert ld.canonicalize(document) == canonicalize_with_pyld(document)


def _accepts(check: Any, value: Any) -> bool:
    try:
        check(value, "$")
    except ld.CanonicalisationError:
        return False
    return True


@pytest.mark.parametrize(
    "value",
    [
        {"a": "ok", "b": [1, 2.5, True, {"c": "d"}]},
        {"a": None},
        {"a": [None]},
        {1: "x"},
        {"k\x01": "x"},
        {"a": {"b\x7f": "x"}},
        {"@bogus": 1},
        {"@context": None, "a": "x"},
        {"a": float("nan")},
        {"a": b"bytes"},
        {"a": ["x", "\ufffe"]},
        {"@id": "x", "@type": "y"},
    ],
)
def test_the_quick_json_check_accepts_exactly_what_the_full_check_does(value):
    from credentials.ld import canon

    assert canon._json_clean(value) == _accepts(canon._check_json, value)


@pytest.mark.parametrize(
    "expanded",
    [
        [{"@id": "https://e.org/a", "https://e.org/p": [{"@value": "x", "@language": "ms"}]}],
        [{"@id": "https://e.org/a", "https://e.org/p": [{"@value": "x", "@index": "i"}]}],
        [{"@id": "https://e.org/a", "@index": "i"}],
        [{"@id": "relative", "https://e.org/p": [{"@value": "x"}]}],
        [{"@id": "_:b0", "@type": ["_:t"]}],
        [{"@id": "_:b0", "_:p": [{"@value": "x"}]}],
        [{"https://e.org/p": [{"@value": "x", "@type": "xsd:string"}]}],
        [{"https://e.org/p": [{"@value": "x", "@language": "e n"}]}],
        [{"https://e.org/p": [{"@value": "x", "@direction": "rtl"}]}],
        [{"https://e.org/p": [{"@list": [{"@value": "x", "@index": "i"}]}]}],
        [{"@graph": [{"@id": "nope"}]}],
        [{"@reverse": {"https://e.org/p": [{"@id": "https://e.org/b"}]}}],
        [{"@reverse": {"p": [{"@id": "https://e.org/b"}]}}],
        [{"@id": "https://e.org/a", "https://e.org/p": [{"@id": "https://e.org/b c"}]}],
    ],
)
def test_the_quick_expanded_check_accepts_exactly_what_the_full_check_does(expanded):
    from credentials.ld import canon

    assert canon._expanded_clean(expanded) == _accepts(canon._check_expanded, expanded)
