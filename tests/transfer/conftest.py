from __future__ import annotations

import pytest

from tests.transfer import builders


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return builders.world()
