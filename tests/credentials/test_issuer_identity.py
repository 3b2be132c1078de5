"""One issuer identity for every process (decision 0120): a command run in another shell signs
as the same did:web as the portal, a status list is never re-signed under another DID, and a key
rotation is followed by re-signing the lists (R-CR-3, R-CR-5)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.errors import ApplicationError
from credentials import ld
from credentials.models import Credential, CredentialStatus, IssuanceRequest, StatusList
from credentials.services import credential_issue, credential_status_change, credential_verify_document
from tests.credentials.builders import approved_offering, issued
from tests.credentials.independent import independent_verdict

ROOT = Path(__file__).resolve().parents[2]
SERVED_AT = "http://127.0.0.1:8137"  # what bin/portal would record; not the :8000 default


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def portal_identity(settings):
    settings.PUBLIC_BASE_URL = SERVED_AT
    settings.CREDENTIAL_SIGNING_KEYS = ld.SigningKey.generate("key-identity").config_entry()
    return settings


@pytest.mark.django_db(transaction=True)
def test_credential_revoke_in_another_shell_signs_as_the_portal(portal_identity, tmp_path):
    # DOMAIN R-CR-5: the README's second-shell command, with no PUBLIC_BASE_URL in its environment,
    # reads the address the portal recorded, so the list stays the portal's and only one credential
    # changes.
    offering, _ = approved_offering(passing=3)
    credentials = [credential_issue(request_id=r.pk) for r in IssuanceRequest.objects.filter(offering_id=offering.pk)]
    var = tmp_path / "var"
    var.mkdir()
    (var / "public-base-url").write_text(SERVED_AT + "\n")
    env = {k: v for k, v in os.environ.items() if k != "PUBLIC_BASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="mcportal.settings",
        MCPORTAL_VAR_DIR=str(var),
        DATABASE_URL=_database_url(),
        CREDENTIAL_SIGNING_KEYS=portal_identity.CREDENTIAL_SIGNING_KEYS,
    )
    revoked = credentials[1]
    command = [sys.executable, "manage.py", "credential_revoke", str(revoked.verification_id), "--reason", "Fraud"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert StatusList.objects.get(purpose="revocation", number=0).issuer_did == ld.portal_did()

    client = Client()
    for credential in credentials:
        expected = "revoked" if credential == revoked else "valid"
        page = client.get(reverse("credentials:verify", args=[credential.verification_id]))
        assert page.status_code == 200
        assert f'data-verdict="{expected}"' in page.content.decode(), credential.serial
        assert credential_verify_document(credential.document).verdict == expected
        assert independent_verdict(credential.document, client.get) == expected
    revoked.refresh_from_db()
    assert revoked.status == CredentialStatus.REVOKED


@pytest.mark.django_db
def test_a_status_list_is_never_re_signed_as_another_did(portal_identity):
    credential = issued()
    before = StatusList.objects.get(purpose="revocation", number=0).signed
    portal_identity.PUBLIC_BASE_URL = "http://127.0.0.1:8000"  # a process that forgot the address
    with pytest.raises(ApplicationError) as refused:
        credential_status_change(actor=None, credential_id=credential.pk, action="revoke", reason="x")
    assert refused.value.code == "status_list_issuer_changed"
    assert "did:web:127.0.0.1%3A8137" in refused.value.message and "PUBLIC_BASE_URL" in refused.value.message
    with pytest.raises(CommandError, match=r"were published as did:web:127\.0\.0\.1%3A8137"):
        call_command("credential_revoke", str(credential.verification_id), "--reason", "x")
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("credential_status_resign")
    assert StatusList.objects.get(purpose="revocation", number=0).signed == before
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.ACTIVE
    # Nor is a credential issued under the other DID: its lists would not speak for it.
    offering, _ = approved_offering()
    with pytest.raises(ApplicationError) as refused:
        credential_issue(request_id=IssuanceRequest.objects.get(offering_id=offering.pk).pk)
    assert refused.value.code == "status_list_issuer_changed"
    assert Credential.objects.count() == 1


@pytest.mark.django_db
def test_after_a_rotation_the_lists_are_re_signed_and_the_old_key_can_go(portal_identity, capsys):
    # The old key signed the credential and its lists. A new key goes first; the command re-signs
    # the lists with it; the old key stays published for the credential it signed.
    old = portal_identity.CREDENTIAL_SIGNING_KEYS
    credential = issued()
    new_key = ld.SigningKey.generate("key-new")
    portal_identity.CREDENTIAL_SIGNING_KEYS = f"{new_key.config_entry()},{old}"
    call_command("credential_status_resign")
    assert "2 signed with did:web:127.0.0.1%3A8137#key-new" in capsys.readouterr().out
    for listed in StatusList.objects.all():
        assert listed.signed["proof"]["verificationMethod"].endswith("#key-new")
    client = Client()
    assert credential_verify_document(credential.document).verdict == "valid"
    assert independent_verdict(credential.document, client.get) == "valid"
    call_command("credential_status_resign")
    assert "0 signed" in capsys.readouterr().out  # nothing left to do
    # Remove the old key (compromised): what it signed no longer verifies, on the page too.
    portal_identity.CREDENTIAL_SIGNING_KEYS = new_key.config_entry()
    assert credential_verify_document(credential.document).verdict == "invalid"
    page = client.get(reverse("credentials:verify", args=[credential.verification_id])).content.decode()
    assert 'data-verdict="invalid"' in page and "no longer published" in page
