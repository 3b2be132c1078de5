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
    """Hold the rate limits' clocks still (django-ratelimit's for uploads, credentials.hits' for
    the credential GETs). Their windows are fixed slots, so a burst that happens to straddle a
    slot boundary would start counting again from zero; freezing the clock keeps every request of
    the burst in one window."""
    import time as real_time
    from types import SimpleNamespace

    import django_ratelimit.core

    import credentials.hits

    frozen = real_time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: frozen))
    monkeypatch.setattr(credentials.hits, "time", SimpleNamespace(time=lambda: frozen))


@pytest.fixture(autouse=True)
def _fresh_verification_counts():
    """Each test starts with no verification counted and nothing kept by this process
    (credentials.hits keeps them per process)."""
    from credentials import hits

    hits.reset()
    yield
    hits.reset()
