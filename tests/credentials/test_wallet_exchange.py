"""Issue 16: wallet delivery by a VC-API exchange with DIDAuth (docs/decisions/0160).

The tests play the wallet with their own Ed25519 key and did:key, signing with plain pyld and
cryptography (tests/credentials/independent.py), never with the portal's signer; the bound
copy is checked by the independent verifier."""

from __future__ import annotations

import copy
import io
import json
import re
from datetime import timedelta
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from credentials import ld
from credentials.models import BoundCredential, WalletExchange
from credentials.policies import OB_SCHEMA_URL
from credentials.services import credential_status_change, credential_verify_document, wallet_offer_create
from tests.credentials.builders import issued
from tests.credentials.independent import _B58, independent_sign_presentation, independent_verdict
from tests.credentials.test_ob_schema import official_schema
from tests.enrolment import builders as enrol

pytestmark = pytest.mark.django_db
VC_V2 = "https://www.w3.org/ns/credentials/v2"


class Wallet:
    """A phone wallet: its own Ed25519 key, its did:key, and the exchange protocol."""

    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        raw = b"\xed\x01" + self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        number, text = int.from_bytes(raw, "big"), ""
        while number:
            number, rest = divmod(number, 58)
            text = _B58[rest] + text
        self.did = f"did:key:z{text}"
        self.method = f"{self.did}#z{text}"
        self.http = Client(enforce_csrf_checks=True)  # no session or CSRF token: a wallet is not a browser

    def post(self, url: str, body: Any = None) -> Any:
        path = urlsplit(url).path
        if body is None:
            return self.http.post(path)
        return self.http.post(path, data=json.dumps(body), content_type="application/json")

    def didauth(
        self, *, challenge: str, domain: str, key: Ed25519PrivateKey | None = None, suite: str = "eddsa-rdfc-2022"
    ) -> dict[str, Any]:
        contexts = [VC_V2] if suite == "eddsa-rdfc-2022" else [ld.CREDENTIALS_V1, ld.ED25519_2020_V1]
        presentation = {"@context": contexts, "type": ["VerifiablePresentation"], "holder": self.did}
        return independent_sign_presentation(
            presentation,
            key or self.key,
            verification_method=self.method,
            challenge=challenge,
            domain=domain,
            suite=suite,
        )


def _deep_link(page_html: str) -> str:
    match = re.search(r'id="wallet-deep-link" href="([^"]+)"', page_html)
    assert match, "no deep link on the page"
    return unescape(match.group(1))


def _qr_text(page_html: str) -> str:
    """Decode the page's QR code as a phone camera would: render it, then read it."""
    import base64

    import cairosvg
    import zxingcpp
    from PIL import Image

    match = re.search(r'class="wallet-qr" src="data:image/svg\+xml;base64,([^"]+)"', page_html)
    assert match, "no QR code on the page"
    png = cairosvg.svg2png(bytestring=base64.b64decode(match.group(1)), output_width=400)
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return str(result.text)


