from __future__ import annotations

import pytest

from credentials.contexts import fetch


@pytest.fixture(scope="session", autouse=True)
def _json_ld_contexts() -> None:
    """The pinned JSON-LD contexts are cached before any credential is signed or verified
    (bin/test fetches them; this covers a bare `pytest`). Without them the tests fail, never skip."""
    try:
        fetch.fetch_contexts()
    except (fetch.ContextFetchError, OSError) as error:
        pytest.fail(
            f"The JSON-LD contexts are not cached and could not be fetched ({error}). "
            "Run `python credentials/contexts/fetch.py` with access to registry.npmjs.org.",
            pytrace=False,
        )


@pytest.fixture
def ratelimit_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold django-ratelimit's clock still. Its windows are fixed 60-second slots, so a burst of
    61 requests that happens to straddle a slot boundary would start counting again from zero;
    freezing the clock keeps every request of the burst in one window."""
    import time as real_time
    from types import SimpleNamespace

    import django_ratelimit.core

    frozen = real_time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: frozen))
