"""Word-level differences between two versions of a field (issue 17, R-WF-5): which words were
removed from the old text and which were added to the new one. Pure: plain strings in, pieces
out; the template escapes every piece."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

SAME, REMOVED, ADDED = "same", "removed", "added"

# Words, runs of white space, and single other characters (punctuation, symbols).
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Piece:
    kind: str  # SAME, REMOVED or ADDED
    text: str


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _merged(pieces: list[Piece]) -> tuple[Piece, ...]:
    out: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if out and out[-1].kind == piece.kind:
            out[-1] = Piece(piece.kind, out[-1].text + piece.text)
        else:
            out.append(piece)
    return tuple(out)


def word_diff(before: str, after: str) -> tuple[tuple[Piece, ...], tuple[Piece, ...]]:
    """The old text as pieces kept or removed, and the new text as pieces kept or added. White
    space alone between two changes counts as changed, so "quick brown" -> "slow red" reads as
    one change rather than two."""
    a, b = tokens(before), tokens(after)
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    old: list[Piece] = []
    new: list[Piece] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(ops):
        left, right = "".join(a[i1:i2]), "".join(b[j1:j2])
        between = 0 < index < len(ops) - 1 and left.isspace()
        if tag == "equal" and not between:
            old.append(Piece(SAME, left))
            new.append(Piece(SAME, right))
        else:
            old.append(Piece(REMOVED, left))
            new.append(Piece(ADDED, right))
    return _merged(old), _merged(new)
