"""Issue 17, pure: which editor step holds which field, and the word-level "What changed"."""

from __future__ import annotations

import pytest

from courses.policies import STEP_KEYS, Problem, count_by_step, step_of
from courses.policies.textdiff import ADDED, REMOVED, SAME, Piece, word_diff
from courses.policies.workflow import Change


@pytest.mark.parametrize(
    ("field", "step"),
    [
        ("", "basics"),
        ("title", "basics"),
        ("origin_course", "basics"),
        ("lecturers", "basics"),
        ("justification", "basics"),
        ("clos", "outcomes"),  # R-AF-4
        ("clos[2].verb", "outcomes"),
        ("units", "table4"),  # R-SLT-1
        ("units[0].lines[2].rate_minutes", "table4"),  # R-SLT-2
        ("delivery_mode", "table4"),  # R-WF-6
        ("ptg_reference", "table4"),
        ("components[1].weight", "assessment"),  # R-AS-1
        ("survey_respondents", "survey"),  # R-AF-3
        ("survey_file", "survey"),
    ],
)
def test_each_field_belongs_to_the_step_that_shows_it(field, step):
    assert step_of(field) == step
    assert Problem("R-X-1", "code", "message", field).step == step


def test_count_by_step_names_every_step():
    problems = [Problem("R", "c", "m", f) for f in ("title", "units[0]", "units", "clos")]
    assert count_by_step(problems) == {
        "basics": 1,
        "outcomes": 1,
        "table4": 2,
        "assessment": 0,
        "survey": 0,
        "review": 0,
    }
    assert tuple(count_by_step([])) == STEP_KEYS


def test_word_diff_marks_only_the_changed_words():
    # R-WF-5: the reviewer sees which words changed inside a field, not the whole field.
    old, new = word_diff("Learners build a small network.", "Learners build a secure home network!")
    assert old == (
        Piece(SAME, "Learners build a "),
        Piece(REMOVED, "small"),
        Piece(SAME, " network"),
        Piece(REMOVED, "."),
    )
    assert new == (
        Piece(SAME, "Learners build a "),
        Piece(ADDED, "secure home"),
        Piece(SAME, " network"),
        Piece(ADDED, "!"),
    )


def test_white_space_between_two_changes_joins_them():
    old, new = word_diff("the quick brown fox", "the slow red fox")
    assert [p.kind for p in old] == [SAME, REMOVED, SAME] and old[1].text == "quick brown"
    assert [p.kind for p in new] == [SAME, ADDED, SAME] and new[1].text == "slow red"


@pytest.mark.parametrize(
    ("before", "after", "old", "new"),
    [
        ("", "", (), ()),
        ("", "New text", (), (Piece(ADDED, "New text"),)),
        ("Old text", "", (Piece(REMOVED, "Old text"),), ()),
        ("Same", "Same", (Piece(SAME, "Same"),), (Piece(SAME, "Same"),)),
        (
            "line one\nline two",
            "line one\nline 2",
            (Piece(SAME, "line one\nline "), Piece(REMOVED, "two")),
            (Piece(SAME, "line one\nline "), Piece(ADDED, "2")),
        ),
    ],
)
def test_word_diff_edges(before, after, old, new):
    assert word_diff(before, after) == (old, new)


def test_the_pieces_put_back_together_are_the_two_texts():
    before = "Menganalisis <b>rangkaian</b> & keselamatan, 75% overlap."
    after = "Menilai <i>rangkaian</i> & keselamatan siber, 80% overlap."
    old, new = word_diff(before, after)
    assert "".join(p.text for p in old) == before and all(p.kind != ADDED for p in old)
    assert "".join(p.text for p in new) == after and all(p.kind != REMOVED for p in new)


def test_a_change_gives_its_words():
    change = Change("title", "Title", "Micro-Credential in Networks", "Micro-Credential in Home Networks")
    old, new = change.words
    assert old == (Piece(SAME, "Micro-Credential in Networks"),)
    assert new == (Piece(SAME, "Micro-Credential in "), Piece(ADDED, "Home "), Piece(SAME, "Networks"))


@pytest.mark.parametrize(
    ("before", "after", "old", "new"),
    [
        # white space between two changes is part of one change (R-WF-5's "what changed")
        ("quick brown", "slow red", [(REMOVED, "quick brown")], [(ADDED, "slow red")]),
        # white space at the very start or end is kept, not changed
        (" quick", " slow", [(SAME, " "), (REMOVED, "quick")], [(SAME, " "), (ADDED, "slow")]),
        ("quick ", "slow ", [(REMOVED, "quick"), (SAME, " ")], [(ADDED, "slow"), (SAME, " ")]),
    ],
)
def test_word_diff_white_space_at_the_edges_and_between_changes(before, after, old, new):
    assert word_diff(before, after) == (tuple(Piece(k, t) for k, t in old), tuple(Piece(k, t) for k, t in new))


def test_word_diff_of_a_long_text_marks_only_the_changed_word():
    # A long synopsis (over 200 words, where difflib's "autojunk" would treat common words and
    # spaces as junk) changed in one word shows one word removed and one added.
    words = [f"word{n % 37}" for n in range(260)]
    before = " ".join(words)
    after = " ".join([*words[:130], "CHANGED", *words[131:]])
    old, new = word_diff(before, after)
    assert [p for p in old if p.kind == REMOVED] == [Piece(REMOVED, words[130])]
    assert [p for p in new if p.kind == ADDED] == [Piece(ADDED, "CHANGED")]
