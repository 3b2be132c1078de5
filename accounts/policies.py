"""Pure rules about people, over plain values (no ORM, no request)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

LEGAL_NAME_MAX = 200

# Punctuation that names on Malaysian identity documents and passports really use: apostrophes
# (straight, typographic and the modifier letter), hyphens, full stops, commas, "@" (an alias,
# "Ahmad @ Ali"), "/" ("a/l", "a/p", "s/o", "bin/binti" forms), the middle dots of transliterated
# names, and the zero-width (non-)joiners that some Indic and Arabic-script spellings need.
LEGAL_NAME_PUNCTUATION = frozenset("'\u2019\u02bc\u2018-\u2010.,@/\u00b7\u30fb\u200c\u200d")
# A cell starting with one of these is a formula to a spreadsheet (CSV exports), and no real name
# starts with one: "=HYPERLINK(...)", "+cmd", "-2+3", "@SUM(...)".
FORMULA_STARTERS = frozenset("=+-@")


@dataclass(frozen=True)
class NameCheck:
    ok: bool
    value: str  # the name as it would be stored (NFC, single spaces), when ok
    code: str = ""  # why not, when not ok
    character: str = ""  # the first character refused, for "legal_name_character"


def _allowed(ch: str) -> bool:
    category = unicodedata.category(ch)
    # L*: letters of every script (Latin, Jawi, Chinese, Tamil...); M*: the combining marks that
    # Tamil, Devanagari and Arabic-script spellings are made of.
    return category[0] in {"L", "M"} or ch == " " or ch in LEGAL_NAME_PUNCTUATION


def legal_name_check(raw: str | None) -> NameCheck:
    """Is this a name a person can have on an official document? Letters of any script, spaces
    and the punctuation above; no markup, digits or symbols, and no leading formula character."""
    value = " ".join(unicodedata.normalize("NFC", raw or "").split())
    if not value:
        return NameCheck(False, value, "legal_name_required")
    if len(value) > LEGAL_NAME_MAX:
        return NameCheck(False, value, "legal_name_too_long")
    if value[0] in FORMULA_STARTERS:
        return NameCheck(False, value, "legal_name_leading", value[0])
    for ch in value:
        if not _allowed(ch):
            return NameCheck(False, value, "legal_name_character", ch)
    if not any(unicodedata.category(ch)[0] == "L" for ch in value):
        return NameCheck(False, value, "legal_name_no_letter")
    return NameCheck(True, value)
