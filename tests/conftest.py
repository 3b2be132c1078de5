from __future__ import annotations

import pytest

from accounts.models import PTj
from tests.factories import PTjFactory


@pytest.fixture
def ptj(db) -> PTj:
    return PTjFactory(code="FCSIT", name="Faculty of Computer Science and Information Technology")


@pytest.fixture
def other_ptj(db) -> PTj:
    return PTjFactory(code="FENG", name="Faculty of Engineering")
