"""Legal names (issue 12): letters of any script and the punctuation names really use; no markup,
digits or symbols, and no leading spreadsheet-formula character. Pure, no database."""

from __future__ import annotations

import pytest

from accounts.policies import NameCheck, legal_name_check


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Siti Nur Aisyah Binti Ali", "Siti Nur Aisyah Binti Ali"),
        ("  Ahmad   bin  Abu  ", "Ahmad bin Abu"),  # spaces collapsed
        ("Muhammad Amir bin/binti Zulkifli", "Muhammad Amir bin/binti Zulkifli"),
        ("Muthu a/l Raman", "Muthu a/l Raman"),
        ("Priya a/p Subramaniam", "Priya a/p Subramaniam"),
        ("Ahmad @ Ali bin Hassan", "Ahmad @ Ali bin Hassan"),  # "@": an alias on the NRIC
        ("Nur 'Aisyah", "Nur 'Aisyah"),
        ("Ng Siew Ling, Jane", "Ng Siew Ling, Jane"),
        ("Jean-Luc O\u2019Brien", "Jean-Luc O\u2019Brien"),  # typographic apostrophe
        ("Dr. Chong Wei Jie", "Dr. Chong Wei Jie"),
        ("Jaya Anak Nyegang", "Jaya Anak Nyegang"),
        ("محمد بن عبدالله", "محمد بن عبدالله"),  # Jawi
        ("نور عائشة بنت علي", "نور عائشة بنت علي"),  # Jawi with hamza forms
        ("陈美玲", "陈美玲"),  # Chinese (simplified)
        ("張偉", "張偉"),  # Chinese (traditional)
        ("முத்து ராமன்", "முத்து ராமன்"),  # Tamil (combining vowel signs)
        ("சுப்பிரமணியம்", "சுப்பிரமணியம்"),
        ("Đặng Thị Ngọc Hân", "Đặng Thị Ngọc Hân"),
        ("Zoë Ångström", "Zoë Ångström"),
        ("Zoe\u0308", "Zoë"),  # decomposed input is stored composed (NFC)
        ("\u02bbOkalani Kealoha", "\u02bbOkalani Kealoha"),  # okina, a letter
        ("Léa·Müller", "Léa·Müller"),
    ],
)
def test_real_names_are_accepted(raw, stored):
    check = legal_name_check(raw)
    assert check.ok, (raw, check)
    assert check.value == stored


@pytest.mark.parametrize(
    ("raw", "code", "character"),
    [
        ("", "legal_name_required", ""),
        ("   ", "legal_name_required", ""),
        (None, "legal_name_required", ""),
        ("<script>alert(1)</script>", "legal_name_character", "<"),
        ("Ali <b>bin</b> Abu", "legal_name_character", "<"),
        ("Ali bin Abu>", "legal_name_character", ">"),
        ('=HYPERLINK("http://evil.example","Click")', "legal_name_leading", "="),
        ("+60123456789", "legal_name_leading", "+"),
        ("-2+3+cmd|' /C calc'!A0", "legal_name_leading", "-"),
        ("@SUM(A1:A9)", "legal_name_leading", "@"),
        ("Ali=1+1", "legal_name_character", "="),
        ("Ali & Abu", "legal_name_character", "&"),
        ('Ali "the great"', "legal_name_character", '"'),
        ("Ali; DROP TABLE", "legal_name_character", ";"),
        ("Agent 007", "legal_name_character", "0"),
        ("Ali\u202eubA", "legal_name_character", "\u202e"),  # right-to-left override (spoofing)
        ("Ali\x00Abu", "legal_name_character", "\x00"),
        ("Ali 😀", "legal_name_character", "😀"),
        ("'.-/", "legal_name_no_letter", ""),
        ("A" * 201, "legal_name_too_long", ""),
    ],
)
def test_markup_formulas_and_symbols_are_refused(raw, code, character):
    check = legal_name_check(raw)
    assert check == NameCheck(False, (raw or "").strip(), code, character)


def test_the_longest_name_allowed():
    assert legal_name_check("A" * 200).ok


@pytest.mark.parametrize("raw", [None, "", "   ", "\t\n"])
def test_an_empty_name_is_required(raw):
    assert legal_name_check(raw) == NameCheck(False, "", "legal_name_required")


def test_a_name_is_stored_in_nfc_with_single_spaces():
    assert legal_name_check("  Nur   Aisya\u0301h ") == NameCheck(True, "Nur Aisy\u00e1h")
