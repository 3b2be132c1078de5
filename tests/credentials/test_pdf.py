"""The certificate and the MMS as a person and a phone see them: text read back with poppler's
pdftotext, fonts with pdffonts, pages with pdfinfo, and the QR codes decoded by a real decoder
(zxing-cpp) from the page rendered to pixels (R-CR-1, R-CR-2, R-CR-4)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from core.pdf import PDF_BASE_URL, locked_fetcher
from credentials.data import CloResult, CredentialFacts
from credentials.pdf import certificate_pdf, identity_is_masked, mms_pdf
from credentials.qr import qr_data_uri, qr_matrix

VERIFY_URL = "https://mcportal.unimas.my/verify/0b8c1a7e-1d2b-4c3e-9f00-123456789abc/"
FULL_NRIC = "900101-13-1234"  # the learner's real number: it must never be printed

FACTS = CredentialFacts(
    serial="UNIMAS-MC-2026-000123",
    verification_id="0b8c1a7e-1d2b-4c3e-9f00-123456789abc",
    verification_url=VERIFY_URL,
    issued_on=date(2026, 5, 15),
    learner_name="Nurul Aisyah binti Abdullah",
    identity_label="NRIC",
    identity_masked="******-**-1234",
    course_code="TMF1234",
    course_title="Introduction to Data Analytics with Python",
    programme="Bachelor of Computer Science (Hons) (Software Engineering)",
    institution="Universiti Malaysia Sarawak (UNIMAS)",
    institution_status="Public university (Malaysia)",
    language="English",
    delivery="Online",
    mode_of_study="Part-time, self-paced",
    course_level="MQF Level 6",
    credits=2,
    slt_hours=80,
    duration="1 Mar 2026 \u2013 30 Apr 2026 (9 weeks)",  # an en dash, as in credentials/data.py
    enrolment_requirements="SPM with a credit in Mathematics, or equivalent.",
    clos=(
        CloResult(1, "CLO1: Explain the stages of a data analytics project.", Decimal("86.5")),
        CloResult(2, "CLO2: Clean, transform and visualise tabular data.", Decimal("78")),
        CloResult(3, "CLO3: Communicate findings to a lay audience.", None),
    ),
    formative_percent=60,
    summative_percent=40,
    grade="A-",
    final_mark=Decimal("78.40"),
    quality_assurance="MQA accredited programme (MQA/FA1234)",
    seal_date=date(2026, 5, 12),
    signatory_name="Prof. Dr. Ahmad Hafiz bin Zainal",
    signatory_title="Director, Centre for Flexible Learning (CFLEX)",
    contact="CFLEX, Universiti Malaysia Sarawak, 94300 Kota Samarahan · cflex@unimas.my",
)


def facts(**changes) -> CredentialFacts:
    return replace(FACTS, **changes)


# Appendix 1 of the guideline, label by label, spelled as there (shared/reference, "APPENDIX 1").
APPENDIX_1_LABELS = [
    "MALAYSIAN MICRO-CREDENTIAL STATEMENT (MMS)",
    "Serial No:",
    "Name:",
    "NRIC",
    "Course Name:",
    "Programme (Course Origin)",
    "Name and status of awarding institution",
    "Language of instruction/examination",
    "Delivery",
    "Mode of study",
    "Course Level",
    "Credit hours/equivalent",
    "Student learning time",
    "Duration",
    "Enrolment Requirements",
    "Course Learning Outcomes",
    "Assessment",
    "Grade",
    "Quality Assurance",
    "Date of official stamp/seal of award",
    "Signature",
    "Contact information for verification",
]


class Pdf:
    """One rendered PDF on disk, read back with poppler."""

    def __init__(self, data: bytes, path: Path, fetcher=None) -> None:
        self.data = data
        self.path = path
        self.fetcher = fetcher
        path.write_bytes(data)

    def run(self, *command: str) -> str:
        return subprocess.run([*command, str(self.path)], capture_output=True, text=True, check=True).stdout

    @property
    def flat_text(self) -> str:
        """The text with every run of whitespace made one space (a label may wrap)."""
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(self.path), "-"], capture_output=True, text=True, check=True
        ).stdout
        return " ".join(text.split())

    @property
    def info(self) -> dict[str, str]:
        lines = self.run("pdfinfo").splitlines()
        return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}

    @property
    def fonts(self) -> list[str]:
        rows = self.run("pdffonts").splitlines()[2:]
        return [row.split()[0].split("+", 1)[-1] for row in rows]

    def qr_codes(self) -> list[str]:
        """Every QR code a real decoder finds on the pages rendered at 150 dpi."""
        prefix = self.path.with_suffix("")
        subprocess.run(["pdftoppm", "-png", "-r", "150", str(self.path), str(prefix)], check=True)
        found = []
        for page in sorted(prefix.parent.glob(f"{prefix.name}-*.png")):
            with Image.open(page) as image:
                found += [b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.QRCode]
        return found

    def bboxes(self, word: str) -> list[tuple[float, float, float, float]]:
        """(xMin, yMin, xMax, yMax) in points of every occurrence of ``word`` on page 1."""
        html = subprocess.run(
            ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(self.path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        pattern = re.compile(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">' + re.escape(word) + "</word>"
        )
        return [tuple(float(v) for v in m.groups()) for m in pattern.finditer(html)]  # type: ignore[misc]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def certificate(out) -> Pdf:
    fetcher = locked_fetcher()
    return Pdf(certificate_pdf(FACTS, fetcher=fetcher), out / "certificate.pdf", fetcher)


@pytest.fixture(scope="module")
def mms(out) -> Pdf:
    fetcher = locked_fetcher()
    return Pdf(mms_pdf(FACTS, fetcher=fetcher), out / "mms.pdf", fetcher)


def has_font(pdf: Pdf, family: str) -> bool:
    """The family is embedded, in any weight or style (``MCP-Naskh``, ``MCP-Naskh-Bold``)."""
    return any(
        re.fullmatch(re.escape(family) + r"(-(Bold|Italic|Oblique|BoldItalic|BoldOblique))?", f) for f in pdf.fonts
    )


def _page_size(pdf: Pdf) -> tuple[float, float]:
    match = re.match(r"([\d.]+) x ([\d.]+) pts", pdf.info["Page size"])
    assert match, pdf.info
    return float(match.group(1)), float(match.group(2))


# --- the MMS: Appendix 1 (R-CR-2) and the identity number (R-CR-4) --------------------------


@pytest.mark.parametrize("label", APPENDIX_1_LABELS)
def test_mms_prints_every_appendix_1_label(mms, label):
    # DOMAIN R-CR-2
    assert label in mms.flat_text


def test_mms_prints_the_values_beside_the_labels(mms):
    # DOMAIN R-CR-2
    text = mms.flat_text
    for value in (
        FACTS.serial,
        FACTS.learner_name,
        "TMF1234 Introduction to Data Analytics with Python",
        FACTS.programme,
        FACTS.institution,
        FACTS.institution_status,
        "MQF Level 6",
        "2 credits",
        "80 hours",
        FACTS.duration,
        FACTS.enrolment_requirements,
        "Formative 60%",
        "Summative 40%",
        "A-",
        "78.40%",
        FACTS.quality_assurance,
        "12 May 2026",
        "12 Mei 2026",
        FACTS.signatory_name,
        FACTS.signatory_title,
        FACTS.contact,
        VERIFY_URL,
    ):
        assert value in text, value


def test_mms_lists_each_clo_with_the_learners_attainment(mms):
    # Each outcome and its attainment on one printed line (pdftotext -layout keeps lines; its
    # plain reading order may take a small grey note out of the row).
    layout = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(mms.path), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [" ".join(line.split()) for line in layout.splitlines()]
    assert "CLO1: Explain the stages of a data analytics project. 86.5%" in lines
    assert "CLO2: Clean, transform and visualise tabular data. 78%" in lines
    assert "CLO3: Communicate findings to a lay audience. not assessed · tidak dinilai" in lines


def test_mms_shows_the_masked_nric_and_never_the_full_one(mms, certificate):
    # DOMAIN R-CR-4
    assert "NRIC ******-**-1234" in mms.flat_text
    for pdf in (mms, certificate):
        assert FULL_NRIC not in pdf.flat_text
        assert not re.search(r"\d{6}-?\d{2}-?\d{4}", pdf.flat_text)


@pytest.mark.parametrize("unmasked", [FULL_NRIC, "900101131234", "A12345678", "******-13-1234"])
def test_an_unmasked_identity_number_is_refused_before_anything_is_printed(unmasked):
    # DOMAIN R-CR-4: a caller's mistake must not put a full number on paper.
    assert not identity_is_masked(unmasked)
    with pytest.raises(ValueError, match="R-CR-4"):
        mms_pdf(facts(identity_masked=unmasked))
    with pytest.raises(ValueError, match="R-CR-4"):
        certificate_pdf(facts(identity_masked=unmasked))


@pytest.mark.parametrize("masked", ["******-**-1234", "********5677", "•••••4567", "XXXXXX-XX-1234"])
def test_masked_forms_are_accepted(masked):
    assert identity_is_masked(masked)


def test_mms_of_a_passport_holder_says_passport(out):
    pdf = Pdf(mms_pdf(facts(identity_label="Passport", identity_masked="*****4567")), out / "passport.pdf")
    assert "Passport *****4567" in pdf.flat_text


def test_mms_is_a4_portrait(mms):
    width, height = _page_size(mms)
    assert (round(width, 2), round(height, 2)) == (595.28, 841.89)
    assert mms.info["Pages"] == "1"


def test_a_long_mms_flows_onto_a_second_page_with_its_footer(out):
    many = tuple(
        CloResult(i, f"CLO{i}: " + "Apply the method to a realistic case study. " * 3, Decimal(70 + i))
        for i in range(1, 13)
    )
    pdf = Pdf(mms_pdf(facts(clos=many)), out / "long-mms.pdf")
    assert pdf.info["Pages"] == "2"
    text = pdf.flat_text
    assert "CLO12: Apply the method" in text
    assert "Page 2 of 2" in text
    assert text.count(f"Serial No. · No. Siri: {FACTS.serial}") == 2  # the footer on each page
    assert "Contact information for verification" in text


# --- the QR codes (R-CR-1) ----------------------------------------------------------------------


def test_certificate_qr_decodes_to_exactly_the_verification_url(certificate):
    # DOMAIN R-CR-1
    assert certificate.qr_codes() == [VERIFY_URL]
    assert VERIFY_URL in certificate.flat_text.replace(" ", "")  # printed small under the code (may wrap)


def test_mms_qr_decodes_to_exactly_the_verification_url(mms):
    # DOMAIN R-CR-1
    assert mms.qr_codes() == [VERIFY_URL]


def test_qr_matrix_and_data_uri():
    matrix = qr_matrix(VERIFY_URL)
    assert len(matrix) == len(matrix[0]) >= 21 and (len(matrix) - 17) % 4 == 0  # a real QR version
    assert qr_data_uri(VERIFY_URL).startswith("data:image/svg+xml;base64,")


# --- the renderer is locked down -----------------------------------------------------------------


def test_documents_fetch_only_their_own_static_files_and_the_qr(certificate, mms):
    for pdf in (certificate, mms):
        assert pdf.fetcher.refused == []  # every asset the templates name exists
        assert pdf.fetcher.served
        for url in pdf.fetcher.served:
            assert url.startswith((f"{PDF_BASE_URL}static/", "data:image/svg+xml;base64,")), url


INJECTED = (
    '<img src="file:///etc/passwd">'
    '<link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/">'
    "<style>body { background: url(file:///etc/passwd) }</style>"
    "<b style=\"background: url('http://169.254.169.254/latest/meta-data/')\">x</b>"
)


@pytest.mark.parametrize("render", [certificate_pdf, mms_pdf], ids=["certificate", "mms"])
def test_markup_in_a_course_title_or_name_prints_literally_and_fetches_nothing(render, out):
    fetcher = locked_fetcher()
    pdf = Pdf(
        render(facts(course_title=f"Data {INJECTED}", learner_name='<img src="file:///etc/passwd">'), fetcher=fetcher),
        out / f"injected-{render.__name__}.pdf",
    )
    # Autoescaped: the markup is text on the page, never an element, so nothing was fetched for it.
    assert '<img src="file:///etc/passwd">' in pdf.flat_text
    assert 'href="http://169.254.169.254/latest/' in pdf.flat_text.replace(" ", "")  # (may wrap)
    assert fetcher.refused == []
    assert not [url for url in fetcher.served if "passwd" in url or "169.254" in url]
    assert b"root:x:0:0" not in pdf.data


# --- names in any script (Latin, Jawi, Chinese, Tamil) -------------------------------------------

# (script, a name, the shipped font family that must carry it; names are set in the serif stack)
SCRIPTS = [
    ("jawi", "نورالعين بنت ڤاوزي", "MCP-Naskh"),  # with the Jawi letter ڤ (pa)
    ("chinese", "林美玲", "MCP-CJK"),
    ("tamil", "கவிதா சுப்பிரமணியம்", "MCP-Serif-Tamil"),
]


@pytest.mark.parametrize(("script", "name", "font"), SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_names_in_any_script_render_with_real_glyphs(script, name, font, out, caplog):
    cert = Pdf(certificate_pdf(facts(learner_name=name)), out / f"{script}-certificate.pdf")
    statement = Pdf(mms_pdf(facts(learner_name=name)), out / f"{script}-mms.pdf")
    # The shipped font (its private family name) is embedded, and the name reads back as text.
    assert has_font(cert, font)
    assert has_font(statement, font)
    assert name in cert.flat_text
    assert name in statement.flat_text
    # WeasyPrint warns when a character falls back to the empty .notdef box.
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]


def test_a_mixed_name_has_no_missing_glyphs(out, caplog):
    name = "林美玲 Lim Mei Ling"
    pdf = Pdf(certificate_pdf(facts(learner_name=name)), out / "mixed.pdf")
    assert has_font(pdf, "MCP-CJK")
    assert has_font(pdf, "MCP-Serif")
    assert name in pdf.flat_text
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]


# --- the certificate ---------------------------------------------------------------------------------


def test_certificate_is_one_a4_landscape_page(certificate):
    width, height = _page_size(certificate)
    assert (round(width, 2), round(height, 2)) == (841.89, 595.28)
    assert certificate.info["Pages"] == "1"


def test_certificate_is_bilingual_and_carries_the_facts(certificate):
    text = certificate.flat_text
    for phrase in (
        "Micro-credential Certificate",
        "Sijil Mikro-kredensial",
        "This is to certify that",
        "Dengan ini disahkan bahawa",
        "has successfully completed the micro-credential",
        "telah berjaya menamatkan mikro-kredensial",
        FACTS.learner_name,
        "TMF1234 Introduction to Data Analytics with Python",
        "A-",
        "80 hours",
        "MQF Level 6",
        "15 May 2026",
        "15 Mei 2026",
        FACTS.serial,
        FACTS.signatory_name,
        FACTS.signatory_title,
    ):
        assert phrase in text, phrase
    assert "REVOKED" not in text


def test_the_longest_name_and_title_stay_on_one_page_clear_of_the_seal_and_qr(out):
    pdf = Pdf(
        certificate_pdf(
            facts(
                learner_name="Muhammad Aiman Hakimi bin Abdul Rahman Al-Haddad Syed Putra Jamalullail Wan Ismail",
                course_title="Advanced Topics in Sustainable Tropical Peatland Ecosystem Management and Restoration Practice",
            )
        ),
        out / "longest.pdf",
    )
    assert pdf.info["Pages"] == "1"
    # The facts row ("Tarikh dikeluarkan" / the date) ends above the QR code, which is 27 mm
    # tall and sits over the "Scan or visit" line.
    facts_bottom = max(box[3] for box in pdf.bboxes("Mei"))
    label_top = min(box[1] for box in pdf.bboxes("Scan"))
    assert facts_bottom < label_top - 27 * 72 / 25.4


def test_revoked_documents_say_so(out):
    # DOMAIN R-CR-5
    revoked = facts(revoked=True)
    assert "REVOKED · DIBATALKAN" in Pdf(certificate_pdf(revoked), out / "revoked-c.pdf").flat_text
    assert "REVOKED · DIBATALKAN" in Pdf(mms_pdf(revoked), out / "revoked-m.pdf").flat_text
