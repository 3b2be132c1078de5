"""credentials/policies.py over plain values (no database): serials, status positions, the
identity hash, facts as JSON, the Open Badges 3.0 document, verdicts and the LinkedIn link."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import translation

from credentials import policies as p
from credentials.data import CloResult, CredentialFacts

FACTS = CredentialFacts(
    serial="UNIMAS-MC-2026-000123",
    verification_id="0b1c",
    verification_url="https://mc.example/verify/0b1c/",
    issued_on=date(2026, 5, 4),
    learner_name="Siti Aminah",
    identity_label="NRIC",
    identity_masked="******-**-1234",
    course_code="TMN4013",
    course_title="Data Mining",
    programme="BCS",
    institution="UNIMAS",
    institution_status="Public university (Malaysia)",
    language="English",
    delivery="Online",
    mode_of_study="Part-time",
    course_level="MQF Level 6",
    credits=Decimal("3.0"),
    slt_hours=Decimal("120.5"),
    duration="9 weeks",
    enrolment_requirements="None",
    clos=(CloResult(1, "CLO1: Explain", Decimal("75.50")), CloResult(2, "CLO2: Apply", None)),
    formative_percent=60,
    summative_percent=40,
    grade="A-",
    final_mark=Decimal("78.25"),
    quality_assurance="MQA",
    seal_date=date(2026, 5, 1),
    signatory_name="Prof X",
    signatory_title="Registrar",
    contact="cflex@unimas.my",
)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _english():
    """The reasons are checked in English, whatever an earlier test left active."""
    with translation.override("en"):
        yield


def test_serial_format():
    assert p.serial_format(2026, 123) == "UNIMAS-MC-2026-000123"
    assert p.serial_format(2027, 1234567) == "UNIMAS-MC-2027-1234567"


def test_status_positions_are_spread_unique_and_per_list():
    assert p.status_position(1) == p.StatusPosition(0, 0)
    assert p.status_position(2) == p.StatusPosition(0, 40_503)
    assert p.status_position(3) == p.StatusPosition(0, (2 * 40_503) % p.STATUS_LIST_SIZE)
    assert p.status_position(p.STATUS_LIST_SIZE + 1) == p.StatusPosition(1, 0)
    assert p.status_position(p.STATUS_LIST_SIZE + 2) == p.StatusPosition(1, 40_503)
    assert p.STATUS_LIST_SIZE == 131_072
    indexes = {p.status_position(i).index for i in range(1, 2001)}
    assert len(indexes) == 2000


def test_email_identity_hash_normalises_the_email():
    expected = "sha256$" + hashlib.sha256(b"siti@example.mysalt").hexdigest()
    assert p.email_identity_hash("  Siti@Example.MY ", "salt") == expected


def test_facts_round_trip_through_json():
    data = p.facts_to_json(FACTS)
    assert data["issued_on"] == "2026-05-04" and data["seal_date"] == "2026-05-01"
    assert (data["final_mark"], data["credits"], data["slt_hours"]) == ("78.25", "3.0", "120.5")
    assert data["clos"] == [
        {"position": 1, "outcome": "CLO1: Explain", "attainment": "75.50"},
        {"position": 2, "outcome": "CLO2: Apply", "attainment": None},
    ]
    assert p.facts_from_json(data) == FACTS
    assert p.facts_from_json(data, revoked=True) == replace(FACTS, revoked=True)


def _inputs(**kw) -> p.BadgeInputs:
    values = {
        "facts": FACTS,
        "credential_url": "https://mc.example/verify/0b1c/credential.json",
        "base_url": "https://mc.example",
        "own_context_url": "https://mc.example/contexts/v1.json",
        "issuer_id": "did:web:mc.example",
        "issuer_name": "UNIMAS",
        "issuer_email": "cflex@unimas.my",
        "subject_email_hash": "sha256$abc",
        "subject_salt": "salt",
        "valid_from": datetime(2026, 5, 1, 8, 30, 15, 999, tzinfo=UTC),
        "valid_until": None,
        "status_entries": ({"id": "s#1"},),
        "achievement_description": "Mines data.",
        "criteria": "Pass the course.",
        "activity_start": date(2026, 3, 1),
        "activity_end": date(2026, 4, 30),
    }
    values.update(kw)
    return p.BadgeInputs(**values)


ACHIEVEMENT = "https://mc.example/catalogue/achievements/TMN4013/"
EXPECTED = {
    "@context": [p.VC_CONTEXT, p.OB_CONTEXT, "https://mc.example/contexts/v1.json"],
    "id": "https://mc.example/verify/0b1c/credential.json",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": "TMN4013 Data Mining",
    "issuer": {
        "id": "did:web:mc.example",
        "type": ["Profile"],
        "name": "UNIMAS",
        "url": "https://mc.example",
        "email": "cflex@unimas.my",
    },
    "validFrom": "2026-05-01T08:30:15Z",
    "credentialSubject": {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": "sha256$abc",
                "salt": "salt",
            },
            {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": "Siti Aminah"},
        ],
        "creditsEarned": 3,
        "result": [
            {"type": ["Result"], "resultDescription": ACHIEVEMENT + "#grade", "value": "A-"},
            {"type": ["Result"], "resultDescription": ACHIEVEMENT + "#final-mark", "value": "78.25"},
        ],
        "achievement": {
            "id": ACHIEVEMENT,
            "type": ["Achievement"],
            "achievementType": "MicroCredential",
            "humanCode": "TMN4013",
            "name": "Data Mining",
            "description": "Mines data.",
            "criteria": {"narrative": "Pass the course."},
            "creditsAvailable": 3,
            "inLanguage": "en",
            "resultDescription": [
                {
                    "id": ACHIEVEMENT + "#grade",
                    "type": ["ResultDescription"],
                    "name": "Grade",
                    "resultType": "LetterGrade",
                },
                {
                    "id": ACHIEVEMENT + "#final-mark",
                    "type": ["ResultDescription"],
                    "name": "Final mark",
                    "resultType": "Percent",
                    "valueMin": "0",
                    "valueMax": "100",
                },
            ],
            "sltHours": "120.5",
            "mqfLevel": 6,
            "deliveryMode": "Online",
            "modeOfStudy": "Part-time",
            "languageOfInstruction": "English",
            "durationText": "9 weeks",
            "enrolmentRequirements": "None",
            "programme": "BCS",
            "qualityAssurance": "MQA",
            "formativePercent": 60,
            "summativePercent": 40,
            "learningOutcomes": [
                {"position": 1, "outcome": "CLO1: Explain", "attainment": "75.50"},
                {"position": 2, "outcome": "CLO2: Apply"},
            ],
        },
        "activityStartDate": "2026-03-01T00:00:00Z",
        "activityEndDate": "2026-04-30T00:00:00Z",
    },
    "credentialStatus": {"id": "s#1"},
    "credentialSchema": [{"id": p.OB_SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}],
    "serialNumber": "UNIMAS-MC-2026-000123",
    "institutionStatus": "Public university (Malaysia)",
}


def test_open_badge_document_in_full():
    assert p.open_badge_document(_inputs()) == EXPECTED
    assert p.OB_CONTEXT == "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    assert p.VC_CONTEXT == "https://www.w3.org/ns/credentials/v2"
    assert p.OB_SCHEMA_URL.endswith("/ob_v3p0_achievementcredential_schema.json")


def test_open_badge_document_optional_parts():
    facts = replace(FACTS, credits=Decimal("1.5"), slt_hours=Decimal("60"), course_level="Level")
    doc = p.open_badge_document(
        _inputs(
            facts=facts,
            achievement_description="",
            activity_start=None,
            activity_end=None,
            valid_until=datetime(2027, 5, 1, tzinfo=UTC),
            status_entries=({"id": "a"}, {"id": "b"}),
            replaces_url="https://mc.example/verify/old/credential.json",
        )
    )
    subject = doc["credentialSubject"]
    assert subject["creditsEarned"] == 1.5 and subject["achievement"]["creditsAvailable"] == 1.5
    assert subject["achievement"]["sltHours"] == 60
    assert "mqfLevel" not in subject["achievement"]
    assert subject["achievement"]["description"] == "Data Mining"
    assert "activityStartDate" not in subject and "activityEndDate" not in subject
    assert doc["validUntil"] == "2027-05-01T00:00:00Z"
    assert doc["credentialStatus"] == [{"id": "a"}, {"id": "b"}]
    assert doc["replaces"] == "https://mc.example/verify/old/credential.json"
    assert "validUntil" not in EXPECTED and "replaces" not in EXPECTED


def _verdict(**kw):
    values = {
        "signature_ok": True,
        "signature_problem": "",
        "issuer_is_portal": True,
        "issuer": "did:web:mc.example",
        "statuses": [p.StatusCheck("revocation", False), p.StatusCheck("suspension", False)],
        "valid_from": "2026-05-01T00:00:00Z",
        "valid_until": None,
        "now": NOW,
    }
    values.update(kw)
    return p.verdict(**values)


R, S = "revocation", "suspension"


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        # DOMAIN R-CR-3 / R-CR-5
        ({}, (p.VALID, "")),
        ({"signature_ok": False, "signature_problem": "bad proof"}, (p.INVALID, "bad proof")),
        ({"statuses": [p.StatusCheck(R, True), p.StatusCheck(S, True)]}, (p.REVOKED, "")),
        ({"statuses": [p.StatusCheck(S, True), p.StatusCheck(R, True)]}, (p.REVOKED, "")),
        ({"statuses": [p.StatusCheck(R, False), p.StatusCheck(S, True)]}, (p.SUSPENDED, "")),
        ({"statuses": [p.StatusCheck(R, None, "gone"), p.StatusCheck(S, True)]}, (p.SUSPENDED, "")),
        ({"valid_from": "2026-06-01T12:00:01Z"}, (p.NOT_YET_VALID, "")),
        ({"valid_from": "2026-06-01T12:00:00Z"}, (p.VALID, "")),
        ({"valid_from": None}, (p.VALID, "")),
        ({"valid_until": "2026-06-01T12:00:00Z"}, (p.EXPIRED, "")),
        ({"valid_until": "2026-06-01T12:00:01+00:00"}, (p.VALID, "")),
        (
            {"statuses": [p.StatusCheck(R, None, "List gone."), p.StatusCheck(S, None, "Unread.")]},
            (p.STATUS_UNKNOWN, "List gone. Unread."),
        ),
        (
            {"statuses": [p.StatusCheck(S, False)]},
            (p.STATUS_UNKNOWN, "The credential names no revocation list, so revocation cannot be checked."),
        ),
        ({"issuer_is_portal": False}, (p.OTHER_ISSUER, "The issuer is did:web:mc.example.")),
        (
            {"issuer_is_portal": False, "issuer": "", "statuses": []},
            (
                p.OTHER_ISSUER,
                "The issuer is -. The credential names no revocation list, so revocation cannot be checked.",
            ),
        ),
    ],
)
def test_verdict(kw, expected):
    assert _verdict(**kw) == expected


@pytest.mark.parametrize(
    ("kw", "verdict_", "needle"),
    [
        (
            {"valid_from": "2026-05-01T00:00:00"},
            p.INVALID,
            "The date it becomes valid is not a date and time with a time zone: 2026-05-01T00:00:00",
        ),
        ({"valid_from": "soon"}, p.INVALID, "The date it becomes valid is not a date and time with a time zone: soon"),
        ({"valid_until": "later"}, p.INVALID, "The date it ends is not a date and time with a time zone: later"),
        (
            {"valid_until": "2027-01-01T00:00:00"},
            p.INVALID,
            "The date it ends is not a date and time with a time zone: 2027-01-01T00:00:00",
        ),
    ],
)
def test_verdict_refuses_dates_without_a_zone(kw, verdict_, needle):
    assert _verdict(**kw) == (verdict_, needle)


def test_verdicts_are_named():
    assert p.VERDICTS == (
        "valid",
        "other_issuer",
        "not_yet_valid",
        "revoked",
        "suspended",
        "expired",
        "status_unknown",
        "invalid",
    )


def test_linkedin_add_url():
    url = p.linkedin_add_url(
        name="TMN4013 Data Mining",
        organisation="UNIMAS",
        organisation_id="1234",
        issued=date(2026, 5, 4),
        certificate_url="https://mc.example/verify/0b1c/",
        certificate_id="UNIMAS-MC-2026-000123",
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    assert parse_qsl(parts.query) == [
        ("startTask", "CERTIFICATION_NAME"),
        ("name", "TMN4013 Data Mining"),
        ("organizationName", "UNIMAS"),
        ("organizationId", "1234"),
        ("issueYear", "2026"),
        ("issueMonth", "5"),
        ("certUrl", "https://mc.example/verify/0b1c/"),
        ("certId", "UNIMAS-MC-2026-000123"),
    ]
    without = p.linkedin_add_url(
        name="n", organisation="o", organisation_id="", issued=date(2026, 1, 2), certificate_url="u", certificate_id="i"
    )
    assert "organizationId" not in without


def test_one_day_before_is_not_yet_valid():
    later = (NOW + timedelta(days=1)).isoformat()
    assert _verdict(valid_from=later) == (p.NOT_YET_VALID, "")


# --- issue 16: images, the issuer profile, wallet delivery ---------------------------------------


def test_images_in_the_document():
    image = p.image_object(url="https://mc.example/badge.png", caption="Badge")
    assert image == {"id": "https://mc.example/badge.png", "type": "Image", "caption": "Badge"}
    doc = p.open_badge_document(_inputs(achievement_image=image, issuer_image={"id": "i", "type": "Image"}))
    assert doc["credentialSubject"]["achievement"]["image"] == image
    assert doc["issuer"]["image"] == {"id": "i", "type": "Image"}
    assert "image" not in EXPECTED["issuer"] and "image" not in EXPECTED["credentialSubject"]["achievement"]


def test_a_printed_problem_makes_the_verdict_invalid():
    # DOMAIN R-CR-5: a PDF whose printed facts differ from its embedded credential is not valid.
    assert _verdict(printed_problem="The name differs.") == (p.INVALID, "The name differs.")
    assert _verdict(signature_ok=False, signature_problem="bad", printed_problem="x") == (p.INVALID, "bad")


def test_issuer_profile():
    did = {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": "did:web:mc.example",
        "verificationMethod": [{"id": "did:web:mc.example#k1"}],
        "assertionMethod": ["did:web:mc.example#k1"],
    }
    profile = p.issuer_profile(
        did_document=did,
        name="UNIMAS",
        url="https://mc.example",
        email="cflex@unimas.my",
        description="A university.",
        address={"addressCountry": "MY"},
        image={"id": "logo"},
    )
    assert profile == {
        "@context": [p.VC_CONTEXT, p.OB_CONTEXT, "https://www.w3.org/ns/did/v1"],
        "id": "did:web:mc.example",
        "type": ["Profile"],
        "name": "UNIMAS",
        "url": "https://mc.example",
        "email": "cflex@unimas.my",
        "description": "A university.",
        "address": {"addressCountry": "MY"},
        "image": {"id": "logo"},
        "verificationMethod": [{"id": "did:web:mc.example#k1"}],
        "assertionMethod": ["did:web:mc.example#k1"],
    }


def test_wallet_exchange_documents():
    link = p.wallet_deep_link(issuer="did:web:mc.example", exchange_url="https://mc.example/x/1", challenge="c1")
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == "dccrequest://request"
    assert parse_qsl(parts.query) == [
        ("issuer", "did:web:mc.example"),
        ("auth_type", "bearer"),
        ("challenge", "c1"),
        ("vc_request_url", "https://mc.example/x/1"),
    ]
    assert p.presentation_request(challenge="c1", domain="mc.example", exchange_url="https://mc.example/x/1") == {
        "query": [
            {
                "type": "DIDAuthentication",
                "acceptedMethods": [{"method": "key"}],
                "acceptedCryptosuites": [{"cryptosuite": "eddsa-rdfc-2022"}, {"cryptosuite": "Ed25519Signature2020"}],
            }
        ],
        "challenge": "c1",
        "domain": "mc.example",
        "interact": {
            "service": [{"type": "UnmediatedPresentationService2021", "serviceEndpoint": "https://mc.example/x/1"}]
        },
    }
    original = {"id": "old", "proof": {"x": 1}, "credentialSubject": {"type": ["AchievementSubject"]}, "name": "n"}
    copy = p.bound_copy_document(original, holder="did:key:z6Mk", copy_url="new")
    assert copy == {
        "id": "new",
        "credentialSubject": {"id": "did:key:z6Mk", "type": ["AchievementSubject"]},
        "name": "n",
    }
    assert original["id"] == "old" and "proof" in original
    assert p.issued_presentation({"id": "new"}) == {
        "verifiablePresentation": {
            "@context": [p.VC_CONTEXT],
            "type": ["VerifiablePresentation"],
            "verifiableCredential": [{"id": "new"}],
        }
    }
    assert (p.DID_AUTHENTICATION, p.AUTHENTICATION) == ("DIDAuthentication", "authentication")


def test_quality_alignment():
    # DOMAIN R-CR-6 / R-QA-3: the MQR reference or the QVC verification as an OB 3.0 Alignment.
    assert p.quality_alignment(FACTS, mqr_url="m", qvc_url="q") == []
    assert p.quality_alignment(replace(FACTS, quality_kind="mqr"), mqr_url="m", qvc_url="q") == []
    mqr = replace(FACTS, quality_kind="mqr", quality_reference="MQA/FA1234")
    assert p.quality_alignment(mqr, mqr_url="https://mqr", qvc_url="https://qvc") == [
        {
            "type": ["Alignment"],
            "targetName": "MQR reference MQA/FA1234",
            "targetDescription": "MQR reference MQA/FA1234",
            "targetFramework": "Malaysian Qualifications Register (MQR)",
            "targetCode": "MQA/FA1234",
            "targetUrl": "https://mqr",
        }
    ]
    qvc = replace(
        FACTS,
        quality_kind="qvc",
        quality_reference="QVC-9",
        quality_valid_from="2026-01-01",
        quality_valid_until="2028-12-31",
    )
    assert p.quality_alignment(qvc, mqr_url="https://mqr", qvc_url="https://qvc") == [
        {
            "type": ["Alignment"],
            "targetName": "QVC verification QVC-9",
            "targetDescription": "QVC verification QVC-9, valid 2026-01-01 to 2028-12-31",
            "targetFramework": "MQA quality verification of stand-alone micro-credentials (QVC)",
            "targetCode": "QVC-9",
            "targetUrl": "https://qvc",
        }
    ]


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([], (p.INVALID, "The transcript embeds no credential.")),
        ([(p.VALID, "")], (p.VALID, "")),
        (
            [(p.VALID, ""), (p.INVALID, "bad proof")],
            (p.INVALID, "Credential 2 inside the transcript is not valid: bad proof"),
        ),
        (
            [(p.REVOKED, ""), (p.INVALID, "x"), (p.INVALID, "y")],
            (p.INVALID, "Credential 2 inside the transcript is not valid: x"),
        ),
        (
            [(p.VALID, ""), (p.SUSPENDED, ""), (p.REVOKED, "")],
            (p.REVOKED, "Credential 3 inside the transcript is revoked."),
        ),
        ([(p.EXPIRED, ""), (p.SUSPENDED, "")], (p.SUSPENDED, "Credential 2 inside the transcript is suspended.")),
        ([(p.NOT_YET_VALID, ""), (p.EXPIRED, "")], (p.EXPIRED, "Credential 2 inside the transcript is expired.")),
        ([(p.NOT_YET_VALID, "")], (p.NOT_YET_VALID, "Credential 1 inside the transcript is not yet valid.")),
        (
            [(p.VALID, ""), (p.STATUS_UNKNOWN, "List gone.")],
            (p.STATUS_UNKNOWN, "List gone."),
        ),
        (
            [(p.OTHER_ISSUER, "Signed elsewhere."), (p.STATUS_UNKNOWN, "Unread.")],
            (p.STATUS_UNKNOWN, "Signed elsewhere. Unread."),
        ),
    ],
)
def test_a_transcript_takes_the_verdict_of_its_weakest_credential(parts, expected):
    # DOMAIN R-CR-3 / R-CR-5 (issue 16): a CLR transcript stands only while every credential it
    # embeds does; the worst first (invalid, revoked, suspended, expired, not yet valid), the first
    # such credential named by its place.
    assert _verdict(parts=parts) == expected


@pytest.mark.parametrize(
    ("kind", "reference", "url"),
    [("mqr", "MQA/FA1234", "https://mqr"), ("qvc", "QVC-9", "https://qvc")],
)
def test_the_badge_carries_its_quality_alignment(kind, reference, url):
    # DOMAIN R-CR-6 / R-QA-3: the achievement names its MQR reference or QVC verification, with
    # the register's address configured for that kind.
    facts = replace(FACTS, quality_kind=kind, quality_reference=reference)
    doc = p.open_badge_document(_inputs(facts=facts, mqr_url="https://mqr", qvc_url="https://qvc"))
    achievement = doc["credentialSubject"]["achievement"]
    assert achievement["alignment"] == p.quality_alignment(facts, mqr_url="https://mqr", qvc_url="https://qvc")
    assert achievement["alignment"][0]["targetUrl"] == url
    assert "alignment" not in EXPECTED["credentialSubject"]["achievement"]


def test_credit_numbers_in_the_badge_are_whole_when_whole():
    # OB 3.0 creditsEarned / creditsAvailable: 3 credits are the JSON number 3, not 3.0; a half
    # credit stays 0.5.
    import json

    assert json.dumps([p._number(Decimal("3")), p._number(3), p._number(Decimal("0.5"))]) == "[3, 3, 0.5]"
