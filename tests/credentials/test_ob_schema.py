"""Issued credentials conform to the official 1EdTech Open Badges 3.0 AchievementCredential JSON
Schema (pinned and fetched like the JSON-LD contexts: credentials/contexts/sources.json, decision
0122), validated with jsonschema."""

from __future__ import annotations

import copy
import json

import pytest
from jsonschema import Draft201909Validator

from credentials.contexts import fetch
from credentials.policies import OB_SCHEMA_URL
from tests.credentials.builders import issued

pytestmark = pytest.mark.django_db


def official_schema(url: str) -> Draft201909Validator:
    """A validator for one of the pinned official schemas (credentials/contexts/sources.json)."""
    (entry,) = [e for e in fetch.load_sources(kind="schemas") if e["url"] == url]
    assert fetch.cached_ok(entry), "run `python credentials/contexts/fetch.py` (bin/test does)"
    schema = json.loads((fetch.CACHE_DIR / entry["file"]).read_text(encoding="utf-8"))
    assert schema["$id"] == url
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema)


@pytest.fixture(scope="module")
def validator() -> Draft201909Validator:
    return official_schema(OB_SCHEMA_URL)


def _errors(validator, document) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def test_an_issued_credential_validates_against_the_official_ob3_schema(validator):
    credential = issued()
    assert _errors(validator, credential.document) == []
    assert credential.document["credentialSchema"][0]["id"] == OB_SCHEMA_URL
    # Issue 16: the badge and issuer images are present, as OB 3.0 Image objects.
    image = credential.document["credentialSubject"]["achievement"]["image"]
    assert (
        image["type"] == "Image" and image["id"].endswith("/badge.png") and credential.course_code in image["caption"]
    )
    assert credential.document["issuer"]["image"]["type"] == "Image"
    broken = copy.deepcopy(credential.document)
    broken["credentialSubject"]["achievement"]["image"] = {"id": image["id"], "type": "Picture"}
    assert any("achievement/image" in error for error in _errors(validator, broken))


def test_the_schema_refuses_what_the_portal_used_to_issue(validator):
    # Two status entries (revocation and suspension) in a list: OB 3.0 allows one, as an object.
    document = copy.deepcopy(issued().document)
    entry = document["credentialStatus"]
    document["credentialStatus"] = [entry, {**entry, "statusPurpose": "suspension"}]
    assert any(error.startswith("credentialStatus:") for error in _errors(validator, document))
    del document["credentialStatus"]
    document["credentialSubject"]["identifier"][0]["hashed"] = "yes"
    assert _errors(validator, document)