def test_a_wallet_receives_a_copy_bound_to_its_did_end_to_end():
    learner = enrol.learner()
    credential = issued(learner=learner)
    browser = Client()
    browser.force_login(learner)
    # "My credentials" offers "Add to wallet"; pressing it opens a one-time exchange.
    wallet_page = browser.get(reverse("credentials:wallet")).content.decode()
    assert reverse("credentials:add_to_wallet", args=[credential.verification_id]) in wallet_page
    offer_page = browser.post(reverse("credentials:add_to_wallet", args=[credential.verification_id]))
    assert offer_page.status_code == 200 and "no-store" in offer_page["Cache-Control"]
    html = offer_page.content.decode()
    # The deep link (DCC Learner Credential Wallet form) and the QR code carry the same thing.
    deep_link = _deep_link(html)
    assert _qr_text(html) == deep_link
    assert deep_link.startswith("dccrequest://request?")
    params = {k: v[0] for k, v in parse_qs(urlsplit(deep_link).query).items()}
    exchange_url, challenge = params["vc_request_url"], params["challenge"]
    token = urlsplit(exchange_url).path.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 43  # 256 random bits
    assert not WalletExchange.objects.filter(token_hash__contains=token).exists()  # only its hash is kept

    wallet = Wallet()
    # The wallet POSTs to the exchange and gets the DIDAuth presentation request.
    first = wallet.post(exchange_url, {})
    assert first.status_code == 200, first.content
    request = first.json()["verifiablePresentationRequest"]
    assert request["query"][0]["type"] == "DIDAuthentication"
    assert request["challenge"] == challenge
    domain = request["domain"]
    assert domain == urlsplit(exchange_url).netloc
    # It answers with a presentation signed by its did:key over that challenge and domain.
    answer = wallet.post(
        request["interact"]["service"][0]["serviceEndpoint"],
        {"verifiablePresentation": wallet.didauth(challenge=challenge, domain=domain)},
    )
    assert answer.status_code == 200, answer.content
    (bound,) = answer.json()["verifiablePresentation"]["verifiableCredential"]
    assert bound["credentialSubject"]["id"] == wallet.did
    assert bound["id"].startswith("urn:uuid:") and bound["id"] != credential.document["id"]
    assert bound["credentialStatus"] == credential.document["credentialStatus"]
    assert bound["proof"]["verificationMethod"] == credential.document["proof"]["verificationMethod"]
    # Green in the independent verifier and the portal's; it still fits the official schema.
    assert independent_verdict(bound, Client().get) == "valid"
    assert credential_verify_document(bound).verdict == "valid"
    assert list(official_schema(OB_SCHEMA_URL).iter_errors(bound)) == []
    # A tampered copy (made out to another DID) fails both.
    tampered = copy.deepcopy(bound)
    tampered["credentialSubject"]["id"] = Wallet().did
    assert independent_verdict(tampered, Client().get).startswith("invalid")
    assert credential_verify_document(tampered).verdict == "invalid"
    # Recorded and audited.
    row = BoundCredential.objects.get()
    assert (row.credential_id, row.holder_did, row.document) == (credential.pk, wallet.did, bound)
    assert AuditEvent.objects.filter(action="credential.wallet_offer", object_id=str(credential.pk)).count() == 1
    assert AuditEvent.objects.get(action="credential.wallet_bind").data["holder"] == wallet.did
    # Replayed: the exchange worked once.
    again = wallet.post(exchange_url, {"verifiablePresentation": wallet.didauth(challenge=challenge, domain=domain)})
    assert again.status_code == 410 and again.json()["error"]["code"] == "exchange_used"
    assert wallet.post(exchange_url, {}).status_code == 410
    assert BoundCredential.objects.count() == 1

    # Revoking the original revokes the copy (the same status bit), for every verifier.
    credential_status_change(actor=None, credential_id=credential.pk, action="revoke", reason="Found to be copied")
    assert independent_verdict(bound, Client().get) == "revoked"
    assert credential_verify_document(bound).verdict == "revoked"
    event = AuditEvent.objects.get(action="credential.wallet_copies_revoke")
    assert event.data["copies"] == [str(row.copy_id)]


def test_a_suspended_original_suspends_the_copy_in_the_portals_check():
    learner = enrol.learner()
    credential = issued(learner=learner)
    offer = wallet_offer_create(actor=learner, verification_id=str(credential.verification_id))
    wallet = Wallet()
    domain = urlsplit(offer.exchange_url).netloc
    bound = wallet.post(offer.exchange_url, wallet.didauth(challenge=offer.challenge, domain=domain)).json()
    document = bound["verifiablePresentation"]["verifiableCredential"][0]  # the bare presentation works too
    credential_status_change(actor=None, credential_id=credential.pk, action="suspend", reason="Under review")
    assert credential_verify_document(document).verdict == "suspended"


def test_a_wallet_signing_ed25519_signature_2020_as_the_dcc_wallet_does():
    # The DCC Learner Credential Wallet's direct flow: the deep link's challenge, a bare VC 1.1
    # presentation with an Ed25519Signature2020 proof, posted without asking for the request first.
    learner = enrol.learner()
    credential = issued(learner=learner)
    offer = wallet_offer_create(actor=learner, verification_id=str(credential.verification_id))
    wallet = Wallet()
    domain = urlsplit(offer.exchange_url).netloc
    wrong = wallet.didauth(challenge="not-the-challenge", domain=domain, suite="Ed25519Signature2020")
    refused = wallet.post(offer.exchange_url, wrong)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "challenge_mismatch"
    forged = wallet.didauth(
        challenge=offer.challenge, domain=domain, suite="Ed25519Signature2020", key=Ed25519PrivateKey.generate()
    )
    assert wallet.post(offer.exchange_url, forged).json()["error"]["code"] == "signature_invalid"
    answer = wallet.post(
        offer.exchange_url, wallet.didauth(challenge=offer.challenge, domain=domain, suite="Ed25519Signature2020")
    )
    assert answer.status_code == 200, answer.content
    (bound,) = answer.json()["verifiablePresentation"]["verifiableCredential"]
    assert bound["credentialSubject"]["id"] == wallet.did
    assert independent_verdict(bound, Client().get) == "valid"
    # The older suite and VC 1.1 are for presentations only: a credential must still be eddsa-rdfc-2022.
    assert ld.verify(forged, resolve=ld.resolve_did_key, proof_purpose="authentication").reason.startswith(
        "unsupported proof type"
    )


