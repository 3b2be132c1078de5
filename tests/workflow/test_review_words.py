"""Issue 17 (R-WF-5): the review page's "What changed" marks the words that changed inside a
field, with words for screen readers, and escapes every field."""

from __future__ import annotations

import dataclasses
import re

import pytest

from courses.services import proposal_submit, proposal_transition, proposal_update
from tests.workflow.conftest import fresh

pytestmark = pytest.mark.django_db


def test_the_review_page_marks_the_changed_words_and_escapes_every_field(client, new_proposal, people):
    proposal = new_proposal(synopsis="Learners build a small network.")
    proposal_submit(actor=people.developer, proposal=proposal)
    proposal_transition(actor=people.head_mqa, proposal=fresh(proposal), action="return", comment="Say more.")
    hostile = 'Learners build a <script>alert("x")</script> network.'
    from courses.selectors import proposal_data

    data = dataclasses.replace(proposal_data(fresh(proposal)), synopsis=hostile)
    proposal_update(actor=people.developer, proposal=fresh(proposal), data=data)
    proposal_submit(actor=people.developer, proposal=fresh(proposal))
    client.force_login(people.head_mqa)
    response = client.get(f"/proposals/{proposal.pk}/review/")
    assert response.status_code == 200
    section = response.content.decode().split('id="diff"')[1].split("</section>")[0]
    row = re.search(r'<tr class="diff-changed"><th scope="row">Synopsis</th>(.*?)</tr>', section, re.S)
    assert row is not None
    cells = row.group(1)
    assert "<script" not in section
    assert 'Learners build a <del><span class="visually-hidden">removed: “</span>small' in cells
    assert (
        '<ins><span class="visually-hidden">added: “</span>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;' in cells
    )
    assert "</del> network." in cells and "</ins> network." in cells
