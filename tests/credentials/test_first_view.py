"""The anonymous verification page's first view (docs/decisions/0265): it reads the columns the
database keeps of the signed document's issuer and dates instead of the document, and its one
query is a prepared statement on PostgreSQL. The page it makes is the model path's, byte for byte
(tests/credentials/test_verify_page_skeleton.py); here: the columns always say what the document
says (R-CR-3, R-CR-5), and the first view never reads the document."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from credentials import hits
from credentials.models import Credential
from credentials.services import credential_verdict
from credentials.services.verification import _issuer_id
from tests.credentials.builders import issued, set_document

pytestmark = pytest.mark.django_db


def _columns(credential: Credential) -> tuple[str | None, str | None, str | None]:
    return tuple(  # type: ignore[return-value]
        Credential.objects.filter(pk=credential.pk)
        .values_list("document_issuer", "document_valid_from", "document_valid_until")
        .get()
    )


def _page(client, credential: Credential) -> str:
    hits.reset()  # a first view
    response = client.get(reverse("credentials:verify", args=[credential.verification_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_columns_of_an_issued_credential_are_its_documents():
    credential = issued()
    document = credential.document
    assert _columns(credential) == (_issuer_id(document), document["validFrom"], document.get("validUntil"))
    assert _columns(credential)[0].startswith("did:web:")


@pytest.mark.parametrize(
    ("issuer", "expected"),
    [
        ("did:web:elsewhere.example", "did:web:elsewhere.example"),  # a plain string id
        ({"id": "did:key:z6Mk", "name": "Universiti Malaysia Sarawak (UNIMAS)"}, "did:key:z6Mk"),
        ({"name": "UNIMAS"}, None),  # no id
        ({"id": 7}, None),  # an id that is not a string
        (["did:web:a"], None),
        (None, None),
    ],
)
def test_the_issuer_column_is_a_string_id_or_nothing_as_the_verdict_reads_it(issuer, expected):
    credential = issued()
    set_document(credential, issuer=issuer)
    assert _columns(credential)[0] == expected
    credential.refresh_from_db()
    assert (_issuer_id(credential.document) or None) == expected


def test_dates_that_are_not_strings_are_no_dates_as_the_verdict_reads_them():
    credential = issued()
    set_document(credential, validFrom=20300101, validUntil={"at": "2031-01-01T00:00:00Z"})
    assert _columns(credential)[1:] == (None, None)
    set_document(credential, validFrom="2030-01-01T00:00:00Z", validUntil="2031-01-01T00:00:00Z")
    assert _columns(credential)[1:] == ("2030-01-01T00:00:00Z", "2031-01-01T00:00:00Z")


@pytest.mark.parametrize(
    ("changes", "verdict"),
    [
        ({"validFrom": (timezone.now() + timedelta(days=400)).isoformat()}, "not_yet_valid"),  # R-CR-5
        ({"validUntil": (timezone.now() - timedelta(days=1)).isoformat()}, "expired"),
        ({"issuer": {"id": "did:key:z6MkForger", "name": "Universiti Malaysia Sarawak (UNIMAS)"}}, "other_issuer"),
        ({"issuer": "did:web:evil.example"}, "other_issuer"),  # R-CR-3
        ({"validFrom": "6 December 2026"}, "invalid"),  # not a date and time
    ],
)
def test_the_first_view_and_the_model_path_give_one_verdict(client, changes, verdict):
    credential = issued()
    set_document(credential, **changes)
    credential.refresh_from_db()
    assert credential_verdict(credential).verdict == verdict
    html = _page(client, credential)
    assert f'data-verdict="{verdict}"' in html
    assert 'data-verdict="valid"' not in html


def test_a_first_view_reads_one_row_and_not_the_signed_document(client, django_assert_num_queries):
    credential = issued()
    with django_assert_num_queries(1) as queries:
        assert 'data-verdict="valid"' in _page(client, credential)
    sql = queries.captured_queries[0]["sql"]
    # The document is only tested for being there (its NULL flag), never read.
    assert [m.group(0) for m in re.finditer(r'c\."?document\b"?(?! *_)( IS NOT NULL)?', sql)] == [
        "c.document IS NOT NULL"
    ]
    assert '"document_issuer"' in sql and '"document_valid_from"' in sql


def test_a_credential_without_a_document_is_not_found(client):
    credential = issued()
    Credential.objects.filter(pk=credential.pk).update(document=None)
    hits.reset()
    assert client.get(reverse("credentials:verify", args=[credential.verification_id])).status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's: CI's second pass")
def test_the_first_view_query_is_prepared_once_per_connection(client):
    credentials = [issued() for _ in range(4)]
    for credential in credentials:
        assert 'data-verdict="valid"' in _page(client, credential)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE from_sql = false")
        prepared = [row[0] for row in cursor.fetchall()]
    first_view = [text for text in prepared if re.search(r'"document_issuer".*WHERE c\.verification_id = \$\d', text)]
    assert len(first_view) == 1, prepared
