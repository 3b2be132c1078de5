"""A learning outcome is stored as its parts and read as one sentence (R-AF-4, issue 17): the one
rendering the course page, the review page, the MMS and the badge use. Pure: no database."""

from __future__ import annotations

import pytest
from django.utils import translation

from courses.policies import CLOData, ProposalData, ProposalSnapshot
from courses.policies.outcomes import outcome_sentence
from courses.policies.readiness import clo_problems


# DOMAIN R-AF-4: action verb + content, performance criteria, conditions.
@pytest.mark.parametrize(
    ("verb", "content", "criteria", "conditions", "sentence"),
    [
        # The run-on text of issue 17, as a sentence: conditions, verb and content, criteria.
        (
            "Produce",
            "a farm plot flight plan",
            "that meets CAAM rules and gives 75% image overlap",
            "given a farm boundary",
            "Given a farm boundary, produce a farm plot flight plan that meets CAAM rules and gives 75% image overlap.",
        ),
        # Criteria that do not start with a joining word are set off by a comma.
        (
            "Explain",
            "the parts of a computer",
            "correctly naming each part",
            "given a diagram",
            "Given a diagram, explain the parts of a computer, correctly naming each part.",
        ),
        # A joining word ("against", "dengan") needs no comma; stray end punctuation and spaces go.
        (
            "Compare ",
            "network  technologies.",
            "against three criteria;",
            "In a short essay.",
            "In a short essay, compare network technologies against three criteria.",
        ),
        (
            "Terangkan",
            "bahagian komputer",
            "dengan tepat",
            "diberi gambar rajah",
            "Diberi gambar rajah, terangkan bahagian komputer dengan tepat.",
        ),
        # No conditions: the verb starts the sentence, capitalised.
        ("explain", "UML diagrams", "", "", "Explain UML diagrams."),
        # An acronym keeps its case after the conditions.
        ("UML-model", "a shop", "", "using a template", "Using a template, UML-model a shop."),
        # An outcome still being written reads as far as it goes; nothing at all is "".
        ("", "a report", "", "", "A report."),
        ("", "", "", "", ""),
    ],
)
def test_an_outcome_reads_as_one_sentence(verb, content, criteria, conditions, sentence):
    result = outcome_sentence(verb=verb, content=content, criteria=criteria, conditions=conditions)
    assert result.text == sentence == str(result)
    # The pieces a page marks up join to exactly the same sentence.
    assert "".join(words for _, words in result.segments) == sentence


def test_the_segments_name_each_part():
    result = outcome_sentence(verb="Explain", content="the parts", criteria="correctly", conditions="given a diagram")
    parts = [(part, words) for part, words in result.segments if part]
    assert parts == [
        ("conditions", "Given a diagram"),
        ("verb", "explain"),
        ("content", "the parts"),
        ("criteria", "correctly"),
    ]


def _snapshot(*clos: CLOData) -> ProposalSnapshot:
    return ProposalSnapshot(data=ProposalData(kind="cat1_whole", clos=clos))


def test_each_missing_part_is_its_own_problem_at_its_field():
    # DOMAIN R-AF-4: the readiness names the part and points at its input.
    with translation.override("en"):
        problems = clo_problems(_snapshot(CLOData("Explain", "the parts", "", "given a diagram", 6, None)))
    assert [(p.rule_id, p.code, p.field) for p in problems] == [
        ("R-AF-4", "clo_incomplete", "clos[0].criteria"),
        ("R-AF-4", "clo_incomplete", "clos[0].effort_hours"),
    ]
    assert problems[0].message == "CLO1 needs performance criteria: how well the learner must do it."
    assert all("R-AF" not in p.message and "clos[" not in p.message for p in problems)


def test_an_empty_outcome_is_one_problem_and_a_whole_one_none():
    with translation.override("en"):
        empty = clo_problems(_snapshot(CLOData("Explain", "x", "well", "alone", 6, 4), CLOData()))
    assert [(p.code, p.field) for p in empty] == [("clo_empty", "clos[1]")]
    assert clo_problems(_snapshot(CLOData("Explain", "x", "well", "alone", 6, 4))) == []