def test_refused_presentations_each_with_its_reason():
    learner = enrol.learner()
    credential = issued(learner=learner)
    vid = str(credential.verification_id)
    wallet = Wallet()

    def offer_and_domain(**kwargs: Any) -> tuple[Any, str]:
        offer = wallet_offer_create(actor=learner, verification_id=vid, **kwargs)
        return offer, urlsplit(offer.exchange_url).netloc

    # A wrong challenge (one of another exchange): refused, and the exchange still works after.
    offer, domain = offer_and_domain()
    other, _ = offer_and_domain()
    wrong = wallet.post(offer.exchange_url, wallet.didauth(challenge=other.challenge, domain=domain))
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "challenge_mismatch", wrong.json()
    assert wrong.json()["error"]["field"] == "proof.challenge"
    # A presentation signed by another key than the holder's did:key.
    forged = wallet.post(
        offer.exchange_url,
        wallet.didauth(challenge=offer.challenge, domain=domain, key=Ed25519PrivateKey.generate()),
    )
    assert forged.status_code == 400 and forged.json()["error"]["code"] == "signature_invalid"
    # Signed by another DID's key for this holder.
    stranger = Wallet()
    borrowed = stranger.didauth(challenge=offer.challenge, domain=domain)
    borrowed["holder"] = wallet.did
    signed_by_other = wallet.post(offer.exchange_url, borrowed)
    assert signed_by_other.status_code == 400 and signed_by_other.json()["error"]["code"] == "key_not_holders"
    # Another domain, and a proof for assertion rather than authentication.
    elsewhere = wallet.post(offer.exchange_url, wallet.didauth(challenge=offer.challenge, domain="evil.example"))
    assert elsewhere.status_code == 400 and elsewhere.json()["error"]["code"] == "domain_mismatch"
    assert BoundCredential.objects.count() == 0
    assert wallet.post(offer.exchange_url, wallet.didauth(challenge=offer.challenge, domain=domain)).status_code == 200
    # Replayed exchange: used once, refused after.
    replay = wallet.post(offer.exchange_url, wallet.didauth(challenge=offer.challenge, domain=domain))
    assert replay.status_code == 410 and replay.json()["error"]["code"] == "exchange_used"
    # Expired exchange: opened 16 minutes ago, with the 15-minute default.
    expired, domain = offer_and_domain(now=timezone.now() - timedelta(minutes=16))
    late = wallet.post(expired.exchange_url, wallet.didauth(challenge=expired.challenge, domain=domain))
    assert late.status_code == 410 and late.json()["error"]["code"] == "exchange_expired"
    assert wallet.post(expired.exchange_url, {}).status_code == 410
    # Unknown or guessed exchanges are 404, like one that never existed.
    guessed = expired.exchange_url.rstrip("/")[:-4] + "AAAA/"
    assert wallet.post(guessed, {}).status_code == 404
    assert wallet.post(guessed, {}).json()["error"]["code"] == "exchange_not_found"
    assert BoundCredential.objects.count() == 1


def test_offers_are_the_learners_own_configurable_and_closed_after_repeated_failures(settings):
    learner = enrol.learner()
    credential = issued(learner=learner)
    vid = str(credential.verification_id)
    # Someone else's credential is 404 on the page and in the API, exactly.
    other = enrol.learner()
    stranger = Client()
    stranger.force_login(other)
    assert stranger.post(reverse("credentials:add_to_wallet", args=[vid])).status_code == 404
    api = stranger.post(reverse("api-credential-wallet-offer", args=[vid]))
    assert api.status_code == 404 and api.json()["error"]["code"] == "credential_not_found"
    assert Client().post(reverse("credentials:add_to_wallet", args=[vid])).status_code == 302  # log in first
    # The expiry is a setting.
    settings.WALLET_EXCHANGE_MINUTES = 2
    owner = Client()
    owner.force_login(learner)
    made = owner.post(reverse("api-credential-wallet-offer", args=[vid]))
    assert made.status_code == 201
    expires = WalletExchange.objects.get().expires_at - WalletExchange.objects.get().created_at
    assert expires == timedelta(minutes=2)
    # Bad input is a 4xx JSON answer naming the problem, never a 500.
    wallet = Wallet()
    url = made.json()["exchange_url"]
    for body, code in (
        ([1, 2], "not_a_presentation"),
        ({"verifiablePresentation": "x"}, "not_a_presentation"),
        ({"type": ["VerifiablePresentation"], "holder": "did:web:evil.example"}, "holder_not_supported"),
        ({"type": ["VerifiablePresentation"], "holder": wallet.did}, "no_proof"),
    ):
        refused = wallet.post(url, body)
        assert refused.status_code == 400 and refused.json()["error"]["code"] == code, body
    bad_json = wallet.http.post(urlsplit(url).path, data="{nope", content_type="application/json")
    assert bad_json.status_code == 400 and bad_json["Content-Type"] == "application/json"
    # Five refused presentations close the exchange.
    settings.WALLET_EXCHANGE_MAX_FAILURES = 5
    assert wallet.post(url, {}).status_code == 200  # a request for the presentation request is no failure
    assert wallet.post(url, wallet.didauth(challenge="guess", domain="x")).status_code == 400  # the fifth
    closed = wallet.post(url, {})
    assert closed.status_code == 410 and closed.json()["error"]["code"] == "exchange_used"
    # A revoked credential cannot be offered.
    credential_status_change(actor=None, credential_id=credential.pk, action="revoke", reason="Wrong name")
    refused = owner.post(reverse("api-credential-wallet-offer", args=[vid]))
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "credential_not_active"
