"""R-AF-4: a course learning outcome, written as its parts (action verb + content, performance
criteria, conditions), read as one sentence. The one rendering every page, the MMS, the badge and
the proposal diff use (docs/decisions/0220).

The sentence puts the conditions first, then the verb and its content, then the criteria:
"Given a diagram, explain the parts of a computer, correctly naming each part." The parts are
kept as the author typed them; only the case of the first letters, stray end punctuation and
spaces are adjusted, so the editor's preview shows exactly what learners will read."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Criteria that start with one of these words follow the content without a comma ("compare three
# networks against three criteria"); any other start is set off by one ("…, correctly naming each
# part"). English and Bahasa Malaysia, since authors write in either.
_JOINING_WORDS = frozenset(
    (
        "according", "against", "at", "by", "following", "for", "in", "on", "so", "that", "to", "under",
        "using", "which", "while", "with", "within", "without",
        "berdasarkan", "dalam", "dengan", "mengikut", "menggunakan", "pada", "secara", "supaya", "tanpa",
        "yang",
    )
)  # fmt: skip
_SPACES = re.compile(r"\s+")
_END = " .;,:"


@dataclass(frozen=True)
class OutcomeSentence:
    """The parts as they read in the sentence, in reading order. ``conditions`` and ``criteria``
    are "" when the outcome has none; ``verb`` carries the case it takes in the sentence."""

    conditions: str
    verb: str
    content: str
    joiner: str  # what stands between the content and the criteria: ", ", " " or ""
    criteria: str

    @property
    def segments(self) -> tuple[tuple[str, str], ...]:
        """The sentence in pieces: (part, words), part "" for the joins. Pages mark the parts up
        from these; ``text`` is the same pieces joined, so both always read alike."""
        head = [p for p in (("verb", self.verb), ("content", self.content)) if p[1]]
        pieces: list[tuple[str, str]] = []
        if self.conditions:
            pieces.append(("conditions", self.conditions))
            if head:
                pieces.append(("", ", "))
        for i, piece in enumerate(head):
            pieces += [("", " "), piece] if i else [piece]
        if self.criteria:
            pieces += [("", self.joiner), ("criteria", self.criteria)] if pieces else [("criteria", self.criteria)]
        if pieces:
            pieces.append(("", "."))
        return tuple(pieces)

    @property
    def text(self) -> str:
        return "".join(words for _, words in self.segments)

    def __str__(self) -> str:
        return self.text


def _clean(part: str) -> str:
    return _SPACES.sub(" ", part or "").strip().rstrip(_END).strip()


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    """The first letter in lower case, unless the word is an acronym ("UML", "QGIS")."""
    word = text.split(" ", 1)[0]
    if len(word) > 1 and word[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def outcome_sentence(*, verb: str, content: str, criteria: str = "", conditions: str = "") -> OutcomeSentence:
    """One outcome as a sentence (R-AF-4). Blank parts are left out, so an outcome still being
    written reads as far as it goes."""
    verb, content, criteria, conditions = (_clean(x) for x in (verb, content, criteria, conditions))
    conditions = _upper_first(conditions)
    if conditions:
        verb = _lower_first(verb) if verb else verb
        content = content if verb else _lower_first(content)
    elif verb:
        verb = _upper_first(verb)
    else:
        content = _upper_first(content)
    if criteria and (verb or content):
        joiner = " " if criteria.split(" ", 1)[0].lower() in _JOINING_WORDS else ", "
    elif criteria and conditions:
        joiner = ", "
    else:
        joiner, criteria = "", _upper_first(criteria)
    return OutcomeSentence(conditions, verb, content, joiner, criteria)
