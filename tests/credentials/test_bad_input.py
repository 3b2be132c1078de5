"""Hostile input to every verification door (the page's file upload and paste, and the API): deep
nesting, a credential with one field nested 5,000 deep, 3 MB and 20 MB. Each gets a 4xx with a
readable message in the door's own format, never a 500 (core/safejson.py)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "did:key:z6Mk", "name": "Universiti Malaysia Sarawak (UNIMAS)"},
    "credentialSubject": {"type": ["AchievementSubject"]},
}


def _credential_with_a_deep_field() -> bytes:
    text = json.dumps(CREDENTIAL)
    return (text[:-1] + ', "note": ' + "[" * 5_000 + "]" * 5_000 + "}").encode()


INPUTS = {
    "array 100,000 deep": lambda: b"[" * 100_000 + b"]" * 100_000,
    "object 80,000 deep": lambda: b'{"a":' * 80_000 + b"1" + b"}" * 80_000,
    "credential with a field 5,000 deep": _credential_with_a_deep_field,
    "3 MB": lambda: b'{"a": "' + b"x" * (3 * MB) + b'"}',
    "20 MB": lambda: b'{"a": "' + b"x" * (20 * MB) + b'"}',
}
# door -> input -> (status, what the answer says)
EXPECTED = {
    "page file": {
        **dict.fromkeys(list(INPUTS)[:3], (400, "levels deep")),
        "3 MB": (400, "larger than 512 KB"),
        "20 MB": (400, "larger than 512 KB"),
    },
    "page paste": {
        **dict.fromkeys(list(INPUTS)[:3], (400, "levels deep")),
        "3 MB": (413, "larger than 2.5 MB"),
        "20 MB": (413, "larger than 2.5 MB"),
    },
    "api": {
        **dict.fromkeys(list(INPUTS)[:3], (400, "json_too_deep")),
        "3 MB": (413, "request_too_large"),
        "20 MB": (413, "request_too_large"),
    },
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("door", list(EXPECTED))
@pytest.mark.parametrize("name", list(INPUTS))
def test_hostile_input_gets_a_readable_4xx_in_the_doors_format(door, name):
    body = INPUTS[name]()
    status, says = EXPECTED[door][name]
    client = Client()
    if door == "api":
        response = client.post(reverse("api-credential-verify"), body, content_type="application/json")
        assert (response.status_code, response["Content-Type"]) == (status, "application/json")
        error = response.json()["error"]
        assert error["code"] == says and len(error["message"]) > 20
        return
    if door == "page file":
        data = {"file": SimpleUploadedFile("credential.json", body, content_type="application/json")}
    else:
        data = {"text": body.decode()}
    response = client.post(reverse("credentials:verify_lookup"), data)
    html = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert says in html
    assert "<html" in html.lower()
    if status == 400:  # the page itself, with the form to try again and the field named
        assert "<form" in html and 'aria-invalid="true"' in html


@pytest.mark.parametrize("size", [3 * MB, 20 * MB])
def test_a_browsers_oversized_paste_gets_the_page_not_a_bare_400(size):
    """As a browser sends it, with its CSRF token: the CSRF check reads the body before the view
    does, so the size limit is met in the middleware, and Django's 400 handler must still answer
    with the page (413, the limit named), not a bare "Bad Request"."""
    client = Client(enforce_csrf_checks=True)
    form = client.get(reverse("credentials:verify_lookup")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None
    response = client.post(
        reverse("credentials:verify_lookup"), {"csrfmiddlewaretoken": token.group(1), "text": "x" * size}
    )
    html = response.content.decode()
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "larger than 2.5 MB" in html and "<html" in html.lower()
