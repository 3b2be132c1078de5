"""What a public verification GET costs besides its one query (docs/decisions/0121).

**Limits and counts.** Each GET of a credential's page, JSON or API verdict counts against its
credential's limit and a global ceiling (fixed windows; ``VERIFY_RATE_PER_CREDENTIAL``,
``VERIFY_RATE_GLOBAL``), never against the caller's address (employers share carrier NAT), and
counts one verification for the monthly report. The counts are shared between processes through
the shared cache (Redis in production), but a process does not wait on the cache for every hit:
it counts locally and, at most every ``VERIFY_SYNC_SECONDS``, adds what it counted to the shared
totals in one pipelined round trip and reads them back. A limit is therefore enforced from the
shared total plus this process's own unsent count: other processes' last fraction of a second
can slip through, which a flood limit can afford. Through Django's cache API the same work would
cost about 0.35 ms of CPU per call (it builds a client object each time) and django-ratelimit
needs three calls per limit: more than the whole bare view. Uploads, a full signature check each,
keep django-ratelimit (``credentials.limits``).

**Caches.** A credential's signed document never changes, and its page changes only with its
status, so each process keeps the last pages and documents it served (LRU). A kept page is
served again without a query while the versions of its two status lists, as this process last
read them (every ``VERIFY_STATUS_SECONDS``, one query over a few rows), are the ones it was
checked against; when a list changed, its status bits and status change time are read again
(``credentials.selectors.page_state``) and the page is rendered again if they changed."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)

PREFIX = "mcportal:verify:"
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@functools.lru_cache(maxsize=32)
def parse_rate(rate: str) -> tuple[int, int]:
    """``"60/m"`` -> (60, 60); ``"5/10s"`` -> (5, 10)."""
    found = _RATE.match(rate)
    if not found:
        raise ValueError(f"a rate is '<count>/<s|m|h|d>', not {rate!r}")
    count, multiple, unit = found.groups()
    return int(count), _PERIODS[unit] * int(multiple or 1)


_MONTH: tuple[float, float, date] | None = None  # (from, until, the month): a local day's bounds


def this_month() -> date:
    """The first day of the local month, worked out once a local day (it costs more than the
    rest of counting a hit)."""
    global _MONTH
    now = time.time()
    known = _MONTH
    if known is None or not known[0] <= now < known[1]:
        from datetime import timedelta

        from django.utils import timezone

        local = timezone.localtime()
        start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        known = _MONTH = (start.timestamp(), (start + timedelta(days=1)).timestamp(), start.date().replace(day=1))
    return known[2]


@functools.lru_cache(maxsize=64)
def counter_key(channel: str, month: date) -> str:
    """Worked out once per channel and month: formatting the month costs more than the rest of
    counting a hit."""
    return f"{PREFIX}count:{channel}:{month:%Y-%m}"


# --- The shared totals ------------------------------------------------------------------------------
@functools.cache
def _redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def _client() -> Any | None:
    url = str(getattr(settings, "CACHE_URL", "") or "")
    return _redis(url) if url.startswith(("redis://", "rediss://", "unix://")) else None


def _add_to_shared(deltas: dict[str, int], expiries: dict[str, int]) -> dict[str, int]:
    """Add each delta to its shared total and answer the new totals (one round trip on Redis)."""
    client = _client()
    if client is not None:
        pipe = client.pipeline(transaction=False)
        for key, delta in deltas.items():
            pipe.incrby(key, delta)
            if key in expiries:
                pipe.expire(key, expiries[key], nx=True)
        answers = iter(pipe.execute())
        totals = {}
        for key in deltas:
            totals[key] = int(next(answers))
            if key in expiries:
                next(answers)
        return totals
    totals = {}
    for key, delta in deltas.items():
        if cache.add(key, delta, timeout=expiries.get(key)):
            totals[key] = delta
            continue
        try:
            totals[key] = int(cache.incr(key, delta))
        except ValueError:  # expired between the two calls
            cache.set(key, delta, timeout=expiries.get(key))
            totals[key] = delta
    return totals


class _Counts:
    """This process's counts: what the shared totals said at the last sync, and what it counted
    since."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: dict[str, int] = {}
        self.expiries: dict[str, int] = {}
        self.known: dict[str, int] = {}
        self.ends: dict[int, list[str]] = {}  # the limit keys in ``known``, by their window's end
        self.synced_at = 0.0

    def add(self, key: str, expiry: int | None) -> int:
        """Count one; the total as this process knows it."""
        self.pending[key] = self.pending.get(key, 0) + 1
        if expiry is not None:
            self.expiries[key] = expiry
        return self.known.get(key, 0) + self.pending[key]

    def sync(self, now: float) -> None:
        if not self.pending:
            self.synced_at = now
            return
        deltas, expiries = self.pending, self.expiries
        self.pending, self.expiries = {}, {}
        try:
            totals = _add_to_shared(deltas, expiries)
        except Exception:  # the shared cache is down: keep counting here, try again next time
            log.exception("verification counts could not reach the shared cache")
            for key, delta in deltas.items():
                self.pending[key] = self.pending.get(key, 0) + delta
            self.expiries.update(expiries)
            self.synced_at = now
            return
        window = int(now)
        for key, total in totals.items():
            if key not in self.known and ":limit:" in key:
                end = _window_end(key)
                if end is None or end < window:
                    continue
                self.ends.setdefault(end, []).append(key)
            self.known[key] = total
        # Drop the limit windows that ended, by their end: a first view of each of many
        # credentials adds a key, so going through every known key at each sync would cost
        # more with every credential seen in the window.
        for end in [end for end in self.ends if end < window]:
            for key in self.ends.pop(end):
                self.known.pop(key, None)
        self.synced_at = now


