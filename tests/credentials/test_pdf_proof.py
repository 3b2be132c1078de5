"""Certificates and MMS statements that prove themselves offline (issue 16): PDF/A-3b, tagged for
screen readers, with the signed credential embedded as ``credential.json``; ``/verify/`` (page and
API) takes the PDF itself, verifies the credential inside with the one verdict, and compares the
printed facts with it. Read back with poppler's ``pdfdetach`` and with pypdf, and the extracted
credential checked by the independent verifier (R-CR-1, R-CR-3)."""

from __future__ import annotations

import copy
import io
import json
import subprocess
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credentials.pdf import certificate_pdf, mms_pdf
from credentials.services import credential_facts, credential_pdf
from tests.credentials.builders import issued
from tests.credentials.independent import independent_verdict

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def credential():
    return issued()


def _detach(pdf: bytes, tmp_path: Path) -> tuple[str, dict]:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    out = tmp_path / "extracted.json"
    subprocess.run(["pdfdetach", "-savefile", "credential.json", "-o", str(out), str(path)], check=True)
    return listing, json.loads(out.read_text())


def _upload(client, pdf: bytes):
    upload = SimpleUploadedFile("certificate.pdf", pdf, content_type="application/pdf")
    return client.post(reverse("credentials:verify_lookup"), {"file": upload})


def _api(client, pdf: bytes):
    return client.post(reverse("api-credential-verify"), pdf, content_type="application/pdf")


@pytest.mark.parametrize("kind", ["certificate", "mms"])
def test_the_pdf_carries_the_signed_credential_and_it_verifies_independently(client, credential, kind, tmp_path):
    listing, extracted = _detach(credential_pdf(credential, kind), tmp_path)
    assert "credential.json" in listing
    assert extracted == credential.document
    # What an employer does offline with any OB 3.0 verifier: the extracted file, checked from the
    # portal's published keys and status lists by a verifier that shares no code with the portal.
    assert independent_verdict(extracted, client.get) == "valid"
    tampered = copy.deepcopy(extracted)
    tampered["credentialSubject"]["result"][0]["value"] = "A+"
    assert independent_verdict(tampered, client.get).startswith("invalid")


@pytest.mark.parametrize("kind", ["certificate", "mms"])
def test_the_pdf_is_pdf_a_3b_tagged_with_its_credential_as_an_associated_file(credential, kind):
    reader = pypdf.PdfReader(io.BytesIO(credential_pdf(credential, kind)))
    # PDF/A identification in the XMP metadata (no veraPDF offline: decision 0165).
    xmp = reader.xmp_metadata
    assert xmp is not None
    description = xmp.rdf_root.toxml()
    assert 'pdfaid:part="3"' in description and 'pdfaid:conformance="B"' in description
    root = reader.trailer["/Root"]
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    # The associated file: /AF on the catalog, relationship Data, named credential.json.
    associated = [entry.get_object() for entry in root["/AF"]]
    assert {entry["/F"] for entry in associated} == {"credential.json"}
    assert {entry["/AFRelationship"] for entry in associated} == {"/Data"}
    # Tagged for screen readers: a structure tree, marked content, a language and a shown title.
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert credential.serial in (reader.metadata.title or "")


def test_verify_page_and_api_accept_the_pdf_itself(client, credential):
    pdf = credential_pdf(credential, "certificate")
    html = _upload(client, pdf).content.decode()
    assert "Valid credential" in html
    assert reverse("credentials:verify", args=[credential.verification_id]) in html
    answer = _api(client, pdf).json()
    assert answer["verdict"] == "valid" and answer["issuer_is_portal"] is True
    assert answer["verification_id"] == str(credential.verification_id)
    assert _api(client, credential_pdf(credential, "mms")).json()["verdict"] == "valid"


def test_a_pdf_with_a_changed_embedded_credential_is_not_valid(client, credential):
    tampered = copy.deepcopy(credential.document)
    tampered["credentialSubject"]["result"][0]["value"] = "A+"
    pdf = certificate_pdf(credential_facts(credential), document=tampered)
    assert "Not valid" in _upload(client, pdf).content.decode()
    answer = _api(client, pdf).json()
    assert answer["verdict"] == "invalid" and "changed" in answer["reason"]


def test_a_pdf_with_a_changed_printed_name_is_not_valid(client, credential):
    # The genuine signed credential inside, another name on the page.
    facts = replace(credential_facts(credential), learner_name="Somebody Else binti Lain")
    pdf = certificate_pdf(facts, document=credential.document)
    html = _upload(client, pdf).content.decode()
    assert "Not valid: the PDF does not show what its signed credential says" in html
    assert "learner&#x27;s name" in html
    answer = _api(client, pdf).json()
    assert answer["verdict"] == "invalid" and "name" in answer["reason"]
    other_course = replace(credential_facts(credential), course_title="Advanced Forgery")
    answer = _api(client, mms_pdf(other_course, document=credential.document)).json()
    assert answer["verdict"] == "invalid" and "course" in answer["reason"]


def test_a_pdf_without_a_credential_or_unreadable_is_400_naming_the_field(client, credential):
    bare = certificate_pdf(credential_facts(credential))
    response = _upload(client, bare)
    assert response.status_code == 400 and "no signed credential" in response.content.decode()
    answer = _api(client, bare)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "pdf_no_credential" and answer.json()["error"]["field"] == "body"
    junk = _api(client, b"%PDF-1.7\n" + b"\x00garbage" * 100)
    assert junk.status_code == 400 and junk.json()["error"]["code"] == "pdf_unreadable"
