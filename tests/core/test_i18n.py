"""Bahasa Malaysia: pages come out in Malay when asked, the header switch works, and the
catalogue has no gap (every msgid translated, none fuzzy)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.demo import DEMO_PASSWORD, demo_seed

PO_FILE = Path(settings.BASE_DIR) / "locale" / "ms" / "LC_MESSAGES" / "django.po"


@dataclass
class PoEntry:
    msgid: str = ""
    msgstr: str = ""
    flags: set[str] = field(default_factory=set)
    line: int = 0


def _unquote(line: str) -> str:
    # A PO string is a C string literal; Python's literal rules read it the same way for the
    # escapes gettext writes (\\, \", \n, \t).
    return str(ast.literal_eval(line))


def parse_po(text: str) -> list[PoEntry]:
    """Just enough of the PO format for a completeness check: flags, msgid, msgstr (plural forms
    and obsolete ``#~`` entries count as their first form / are skipped)."""
    entries: list[PoEntry] = []
    entry = PoEntry()
    part: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#~"):
            continue
        starts_entry = line.startswith(("#", "msgid ")) or not line
        if starts_entry and part == "msgstr":
            entries.append(entry)
            entry, part = PoEntry(), None
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("msgid "):
            entry.line, part = number, "msgid"
            entry.msgid = _unquote(line[len("msgid ") :])
        elif line.startswith("msgid_plural "):
            part = "plural"
        elif m := re.match(r"msgstr(\[0\])? (.*)", line):
            part = "msgstr"
            entry.msgstr = _unquote(m.group(2))
        elif re.match(r"msgstr\[\d+\] ", line):
            part = "other-plural"
        elif line.startswith('"'):
            if part == "msgid":
                entry.msgid += _unquote(line)
            elif part == "msgstr":
                entry.msgstr += _unquote(line)
    if part == "msgstr":
        entries.append(entry)
    return entries


def test_po_parser_reads_multiline_and_flags():
    entries = parse_po(
        'msgid ""\nmsgstr ""\n"Language: ms\\n"\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid ""\n"Two "\n"lines %(x)s"\nmsgstr "Dua baris %(x)s"\n'
        'msgid "Say \\"hi\\""\nmsgstr ""\n'
    )
    assert [(e.msgid, e.msgstr, e.flags) for e in entries] == [
        ("", "Language: ms\n", set()),
        ("Two lines %(x)s", "Dua baris %(x)s", {"fuzzy", "python-format"}),
        ('Say "hi"', "", set()),
    ]


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = parse_po(PO_FILE.read_text(encoding="utf-8"))
    header, messages = entries[0], entries[1:]
    assert header.msgid == ""
    assert "Language: ms" in header.msgstr
    assert "fuzzy" not in header.flags
    assert len(messages) > 100  # the catalogue really is the portal's, not an empty file
    untranslated = [f"line {e.line}: {e.msgid!r}" for e in messages if not e.msgstr.strip()]
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in messages if "fuzzy" in e.flags]
    assert not untranslated, "untranslated:\n" + "\n".join(untranslated)
    assert not fuzzy, "fuzzy:\n" + "\n".join(fuzzy)


def test_placeholders_survive_translation():
    """A translation that drops or renames %(name)s breaks the page at run time."""
    placeholder = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")
    for entry in parse_po(PO_FILE.read_text(encoding="utf-8"))[1:]:
        assert sorted(placeholder.findall(entry.msgstr)) == sorted(placeholder.findall(entry.msgid)), entry.msgid


@pytest.mark.django_db
def test_landing_page_in_malay_with_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ms"
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="ms">' in html
    assert "Log masuk" in html
    assert "Daftar sebagai pelajar" in html
    assert "Log in" not in html
    assert "Register as a learner" not in html


@pytest.mark.django_db
def test_landing_page_is_english_by_default(client):
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "Log masuk" not in html


@pytest.mark.django_db
def test_header_language_switch_turns_the_page_malay(client):
    login_url = reverse("login")
    page = client.get(login_url).content.decode()
    # The switch is in the header of every page and posts to Django's set_language view.
    assert f'action="{reverse("set_language")}"' in page
    assert 'name="language"' in page
    response = client.post(reverse("set_language"), {"language": "ms", "next": login_url})
    assert response.status_code == 302
    assert response["Location"] == login_url
    html = client.get(login_url).content.decode()
    assert '<html lang="ms">' in html
    assert "Kata laluan" in html
    assert "Log masuk" in html
    assert "Forgotten your password?" not in html
    # ...and back again.
    client.post(reverse("set_language"), {"language": "en", "next": login_url})
    assert "Forgotten your password?" in client.get(login_url).content.decode()


@pytest.mark.django_db
def test_the_get_language_switch_sets_only_the_cookie_and_goes_back_to_this_site(client):
    # The public verification page's switch (decision 0235): a GET, so the page carries no token.
    response = client.get(reverse("language_choose"), {"language": "ms", "next": "/verify/"})
    assert (response.status_code, response["Location"]) == (302, "/verify/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ms"
    elsewhere = client.get(reverse("language_choose"), {"language": "en", "next": "https://evil.example/"})
    assert (elsewhere.status_code, elsewhere["Location"]) == (302, "/")
    assert elsewhere.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["", "fr", "ms'><script>"])
def test_the_get_language_switch_refuses_an_unknown_language_by_name(client, language):
    response = client.get(reverse("language_choose"), {"language": language, "next": "/"})
    assert response.status_code == 400
    assert "Language: choose English or Bahasa Malaysia." in response.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_the_get_language_switch_writes_nothing_for_a_logged_in_person(client):
    demo_seed()
    assert client.login(username="learner@demo.unimas.my", password=DEMO_PASSWORD)
    from accounts.models import User

    before = User.objects.get(email="learner@demo.unimas.my").preferred_language
    client.get(reverse("language_choose"), {"language": "ms" if before != "ms" else "en", "next": "/"})
    assert User.objects.get(email="learner@demo.unimas.my").preferred_language == before


@pytest.mark.django_db
def test_logged_in_home_page_in_malay(client):
    demo_seed()
    assert client.login(username="learner@demo.unimas.my", password=DEMO_PASSWORD)
    # The picker saves a logged-in person's language (issue 17); a cookie alone does not override it.
    client.post(reverse("set_language"), {"language": "ms", "next": "/"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("home")).content.decode()
    assert "Log keluar" in html
    assert "Selamat datang" in html
    assert "Pelajar" in html  # the role panel's title
    assert "Log out" not in html