def test_the_messages_are_in_bahasa_malaysia_too():
    with translation.override("ms"):
        (problem,) = clo_problems(_snapshot(CLOData("Explain", "the parts", "well", "", 6, 4)))
    assert problem.field == "clos[0].conditions"
    assert problem.message.startswith("CLO1 ") and "conditions" not in problem.message


# DOMAIN R-AF-4: each part's case and the join between the content and the criteria, in full, for
# every way an outcome can be part-written (the sentence above is built from these).
@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        # after the conditions: the verb in lower case, the content as typed, a joining word
        (
            ("Plan", "Python scripts", "using QGIS", "given a map"),
            ("Given a map", "plan", "Python scripts", " ", "using QGIS"),
        ),
        # no verb: the content starts after the conditions, in lower case unless an acronym
        (("", "Explain the parts.", "", "given a diagram"), ("Given a diagram", "", "explain the parts", "", "")),
        (("", "QA the release", "", "given a build"), ("Given a build", "", "QA the release", "", "")),
        (("", "OCaml programs", "", "given a spec"), ("Given a spec", "", "OCaml programs", "", "")),
        (("", "A map", "", "given data"), ("Given data", "", "a map", "", "")),
        # no criteria: nothing joins
        (("explain", "networks", "", ""), ("", "Explain", "networks", "", "")),
        (("", "", "", "given a map"), ("Given a map", "", "", "", "")),
        # a verb and criteria but no content yet
        (("explain", "", "correctly", ""), ("", "Explain", "", ", ", "correctly")),
        # conditions and criteria only: a comma; criteria alone start the sentence
        (("", "", "accurately", "given a map"), ("Given a map", "", "", ", ", "accurately")),
        (("", "", "accurately.", ""), ("", "", "", "", "Accurately")),
        # stray punctuation is taken off the end only
        ((" design ", "a survey; ", ":in pairs.", ""), ("", "Design", "a survey", ", ", ":in pairs")),
    ],
)
def test_each_part_of_an_outcome_in_full(parts, expected):
    from courses.policies.outcomes import OutcomeSentence

    verb, content, criteria, conditions = parts
    result = outcome_sentence(verb=verb, content=content, criteria=criteria, conditions=conditions)
    assert result == OutcomeSentence(*expected)


def test_criteria_and_conditions_are_optional():
    # an outcome with only a verb and content: nothing before it, nothing after it
    from courses.policies.outcomes import OutcomeSentence

    assert outcome_sentence(verb="explain", content="networks") == OutcomeSentence("", "Explain", "networks", "", "")


def test_every_missing_part_in_full():
    # DOMAIN R-AF-4: an outcome with only its performance criteria asks for each other part, in
    # order, each at its field and in words.
    with translation.override("en"):
        problems = clo_problems(_snapshot(CLOData("", "", "correctly", "", None, None), CLOData("Explain")))
    assert [(p.field, p.message) for p in problems] == [
        ("clos[0].verb", "CLO1 needs an action verb, such as “explain” or “design”."),
        ("clos[0].outcome", "CLO1 needs its content: what the learner will be able to do."),
        ("clos[0].conditions", "CLO1 needs conditions: what the learner is given or works with."),
        ("clos[0].mqf_level", "CLO1 needs an MQF level."),
        ("clos[0].effort_hours", "CLO1 needs the learning effort in hours."),
        ("clos[1].outcome", "CLO2 needs its content: what the learner will be able to do."),
        ("clos[1].criteria", "CLO2 needs performance criteria: how well the learner must do it."),
        ("clos[1].conditions", "CLO2 needs conditions: what the learner is given or works with."),
        ("clos[1].mqf_level", "CLO2 needs an MQF level."),
        ("clos[1].effort_hours", "CLO2 needs the learning effort in hours."),
    ]
    assert {(p.rule_id, p.code) for p in problems} == {("R-AF-4", "clo_incomplete")}
