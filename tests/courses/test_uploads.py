"""The SAMC market-survey analysis (R-AF-3): PDF, XLSX or CSV judged by content, a size limit,
stored privately and handed only to people who may see the proposal."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import Role
from audit.models import AuditEvent
from courses.choices import ProposalKind
from courses.models import MarketSurvey
from courses.policies import UploadRefused, sniff_upload
from courses.services import proposal_create, proposal_submit
from tests.factories import user_with_role

MB = 1024 * 1024
LIMIT = 5 * MB
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
CSV = b"respondent;age;would enrol\n1;34;yes\n2;41;no\n3;29;ja, sudah\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def workbook(*extra: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
        for name in extra:
            archive.writestr(name, "x")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


def sniff(content: bytes, name: str, size: int | None = None) -> str:
    return sniff_upload(io.BytesIO(content), name=name, size=len(content) if size is None else size, max_bytes=LIMIT)


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [(PDF, "analysis.pdf", "pdf"), (workbook(), "Analysis.XLSX", "xlsx"), (CSV, "survey.csv", "csv")],
)
def test_accepted_by_content(content, name, kind):
    # DOMAIN R-AF-3
    assert sniff(content, name) == kind


@pytest.mark.parametrize(
    ("content", "name", "size", "code"),
    [
        (EXE, "analysis.pdf", None, "upload_type"),  # an executable renamed .pdf
        (EXE, "analysis.pdf", 10 * MB, "upload_too_large"),  # 10 MB: refused before it is read
        (PDF, "analysis.csv", None, "upload_type_mismatch"),
        (workbook(), "analysis.pdf", None, "upload_type_mismatch"),
        (plain_zip(), "analysis.xlsx", None, "upload_type"),
        (workbook("xl/vbaProject.bin"), "analysis.xlsx", None, "upload_type"),  # macros
        (b"a,b\n1,\x002\n", "survey.csv", None, "upload_type"),  # NUL bytes
        (b"a,b\n\xff\xfe\n", "survey.csv", None, "upload_type"),  # not UTF-8
        (b"just some words\n", "survey.csv", None, "upload_type"),  # no delimiter
        (b"a,b\n\x1b[31m,1\n", "survey.csv", None, "upload_type"),  # control characters
        (b"", "survey.csv", None, "upload_empty"),
    ],
)
def test_refused_with_a_named_reason(content, name, size, code):
    # DOMAIN R-AF-3
    with pytest.raises(UploadRefused) as refused:
        sniff(content, name, size)
    assert refused.value.problem.code == code
    assert refused.value.problem.field == "survey_file"


def test_a_long_utf8_csv_is_sampled_at_a_line_break():
    body = ("name,comment\n" + "Siti,baik sekali ☺\n" * 6000).encode()
    assert len(body) > 64 * 1024
    assert sniff(body, "survey.csv") == "csv"


# --- Through the service, the API and the pages ------------------------------------------------


@pytest.fixture
def samc(developer, make_ready, private_media):
    return proposal_create(actor=developer, data=make_ready(ProposalKind.CAT3_SAMC))


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def upload(client, proposal, content: bytes, name: str):
    return client.post(
        f"/api/v1/proposals/{proposal.pk}/market-survey/",
        {"survey_file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.django_db
def test_a_ten_megabyte_executable_renamed_pdf_is_refused(developer, samc, private_media):
    response = upload(client_for(developer), samc, EXE + b"\x00" * (10 * MB), "analysis.pdf")
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("upload_too_large", "survey_file")
    assert error["rule"] == "R-AF-3" and "R-AF-3" not in error["message"]
    assert stored_files(private_media) == []
    assert not MarketSurvey.objects.filter(analysis_file__gt="").exists()


@pytest.mark.django_db
def test_a_small_executable_renamed_pdf_is_refused(developer, samc, private_media):
    response = upload(client_for(developer), samc, EXE, "analysis.pdf")
    assert (response.status_code, response.json()["error"]["code"]) == (400, "upload_type")
    assert stored_files(private_media) == []


@pytest.mark.django_db
def test_upload_is_stored_privately_and_served_only_to_those_who_may_see(
    developer, other_developer, samc, private_media, settings
):
    response = upload(client_for(developer), samc, CSV, "../../etc/survey.csv")
    assert response.status_code == 201, response.content
    assert response.json()["file_kind"] == "csv" and response.json()["file_size"] == len(CSV)
    files = stored_files(private_media)
    assert len(files) == 1 and files[0].read_bytes() == CSV
    assert "etc" not in str(files[0].relative_to(private_media))  # a random name, never the uploader's path
    assert not str(files[0]).startswith(str(settings.STATIC_ROOT))
    assert AuditEvent.objects.filter(action="proposal.survey_attach").exists()

    download = client_for(developer).get(f"/api/v1/proposals/{samc.pk}/market-survey/analysis/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == CSV
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"

    assert client_for(other_developer).get(f"/api/v1/proposals/{samc.pk}/market-survey/analysis/").status_code == 404
    reviewer = client_for(user_with_role(Role.CFLEX_REVIEWER))
    assert reviewer.get(f"/api/v1/proposals/{samc.pk}/market-survey/analysis/").status_code == 404
    proposal_submit(actor=developer, proposal=samc)
    assert reviewer.get(f"/api/v1/proposals/{samc.pk}/market-survey/analysis/").status_code == 200


@pytest.mark.django_db
def test_a_replaced_file_is_deleted_after_commit(developer, samc, private_media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(developer), samc, CSV, "first.csv")
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(developer), samc, PDF, "second.pdf")
    files = stored_files(private_media)
    assert len(files) == 1 and files[0].read_bytes() == PDF


@pytest.mark.django_db
def test_someone_else_cannot_upload(other_developer, samc, private_media):
    response = upload(client_for(other_developer), samc, CSV, "survey.csv")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "proposal_not_found")
    assert stored_files(private_media) == []


@pytest.mark.django_db
def test_an_accredited_mc_has_no_market_survey(developer, make_ready, private_media):
    proposal = proposal_create(actor=developer, data=make_ready())
    response = upload(client_for(developer), proposal, CSV, "survey.csv")
    assert (response.status_code, response.json()["error"]["code"]) == (400, "survey_not_standalone")


@pytest.mark.django_db
def test_the_page_upload_answers_the_script_with_the_reason(client, developer, samc, private_media):
    client.force_login(developer)
    url = f"/proposals/{samc.pk}/market-survey/"
    refused = client.post(url, {"survey_file": SimpleUploadedFile("a.pdf", EXE)}, HTTP_X_REQUESTED_WITH="fetch")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "upload_type"
    accepted = client.post(url, {"survey_file": SimpleUploadedFile("s.csv", CSV)}, HTTP_X_REQUESTED_WITH="fetch")
    assert accepted.status_code == 200
    assert "s.csv" in accepted.json()["fragments"]["survey-file"]
    page = client.get(f"/proposals/{samc.pk}/market-survey/analysis/")
    assert page.status_code == 200 and b"".join(page.streaming_content) == CSV
