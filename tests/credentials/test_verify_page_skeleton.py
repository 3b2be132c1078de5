"""The anonymous verification page filled into a kept skeleton (credentials.page, decision 0255)
is byte for byte the page the template renders in full, for every verdict, both languages and
values that need escaping; one credential's values never show on another's page; and what the
page depends on (status, key, validity dates, re-issue, language) changes the page at once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from credentials import hits, page
from credentials.models import Credential, StatusList
from credentials.services import credential_reissue, credential_status_change
from tests.credentials.builders import issued, set_document
from tests.enrolment import builders as enrol

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()
    page.SKELETONS.clear()
    yield
    cache.clear()
    page.SKELETONS.clear()


@pytest.fixture
def credential():
    return issued()


def _url(credential: Credential) -> str:
    return reverse("credentials:verify", args=[credential.verification_id])


def _filled(client, credential: Credential, **headers) -> bytes:
    hits.reset()  # a first view: nothing kept but the skeletons
    response = client.get(_url(credential), **headers)
    assert response.status_code == 200
    return response.content


def _in_full(client, credential: Credential, monkeypatch, **headers) -> bytes:
    hits.reset()
    with monkeypatch.context() as patched:
        patched.setattr(page, "render", lambda *args: None)  # the view renders the template in full
        response = client.get(_url(credential), **headers)
    assert response.status_code == 200
    return response.content


def _same(client, credential, monkeypatch, **headers) -> str:
    filled = _filled(client, credential, **headers)
    assert filled == _in_full(client, credential, monkeypatch, **headers)
    return filled.decode()


def _set_facts(credential: Credential, **changes) -> None:
    Credential.objects.filter(pk=credential.pk).update(facts={**credential.facts, **changes})


@pytest.mark.parametrize("language", ["en", "ms"])
def test_a_valid_credential_is_the_same_bytes_filled_or_rendered_in_full(client, credential, monkeypatch, language):
    html = _same(client, credential, monkeypatch, HTTP_ACCEPT_LANGUAGE=language)
    assert 'data-verdict="valid"' in html and f'<html lang="{language}">' in html
    assert credential.serial in html and credential.facts["learner_name"] in html
    assert f'<input type="hidden" name="next" value="{_url(credential)}">' in html
    assert page.SKELETONS.items  # the filled page came from a skeleton
    assert "vslot" not in html and page._MARKERS.own_id not in html


def test_values_that_need_escaping_are_escaped_as_the_template_escapes_them(client, credential, monkeypatch):
    hostile = "<script>alert('x')</script> & \"Ali\""
    _set_facts(credential, learner_name=hostile, grade="A<b>", identity_masked="", valid_until="2030-01-01")
    html = _same(client, credential, monkeypatch)
    assert hostile not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Ali&quot;" in html
    assert "A&lt;b&gt;" in html and 'id="valid-until">2030-01-01<' in html


@pytest.mark.parametrize("action", ["revoke", "suspend"])
@pytest.mark.parametrize("language", ["en", "ms"])
def test_a_revoked_or_suspended_page_with_its_reason_and_date(client, credential, monkeypatch, action, language):
    credential_status_change(actor=None, credential_id=credential.pk, action=action, reason="Fraud <i>found</i>")
    html = _same(client, credential, monkeypatch, HTTP_ACCEPT_LANGUAGE=language)
    verdict = {"revoke": "revoked", "suspend": "suspended"}[action]
    assert f'data-verdict="{verdict}"' in html
    assert "Fraud &lt;i&gt;found&lt;/i&gt;" in html


def test_every_other_verdict(client, credential, monkeypatch):
    now = timezone.now()
    set_document(credential, validFrom=(now + timedelta(days=30)).isoformat())
    assert 'data-verdict="not_yet_valid"' in _same(client, credential, monkeypatch)
    set_document(credential, validUntil=(now - timedelta(days=1)).isoformat())
    assert 'data-verdict="expired"' in _same(client, credential, monkeypatch)
    # R-CR-3: a document whose issuer is not the portal's DID is never "issued by UNIMAS", though
    # its proof was checked with one of the portal's keys (the first view reads the issuer from
    # the database's column of it, decision 0265).
    set_document(credential, validUntil=None, issuer={**credential.document["issuer"], "id": "did:web:evil.example"})
    html = _same(client, credential, monkeypatch)
    assert 'data-verdict="other_issuer"' in html and "did:web:evil.example" in html
    Credential.objects.filter(pk=credential.pk).update(document=credential.document)  # as signed
    StatusList.objects.all().delete()
    assert 'data-verdict="status_unknown"' in _same(client, credential, monkeypatch)
    Credential.objects.filter(pk=credential.pk).update(signature_problem="signature does <not> match")
    html = _same(client, credential, monkeypatch)
    assert 'data-verdict="invalid"' in html and "signature does &lt;not&gt; match" in html


def test_a_reissued_credential_points_to_its_successor(client, credential, monkeypatch):
    new = credential_reissue(actor=enrol.cflex_admin(), credential_id=credential.pk, reason="Name fixed")
    html = _same(client, credential, monkeypatch)
    assert 'data-verdict="revoked"' in html and new.serial in html and _url(new) in html
    assert 'data-verdict="valid"' in _same(client, new, monkeypatch)


def test_a_first_view_of_a_reissued_credential_is_one_read_and_no_write(
    client, credential, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = credential_reissue(actor=enrol.cflex_admin(), credential_id=credential.pk, reason="Name fixed")
    hits.reset()
    with django_assert_num_queries(1) as queries:
        html = client.get(_url(credential)).content.decode()
    assert 'data-verdict="revoked"' in html and new.serial in html
    assert [q["sql"].split()[0].upper() for q in queries.captured_queries] == ["SELECT"]


def test_two_credentials_of_one_course_share_a_skeleton_and_nothing_else(client, credential, monkeypatch):
    other = Credential.objects.get(pk=issued().pk)
    _set_facts(other, learner_name="Other Person", course_code=credential.facts["course_code"])
    other.refresh_from_db()
    first = _same(client, credential, monkeypatch)
    second = _same(client, other, monkeypatch)
    assert "Other Person" in second and "Other Person" not in first
    assert credential.serial not in second and str(credential.verification_id) not in second
    assert other.serial not in first and str(other.verification_id) not in first


def test_a_revocation_changes_the_page_not_the_skeleton_it_had(client, credential, django_capture_on_commit_callbacks):
    # DOMAIN R-CR-5: the verdict is part of a skeleton's shape, so a revoked credential is never
    # filled into the valid page's skeleton.
    assert 'data-verdict="valid"' in client.get(_url(credential)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        credential_status_change(actor=None, credential_id=credential.pk, action="revoke", reason="Gone")
    html = client.get(_url(credential)).content.decode()
    assert 'data-verdict="revoked"' in html and "Valid credential" not in html and "Gone" in html


def test_a_removed_key_turns_the_page_not_valid_at_once(client, credential, settings):
    assert 'data-verdict="valid"' in client.get(_url(credential)).content.decode()
    from credentials.ld.keys import SigningKey

    settings.CREDENTIAL_SIGNING_KEYS = SigningKey.generate("key-new").config_entry()  # the old key dropped
    html = client.get(_url(credential)).content.decode()
    assert 'data-verdict="invalid"' in html and "no longer published" in html


def test_each_language_has_its_own_skeleton(client, credential):
    english = client.get(_url(credential), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    hits.reset()
    malay = client.get(_url(credential), HTTP_ACCEPT_LANGUAGE="ms").content.decode()
    assert "Valid credential, issued by UNIMAS" in english, re.findall(r"data-verdict=\"[a-z_]+\"", english)
    assert "Kredensial sah, dikeluarkan oleh UNIMAS" in malay, re.findall(r"<h1.*?</h1>", malay, re.S)
    assert len({key[0] for key in page.SKELETONS.items}) == 2


def test_nothing_is_kept_while_templates_reload(client, credential, settings):
    # A deploy restarts the workers (templates and translations are loaded once per process);
    # with DEBUG on they reload when edited, so no skeleton is kept.
    settings.DEBUG = True
    assert 'data-verdict="valid"' in client.get(_url(credential)).content.decode()
    assert not page.SKELETONS.items


def test_a_template_that_transforms_a_value_is_rendered_in_full(client, credential, monkeypatch):
    # A filter that changes a marker (|upper) would leave it unfilled: refused, rendered in full.
    from django.template import engines

    template = engines["django"].engine.get_template(page.TEMPLATE)
    source = template.source.replace("<dd>{{ facts.learner_name }}</dd>", "<dd>{{ facts.learner_name|upper }}</dd>")
    monkeypatch.setattr(page, "TEMPLATE", "verify-upper.html")
    original = engines["django"].engine.get_template

    def get_template(name):
        if name == "verify-upper.html":
            return engines["django"].engine.from_string(source)
        return original(name)

    monkeypatch.setattr(engines["django"].engine, "get_template", get_template)
    html = client.get(_url(credential)).content.decode()
    assert credential.facts["learner_name"].upper() in html and not re.search(r"vslot[0-9a-f]+s\d+e", html, re.I)
    assert not page.SKELETONS.items


def test_the_limiter_drops_ended_windows_and_keeps_the_rest(monkeypatch):
    # A first view of each of many credentials adds a limit key; ended windows are dropped by
    # their end (decision 0255), live ones and the monthly counts are kept.
    shared: dict[str, int] = {}

    def add_to_shared(deltas, expiries):
        for key, delta in deltas.items():
            shared[key] = shared.get(key, 0) + delta
        return {key: shared[key] for key in deltas}

    monkeypatch.setattr(hits, "_add_to_shared", add_to_shared)
    counts = hits._Counts()
    ended, live = f"{hits.PREFIX}limit:credential:a:100", f"{hits.PREFIX}limit:credential:b:160"
    month = hits.counter_key("page", timezone.localdate().replace(day=1))
    for key in (ended, live):
        counts.add(key, 61)
    counts.add(month, None)
    counts.sync(99.0)
    assert counts.known == {ended: 1, live: 1, month: 1}
    assert counts.add(live, 61) == 2
    counts.sync(101.0)
    assert counts.known == {live: 2, month: 1} and counts.ends == {160: [live]}
    counts.add(f"{hits.PREFIX}limit:credential:c:90", 61)  # already ended when it reaches the shared total
    counts.sync(102.0)
    assert counts.known == {live: 2, month: 1}
