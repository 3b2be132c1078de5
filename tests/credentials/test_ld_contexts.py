"""JSON-LD contexts offline: the pinned sources, the fetch script's checks, the allowlisting
loader and the portal's own context; canonicalisation refuses what it would drop (R-CR-3)."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from credentials import ld
from credentials.contexts import fetch

ROOT = Path(__file__).resolve().parents[2]


def test_every_pinned_source_is_complete_and_cached():
    entries = fetch.load_sources()
    assert {e["url"] for e in entries} == {
        ld.CREDENTIALS_V2,
        ld.OPEN_BADGES_V3,
        ld.DATA_INTEGRITY_V2,
        ld.MULTIKEY_V1,
        ld.DID_V1,
    }
    for entry in entries:
        assert entry["integrity"].startswith("sha512-")
        assert entry["tarball"].startswith("https://registry.npmjs.org/")
        assert fetch.cached_ok(entry), entry["url"]
    # Plus 1EdTech's CLR 2.0 context, kept in the repo (no registry ships it; decision 0166).
    expected = {e["url"] for e in entries} | {ld.own_context_url(), ld.CLR_V2}
    assert set(ld.default_loader().allowed_urls()) == expected


def test_the_cache_is_not_in_the_repository():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "credentials/contexts/cache/credentials-v2.json"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0


def test_the_fetch_script_is_quick_when_everything_is_cached():
    result = subprocess.run(
        [sys.executable, "credentials/contexts/fetch.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    # 5 contexts, 2 for wallet presentations only, the OB 3.0 credential and profile schemas
    assert "9 JSON-LD contexts and schemas ready" in result.stdout


def test_an_empty_cache_is_reported_with_the_command_to_run(tmp_path):
    with pytest.raises(fetch.ContextFetchError, match=r"run `python credentials/contexts/fetch.py`"):
        fetch.fetch_contexts(tmp_path, offline=True)
    result = subprocess.run(
        [sys.executable, "credentials/contexts/fetch.py", "--check", "--cache-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "credentials/contexts/fetch.py" in result.stderr


def test_a_changed_cached_context_no_longer_counts_as_cached(tmp_path):
    entry = fetch.load_sources()[0]
    (tmp_path / entry["file"]).write_bytes((fetch.CACHE_DIR / entry["file"]).read_bytes().replace(b"@id", b"@ID", 1))
    assert not fetch.cached_ok(entry, tmp_path)


def test_the_tarball_integrity_check_rejects_other_bytes():
    fetch._check_integrity(
        b"abc", "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==", "x"
    )
    with pytest.raises(fetch.ContextFetchError, match="integrity mismatch"):
        fetch._check_integrity(
            b"abd",
            "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==",
            "x",
        )
    with pytest.raises(fetch.ContextFetchError, match="only sha512 or sha256"):
        fetch._check_integrity(b"abc", "sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0=", "x")


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_a_file_is_taken_from_the_tarball_by_its_exact_path():
    tarball = _tarball({"package/contexts/v1.jsonld": b'{"@context": {}}'})
    assert fetch._member_bytes(tarball, "package/contexts/v1.jsonld", "x") == b'{"@context": {}}'
    with pytest.raises(fetch.ContextFetchError, match=r"no package/other\.jsonld"):
        fetch._member_bytes(tarball, "package/other.jsonld", "x")


@pytest.mark.parametrize(
    "module",
    [
        '/* header */\n"use strict";\nmodule.exports = {"@context": {"url": {"@id": "https://schema.org/url"}}};\n',
        'module.exports={"@context": {"url": {"@id": "https://schema.org/url"}}}',
        'export default {"@context": {"url": {"@id": "https://schema.org/url"}}};',
    ],
)
def test_a_commonjs_context_module_is_read_as_json(module):
    assert fetch.extract_json(module.encode(), "commonjs") == {"@context": {"url": {"@id": "https://schema.org/url"}}}


@pytest.mark.parametrize(
    ("module", "message"),
    [
        ("module.exports = {'@context': {}};", "not strict JSON"),
        ('module.exports = {"@context": {}, };', "not strict JSON"),
        ('module.exports = {"@context": {}}; module.exports.extra = 1;', "unexpected text"),
        ('const x = {"@context": {}};', "no 'module.exports"),
    ],
)
def test_a_module_that_is_not_plain_json_is_refused_not_guessed(module, message):
    with pytest.raises(fetch.ContextFetchError, match=message):
        fetch.extract_json(module.encode(), "commonjs")


def test_the_open_badges_context_from_its_js_module_is_the_pinned_one():
    cached = json.loads((fetch.CACHE_DIR / "ob-v3p0-context-3.0.3.json").read_bytes())
    assert (
        cached["@context"]["OpenBadgeCredential"]["@id"]
        == "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
    )


# --- the loader -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/context.jsonld",
        "https://www.w3.org/ns/credentials/examples/v2",
        "https://www.w3.org/2018/credentials/v1",
        "http://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/v2/",
        "https://mc.unimas.my/ns/mcportal/v1",
        "file:///etc/passwd",
    ],
)
def test_the_loader_refuses_any_url_not_on_its_list(url):
    # DOMAIN R-CR-3
    with pytest.raises(ld.ContextNotAllowedError, match="not one this portal loads"):
        ld.default_loader()(url, {})
    document = {"@context": [ld.CREDENTIALS_V2, url], "type": "VerifiableCredential"}
    with pytest.raises(ld.ContextNotAllowedError) as error:
        ld.canonicalize(document)
    assert error.value.url == url


def test_the_loader_never_touches_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("network I/O while canonicalising")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    loader = ld.DocumentLoader()  # nothing cached yet: every context is loaded through it
    document = {
        "@context": [ld.CREDENTIALS_V2, ld.OPEN_BADGES_V3, ld.own_context_url()],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": "did:web:mc.unimas.my",
        "serialNumber": "X-1",
    }
    assert "X-1" in ld.canonicalize(document, loader=loader)
    assert ld.default_loader()(ld.DID_V1, {})["document"]["@context"]["@protected"] is True
    assert ld.default_loader()(ld.MULTIKEY_V1, {})["document"]["@context"]["Multikey"]


def test_the_loader_hands_out_copies():
    first = ld.default_loader()(ld.CREDENTIALS_V2, {})["document"]
    first["@context"]["id"] = "tampered"
    assert ld.default_loader()(ld.CREDENTIALS_V2, {})["document"]["@context"]["id"] == "@id"


def test_a_context_one_loader_allows_does_not_leak_into_another():
    url = "https://example.org/extra/v1"
    document = {"@context": [ld.CREDENTIALS_V2, url], "type": "VerifiableCredential", "thing": "a"}
    extra = ld.DocumentLoader(extra={url: {"@context": {"thing": "https://example.org/extra#thing"}}})
    assert "<https://example.org/extra#thing>" in ld.canonicalize(document, loader=extra)
    with pytest.raises(ld.ContextNotAllowedError):
        ld.canonicalize(document)


# --- the portal's own context ----------------------------------------------------------------


def test_own_context_is_served_for_the_configured_base_url(settings):
    settings.PUBLIC_BASE_URL = "https://mc.unimas.my"
    assert ld.own_context_url() == "https://mc.unimas.my/ns/mcportal/v1"
    assert ld.own_vocabulary() == "https://mc.unimas.my/ns/mcportal#"
    context = ld.own_context()["@context"]
    assert context["mcp"] == "https://mc.unimas.my/ns/mcportal#"
    assert context["@protected"] is True
    assert "__PUBLIC_BASE_URL__" not in json.dumps(ld.own_context())
    assert ld.default_loader()("https://mc.unimas.my/ns/mcportal/v1", {})["document"] == ld.own_context()
    with pytest.raises(ld.ContextNotAllowedError):
        ld.default_loader()("http://127.0.0.1:8000/ns/mcportal/v1", {})
    ld.own_context()["@context"]["mcp"] = "changed"
    assert ld.own_context()["@context"]["mcp"] == "https://mc.unimas.my/ns/mcportal#"


OWN_TERMS = {
    "serialNumber": ("X-1", '"X-1"'),
    "programme": ("Bachelor of Computer Science", '"Bachelor of Computer Science"'),
    "institutionStatus": ("Public university", '"Public university"'),
    "mqfLevel": (6, '"6"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    "sltHours": ("80.5", '"80.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
    "deliveryMode": ("Online", '"Online"'),
    "modeOfStudy": ("Part-time", '"Part-time"'),
    "durationText": ("8 weeks", '"8 weeks"'),
    "languageOfInstruction": ("English", '"English"'),
    "enrolmentRequirements": ("STPM", '"STPM"'),
    "qualityAssurance": (["MQA accredited"], '"MQA accredited"'),
    "formativePercent": ("40", '"40"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
    "summativePercent": ("60", '"60"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
    "finalMark": ("78.50", '"78.50"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
    "verificationContact": ("cflex@unimas.my", '"cflex@unimas.my"'),
    "replaces": ("https://mc.unimas.my/c/1.json", "<https://mc.unimas.my/c/1.json>"),
}


@pytest.mark.parametrize("term", sorted(OWN_TERMS))
def test_each_own_term_maps_into_the_portal_vocabulary_with_its_type(settings, term):
    settings.PUBLIC_BASE_URL = "https://mc.unimas.my"
    value, rdf = OWN_TERMS[term]
    document = {
        "@context": [ld.CREDENTIALS_V2, ld.OPEN_BADGES_V3, ld.own_context_url()],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential"],
        term: value,
    }
    assert f"<urn:uuid:1> <https://mc.unimas.my/ns/mcportal#{term}> {rdf} .\n" in ld.canonicalize(document)


def test_learning_outcomes_are_an_ordered_list_of_typed_entries(settings):
    settings.PUBLIC_BASE_URL = "https://mc.unimas.my"
    document = {
        "@context": [ld.CREDENTIALS_V2, ld.OPEN_BADGES_V3, ld.own_context_url()],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential"],
        "credentialSubject": {
            "type": "AchievementSubject",
            "achievement": {
                "id": "urn:uuid:2",
                "type": "Achievement",
                "learningOutcomes": [{"position": 1, "outcome": "Explain RDF.", "attainment": "Achieved"}],
            },
        },
    }
    canonical = ld.canonicalize(document)
    assert "<urn:uuid:2> <https://mc.unimas.my/ns/mcportal#learningOutcomes> _:" in canonical
    assert "<http://www.w3.org/1999/02/22-rdf-syntax-ns#first>" in canonical
    assert (
        '<https://mc.unimas.my/ns/mcportal#outcomePosition> "1"^^<http://www.w3.org/2001/XMLSchema#integer>'
        in canonical
    )
    assert '<https://mc.unimas.my/ns/mcportal#outcome> "Explain RDF."' in canonical
    assert '<https://mc.unimas.my/ns/mcportal#attainment> "Achieved"' in canonical


def test_own_terms_cannot_redefine_protected_ones():
    document = {
        "@context": [ld.CREDENTIALS_V2, ld.own_context_url(), {"sltHours": "https://evil.example/hours"}],
        "type": "VerifiableCredential",
        "sltHours": 1,
    }
    with pytest.raises(ld.CanonicalisationError, match="protected term redefinition"):
        ld.canonicalize(document)


# --- canonicalisation refuses rather than drops -----------------------------------------------


def _vc(**fields):
    return {"@context": [ld.CREDENTIALS_V2], "id": "urn:uuid:1", "type": ["VerifiableCredential"], **fields}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (_vc(unknownTerm="x"), "'unknownTerm'"),
        (_vc(credentialSubject={"nickname": "x"}), "'nickname'"),
        (
            {"@context": [ld.CREDENTIALS_V2, {"gone": None}], "gone": "x", "type": "VerifiableCredential"},
            "mapped to null",
        ),
        (_vc(**{"@bogus": "x"}), "looks like a JSON-LD keyword"),
        (_vc(id="relative/path"), "not an absolute IRI"),
        (_vc(issuer="issuers/1"), "not an absolute IRI"),
        (_vc(issuer="https://exa mple.org/"), "not an absolute IRI"),
        (_vc(type=["VerifiableCredential", "MadeUpType"]), "'MadeUpType' is not an absolute IRI"),
        (_vc(name=None), "null"),
        (_vc(name=["a", None]), "null"),
        (_vc(name={"@value": "x", "@language": "not a tag"}), "language tag"),
        (_vc(name={"@value": "x", "@language": "ar", "@direction": "rtl"}), "@direction"),
        (_vc(name="form\x0cfeed"), r"U\+000C"),
        (_vc(name="nul\x00"), r"U\+0000"),
        (_vc(name="del\x7f"), r"U\+007F"),
        (_vc(name=float("inf")), "JSON cannot carry"),
        (_vc(name=b"bytes"), "bytes, not a JSON value"),
        ([_vc()], "must be a JSON object"),
        ({"@context": 5, "type": "x"}, "JSON-LD processing failed"),
        (
            {"@context": [ld.CREDENTIALS_V2, {"@import": "https://evil.example/c"}], "type": "x"},
            "not one this portal loads",
        ),
    ],
)
def test_canonicalisation_refuses_what_rdf_would_silently_drop(document, message):
    # DOMAIN R-CR-3
    with pytest.raises(ld.CanonicalisationError, match=message):
        ld.canonicalize(document)


def test_tab_line_feed_and_carriage_return_are_escaped_as_rdfc_wants():
    canonical = ld.canonicalize(_vc(name='a\tb\nc\rd"e\\f'))
    assert '<https://schema.org/name> "a\\tb\\nc\\rd\\"e\\\\f" .' in canonical


def test_canonical_form_is_independent_of_key_order_and_blank_node_labels():
    one = _vc(credentialSubject={"name": "X"}, name="A", description="B")
    two = {"description": "B", "name": "A", "credentialSubject": {"name": "X"}, **_vc()}
    assert ld.canonicalize(one) == ld.canonicalize(two)
    assert "_:c14n0" in ld.canonicalize(one)


def test_the_own_context_file_has_no_duplicate_terms():
    # json.loads keeps the last of two equal keys silently; the file must not depend on that.
    def no_duplicates(pairs):
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
        return dict(pairs)

    json.loads(ld.contexts.OWN_CONTEXT_FILE.read_text(encoding="utf-8"), object_pairs_hook=no_duplicates)
