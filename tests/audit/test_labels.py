"""Issue 17: every audit action has a translated label, so no history shows a raw key such as
"survey_attach"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from audit.labels import AUDIT_ACTION_LABELS, audit_action_label
from courses.policies.workflow import ACTION_LABELS
from courses.templatetags.courses_tags import action_label

ROOT = Path(settings.BASE_DIR)
APPS = ("accounts", "audit", "core", "policy", "courses", "enrolment", "credentials", "transfer", "reports")
LITERAL = re.compile(r'action="([a-z_]+\.[a-z_]+)"')
CHOSEN = re.compile(r'action="([a-z_]+\.[a-z_]+)" if \w+ else "([a-z_]+\.[a-z_]+)"')


def _recorded_actions() -> set[str]:
    found: set[str] = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if "audit_record" not in text:
                continue
            found.update(LITERAL.findall(text))
            for pair in CHOSEN.findall(text):
                found.update(pair)
    found.update(f"credential.{a}" for a in ("revoke", "suspend", "reinstate"))
    return {a for a in found if not a.startswith("transfer.")}  # transfer's history has its own labels


def test_the_scan_finds_the_actions():
    actions = _recorded_actions()
    assert {"proposal.survey_attach", "settings.update", "credential.revoke", "name_change.refuse"} <= actions


@pytest.mark.parametrize("action", sorted(_recorded_actions()))
def test_every_recorded_action_has_a_label_in_both_languages(action):
    assert action in AUDIT_ACTION_LABELS, f"add a label for {action} in audit/labels.py"
    with translation.override("en"):
        english = audit_action_label(action)
    with translation.override("ms"):
        malay = audit_action_label(action)
    assert english != action and malay != english, action


@pytest.mark.parametrize("action", sorted(ACTION_LABELS))
def test_the_proposal_history_labels_every_workflow_step(action):
    with translation.override("ms"):
        assert action_label(f"proposal.{action}") != action


def test_the_proposal_history_never_shows_survey_attach():
    for language in ("en", "ms"):
        with translation.override(language):
            assert "survey_attach" not in action_label("proposal.survey_attach")
