"""The one bounded JSON reader (core/safejson.py) and its doors: the API's parser, the
verification upload and paste, and a body too large for Django. Every refusal is a 4xx in the
caller's format, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from core import safejson


# --- The reader -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"a": [1, 2, {"b": null}]}', {"a": [1, 2, {"b": None}]}),
        (b'\xef\xbb\xbf{"a": 1}', {"a": 1}),  # a BOM is allowed
        ('{"x": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', {"x": "[" * 68}),
        ('{"q": "a \\" [ ] { } \\\\"}', {"q": 'a " [ ] { } \\'}),  # brackets inside strings do not nest
    ],
)
def test_reader_parses_json_within_the_bounds(raw, expected):
    assert safejson.loads(raw) == expected


def test_reader_takes_exactly_the_deepest_nesting_allowed():
    value = safejson.loads("[" * 64 + "]" * 64)
    depth = 0
    while isinstance(value, list):
        depth += 1
        value = value[0] if value else None
    assert depth == 64


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("[" * 65 + "]" * 65, "json_too_deep"),
        ("[" * 100_000, "json_too_deep"),
        ('{"a":' * 80_000 + "1" + "}" * 80_000, "json_too_deep"),
        ("{" + '"k": 1' * 3, "json_invalid"),
        ("", "json_invalid"),
        ("[1, 2", "json_invalid"),
        (b"\xff\xfe{}", "json_not_utf8"),
        ('{"n": ' + "9" * 41 + "}", "json_number_too_long"),
        ('{"n": 1.' + "5" * 40 + "}", "json_number_too_long"),
        ('{"n": NaN}', "json_not_a_number"),
        ('{"n": -Infinity}', "json_not_a_number"),
    ],
)
def test_reader_refuses_what_is_out_of_bounds_with_a_code(raw, code):
    with pytest.raises(safejson.JsonInputError) as refused:
        safejson.loads(raw)
    assert refused.value.code == code
    assert refused.value.status == 400
    assert refused.value.message


def test_reader_refuses_a_body_over_the_size_limit_as_413():
    with pytest.raises(safejson.JsonInputError) as refused:
        safejson.loads(b"[" + b"1," * 600 + b"1]", max_bytes=1000)
    assert (refused.value.code, refused.value.status) == ("json_too_large", 413)
    assert "1000" not in refused.value.message and "KB" in refused.value.message


# --- The API's parser (every JSON API) ------------------------------------------------------------
VERIFY_API = "/api/v1/credentials/verify/"


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_api_answers_deep_nesting_with_a_json_400(depth):
    response = APIClient().post(VERIFY_API, data="[" * depth + "]" * depth, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "json_too_deep"


@pytest.mark.django_db
def test_api_answers_a_20_mb_body_with_a_json_413():
    body = b'{"a": "' + b"x" * (20 * 1024 * 1024) + b'"}'
    response = APIClient().post(VERIFY_API, data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


@pytest.mark.django_db
def test_api_answers_broken_json_with_the_line_and_column():
    response = APIClient().post(VERIFY_API, data='{"a": 1,\n "b": }', content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "json_invalid"
    assert "line 2" in error["message"]


# --- Pages: the verification upload and paste -------------------------------------------------------
@pytest.mark.django_db
def test_verify_page_refuses_a_deeply_nested_paste_in_the_page():
    response = Client().post("/verify/", {"text": "[" * 100_000})
    assert response.status_code == 400
    assert b"levels deep" in response.content
    assert b"<form" in response.content  # the page itself, with the form to try again


@pytest.mark.django_db
def test_verify_page_refuses_a_deeply_nested_file_in_the_page():
    from django.core.files.uploadedfile import SimpleUploadedFile

    nested = SimpleUploadedFile("deep.json", b"[" * 200_000 + b"]" * 200_000, content_type="application/json")
    response = Client().post("/verify/", {"file": nested})
    assert response.status_code == 400
    assert b"levels deep" in response.content


@pytest.mark.django_db
def test_a_body_over_djangos_limit_gets_a_readable_page_not_bad_request():
    response = Client().post("/verify/", {"text": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    html = response.content.decode()
    assert "larger than 2.5 MB" in html
    assert "<html" in html.lower()


@pytest.mark.django_db
def test_a_form_body_over_djangos_limit_on_the_api_gets_json():
    # /api/v1/credentials/verify/ takes JSON or a PDF only (415 for a form), so an API that
    # takes forms too: the SLT calculator, as any signed-in person.
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory())
    response = client.post("/api/v1/slt/calculate/", {"text": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "request_too_large"