def _window_end(key: str) -> int | None:
    """When a limit window ends (its key says; counters are kept until taken)."""
    try:
        return int(key.rsplit(":", 1)[1])
    except ValueError:
        return None


_COUNTS = _Counts()


def record(*, credential_key: str, channel: str, month: date) -> bool:
    """Count one public GET of a credential against its limit, the global ceiling and the
    monthly count; True when a limit is exceeded (answer 429)."""
    per_credential, period = parse_rate(settings.VERIFY_RATE_PER_CREDENTIAL)
    everyone, global_period = parse_rate(settings.VERIFY_RATE_GLOBAL)
    now = time.time()
    second = int(now)
    # A window's key names the second it ends, so a process can drop what has ended.
    credential_end = (second // period + 1) * period
    global_end = (second // global_period + 1) * global_period
    with _COUNTS.lock:
        for_credential = _COUNTS.add(f"{PREFIX}limit:credential:{credential_key}:{credential_end}", period + 1)
        for_everyone = _COUNTS.add(f"{PREFIX}limit:all:{global_end}", global_period + 1)
        _COUNTS.add(counter_key(channel, month), None)
        if now - _COUNTS.synced_at >= float(getattr(settings, "VERIFY_SYNC_SECONDS", 0.25)):
            _COUNTS.sync(now)
    return for_credential > per_credential or for_everyone > everyone


def count(channel: str, month: date) -> None:
    """One verification counted without a limit (uploads: django-ratelimit limits them)."""
    with _COUNTS.lock:
        _COUNTS.add(counter_key(channel, month), None)
        _COUNTS.sync(time.time())


def take_count(channel: str, month: date) -> int:
    """Read and subtract the month's shared count (the flush); a count added meanwhile stays.
    This process's own unsent counts are sent first."""
    with _COUNTS.lock:
        _COUNTS.sync(time.time())
    key = counter_key(channel, month)
    client = _client()
    value = int((client.get(key) if client is not None else cache.get(key)) or 0)
    if value > 0:
        if client is not None:
            client.decrby(key, value)
        else:
            cache.decr(key, value)
    return value


# --- This process's caches ----------------------------------------------------------------------------
class _Recent:
    """The last ``size`` values put, most recent kept (per process, thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: OrderedDict[str, Any] = OrderedDict()

    def get(self, key: str) -> Any:
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key: str, value: Any) -> None:
        size = int(getattr(settings, "VERIFY_CACHE_ENTRIES", 2000))
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > size:
                self.items.popitem(last=False)

    def forget(self, prefix: str) -> None:
        with self.lock:
            for key in [k for k in self.items if k.startswith(prefix)]:
                del self.items[key]


PAGES = _Recent()
DOCUMENTS = _Recent()


@dataclass(frozen=True)
class Page:
    """A rendered page as kept: what it was rendered from, so a repeat can be checked."""

    credential_id: int
    state: tuple[Any, ...]  # (status change time, revocation bit, suspension bit) when rendered
    lists: tuple[tuple[str, int, Any], ...]  # (purpose, number, version) of its status lists when checked
    fresh_until: float | None  # the verdict changes by itself at this time (validFrom / validUntil)
    body: bytes


# --- The status lists' versions, as this process last read them ----------------------------------------
_MONOTONIC = time.monotonic  # (tests hold this module's ``time`` still; this clock is their own to move)


def _clock() -> float:
    return _MONOTONIC()


class _ListVersions:
    """Every status list's version (last change time) as this process read it, read again at most
    every ``VERIFY_STATUS_SECONDS``. A kept page whose two lists still have the versions it was
    checked against is served without asking the database; a status change anywhere changes its
    list's version, so every process stops serving the old page within that many seconds (and
    the process that made the change at once: ``forget_credential``)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.versions: dict[tuple[str, int], Any] = {}
        self.read_at: float | None = None

    def unchanged(self, lists: tuple[tuple[str, int, Any], ...]) -> bool:
        from credentials.selectors import status_list_versions

        now = _clock()
        with self.lock:
            if self.read_at is None or now - self.read_at >= float(getattr(settings, "VERIFY_STATUS_SECONDS", 1.0)):
                self.versions = status_list_versions()  # the time is taken before the read
                self.read_at = now
            versions = self.versions
        return all(versions.get((purpose, number)) == version for purpose, number, version in lists)


LISTS = _ListVersions()


def page_key(verification_id: str, language: str) -> str:
    return f"{verification_id}:{language}:{issuer_fingerprint()}"


def issuer_fingerprint() -> str:
    """Changes with the portal's DID and its published keys: a key removed makes what it signed
    invalid, so no page kept before may be served after."""
    from credentials.services.verification import portal_methods

    return _fingerprint(portal_methods())


@functools.lru_cache(maxsize=8)
def _fingerprint(methods: frozenset[str]) -> str:
    return hashlib.sha256("|".join(sorted(methods)).encode()).hexdigest()[:16]


def forget_credential(verification_id: str) -> None:
    """After a status change, this process's kept pages of that credential go (other processes
    find the change when they read its status on the next view)."""
    PAGES.forget(f"{verification_id}:")


def reset() -> None:
    """Forget this process's counts and caches (tests)."""
    global _COUNTS, LISTS, _MONTH
    _COUNTS = _Counts()
    _MONTH = None
    LISTS = _ListVersions()
    PAGES.forget("")
    DOCUMENTS.forget("")
