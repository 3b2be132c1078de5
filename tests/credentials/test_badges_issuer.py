"""Issue 16, part A: badge images, the issuer's profile and the verification page's link
preview. The images and the profile are public, stable and cacheable; the credential carrying
them still verifies (portal and independent verifier) and still fits the official schema."""

from __future__ import annotations

import io
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from credentials import badges, ld
from credentials.badges import BadgeFacts
from credentials.policies import OB_SCHEMA_URL
from credentials.services import credential_verify_document
from tests.credentials.builders import issued
from tests.credentials.independent import independent_verdict
from tests.credentials.test_ob_schema import official_schema

pytestmark = pytest.mark.django_db
PROFILE_SCHEMA_URL = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_profile_schema.json"


def test_the_credential_with_images_verifies_and_fits_the_schema():
    credential = issued(title="Micro-Credential in Data <Science> & Society")
    document = credential.document
    image = document["credentialSubject"]["achievement"]["image"]
    assert set(image) == {"id", "type", "caption"}
    assert image["id"].endswith(reverse("credentials:badge_png", args=[credential.course_code]))
    assert document["issuer"]["image"]["id"].endswith(reverse("credentials:issuer_image"))
    assert list(official_schema(OB_SCHEMA_URL).iter_errors(document)) == []
    client = Client()
    assert credential_verify_document(document).verdict == "valid"
    assert independent_verdict(document, client.get) == "valid"
    # The image is signed like the rest: swapping it breaks the signature, for both verifiers.
    tampered = {**document, "credentialSubject": {**document["credentialSubject"]}}
    tampered["credentialSubject"]["achievement"] = {
        **document["credentialSubject"]["achievement"],
        "image": {**image, "id": "https://evil.example/badge.png"},
    }
    assert credential_verify_document(tampered).verdict == "invalid"
    assert independent_verdict(tampered, client.get).startswith("invalid")


def test_badge_images_are_public_stable_and_cached(client, django_assert_max_num_queries):
    credential = issued(title="Micro-Credential in Data <Science> & Society")
    png_url = reverse("credentials:badge_png", args=[credential.course_code])
    with django_assert_max_num_queries(1):
        png = client.get(png_url)
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert "public" in png["Cache-Control"] and "max-age=86400" in png["Cache-Control"]
    picture = Image.open(io.BytesIO(png.content))
    assert picture.format == "PNG" and picture.size == (badges.SIZE, badges.SIZE)
    # The same bytes every time (stable), and a revalidation costs nothing.
    again = client.get(png_url, HTTP_IF_NONE_MATCH=png["ETag"])
    assert again.status_code == 304 and again["ETag"] == png["ETag"]
    svg = client.get(reverse("credentials:badge_svg", args=[credential.course_code]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    text = svg.content.decode()
    # Drawn from the code, the title (escaped, never markup), the level and the crest.
    assert credential.course_code in text
    assert "Data &lt;Science&gt; &amp; Society" in text and "<Science>" not in text
    assert credential.facts["course_level"] in text
    assert badges._crest_inner()[1][:60] in text
    assert client.get(reverse("credentials:badge_png", args=["NOPE-999"])).status_code == 404
    assert client.get(reverse("credentials:issuer_image")).status_code == 200


def test_a_long_title_is_wrapped_to_three_lines():
    lines = badges.title_lines("Introduction to Data Science for Rural Entrepreneurs and Community Leaders of Borneo")
    assert len(lines) == 3 and lines[-1].endswith("…")
    svg = badges.badge_svg(BadgeFacts(code="MC1", title='A "quoted" title', level=""))
    assert 'aria-label="MC1 A &quot;quoted&quot; title"' in svg and "Micro-credential" in svg


def test_the_issuer_page_is_html_and_its_profile_json_ld_by_content_negotiation(client):
    url = reverse("credentials:issuer")
    page = client.get(url)
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "Accept" in page["Vary"]
    html = page.content.decode()
    did = ld.portal_did()
    assert did in html and ld.current_signing_key().public_key_multibase in html
    validator = official_schema(PROFILE_SCHEMA_URL)
    for accept in ("application/ld+json", "application/json"):
        response = client.get(url, HTTP_ACCEPT=accept)
        assert response.status_code == 200 and response["Content-Type"] == accept
        assert "public" in response["Cache-Control"]
        profile = response.json()
        assert [f"{e.json_path}: {e.message}" for e in validator.iter_errors(profile)] == []
        assert profile["id"] == did and "Profile" in profile["type"]
        assert {"name", "url", "email", "address", "image"} <= set(profile)
        assert profile["image"]["type"] == "Image"
        assert profile["address"]["addressCountry"] == "Malaysia"
        # The DID with its keys: exactly what did:web resolution publishes.
        did_document = client.get(reverse("credentials:did")).json()
        assert profile["verificationMethod"] == did_document["verificationMethod"]
        assert profile["assertionMethod"] == did_document["assertionMethod"]
    # The profile is proper JSON-LD over the pinned contexts: it canonicalises in the portal's
    # safe mode, which refuses a document with any term its contexts do not define.
    assert ld.canonicalize(client.get(url, HTTP_ACCEPT="application/ld+json").json())
    # The profile and the credentials agree on who the issuer is.
    credential = issued()
    issuer = credential.document["issuer"]
    assert (issuer["id"], issuer["name"], issuer["image"]) == (profile["id"], profile["name"], profile["image"])


def test_the_verification_page_previews_with_the_badge(client):
    credential = issued()
    page = client.get(reverse("credentials:verify", args=[credential.verification_id]))
    html = page.content.decode()
    tags = {
        name: unescape(content)
        for name, content in re.findall(r'<meta property="(og:[a-z:]+)" content="([^"]*)">', html)
    }
    badge = credential.document["credentialSubject"]["achievement"]["image"]["id"]
    assert tags["og:image"] == badge
    assert tags["og:url"].endswith(reverse("credentials:verify", args=[credential.verification_id]))
    assert credential.course_code in tags["og:title"]
    # A preview shows the course, never the learner's name.
    assert credential.facts["learner_name"] not in " ".join(tags.values())
    assert '<meta name="twitter:card" content="summary">' in html
    image = client.get(urlsplit(badge).path)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
