"""The JSON-LD contexts the portal knows, and the only document loader it uses.

Canonicalisation needs the contexts a credential names. The loader serves exactly:

- the third-party contexts pinned in ``credentials/contexts/sources.json``, read from the cache
  that ``credentials/contexts/fetch.py`` fills (bin/portal, bin/test and the Docker build run it);
- the portal's own context, ``credentials/contexts/mcportal-v1.jsonld``, published at
  ``{PUBLIC_BASE_URL}/ns/mcportal/v1`` with its vocabulary under ``{PUBLIC_BASE_URL}/ns/mcportal#``.

Every other URL is refused with :class:`ContextNotAllowedError`; nothing is fetched over the
network at run time. A credential naming a context we do not hold cannot be canonicalised, so it
cannot be signed and does not verify.
"""

from __future__ import annotations

import copy
import functools
import json
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings

from credentials.contexts import fetch

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"
# Only a wallet's DIDAuth presentation may name these (``presentation_loader``), never a credential.
CREDENTIALS_V1 = "https://www.w3.org/2018/credentials/v1"
ED25519_2020_V1 = "https://w3id.org/security/suites/ed25519-2020/v1"
# 1EdTech's Comprehensive Learner Record 2.0 context: on no package registry, so kept in the repo
# verbatim as a data file (credentials/contexts/vendored/NOTICE.md says where from and its licence).
CLR_V2 = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
VENDORED_DIR = Path(fetch.HERE) / "vendored"
_VENDORED = {CLR_V2: "clr-v2p0-2.0.1.json"}

OWN_CONTEXT_FILE = Path(fetch.HERE) / "mcportal-v1.jsonld"
_BASE_URL_PLACEHOLDER = "__PUBLIC_BASE_URL__"


class CanonicalisationError(ValueError):
    """A document cannot be canonicalised safely (so it cannot be signed or verified)."""


class ContextNotAllowedError(CanonicalisationError):
    """A document names a context this portal does not serve."""

    def __init__(self, url: str) -> None:
        super().__init__(f"the JSON-LD context {url} is not one this portal loads (only pinned, cached contexts are)")
        self.url = url


class ContextCacheMissingError(RuntimeError):
    """The pinned third-party contexts have not been fetched (a set-up problem, not bad input)."""


def own_context_url() -> str:
    """Where the portal publishes its own context (the lead's URL route serves it there)."""
    return f"{settings.PUBLIC_BASE_URL}/ns/mcportal/v1"


def own_vocabulary() -> str:
    """The namespace of the portal's own terms (sltHours, mqfLevel, ...)."""
    return f"{settings.PUBLIC_BASE_URL}/ns/mcportal#"


@functools.cache
def _own_context_template() -> str:
    return OWN_CONTEXT_FILE.read_text(encoding="utf-8")


@functools.lru_cache(maxsize=8)
def _own_context_for(base_url: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(_own_context_template())
    document["@context"]["mcp"] = f"{base_url}/ns/mcportal#"
    if _BASE_URL_PLACEHOLDER in json.dumps(document):
        raise RuntimeError(f"{OWN_CONTEXT_FILE} uses the base-URL placeholder outside the 'mcp' prefix")
    return document


def own_context() -> dict[str, Any]:
    """The portal's context document (a fresh copy), for the view that publishes it."""
    return copy.deepcopy(_own_context_for(settings.PUBLIC_BASE_URL))


@functools.cache
def _pinned_contexts(cache_dir: Path) -> dict[str, dict[str, Any]]:
    documents = {}
    for entry in fetch.load_sources():
        path = cache_dir / entry["file"]
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ContextCacheMissingError(
                f"the JSON-LD context {entry['url']} is not cached at {path}: "
                "run `python credentials/contexts/fetch.py` (bin/portal and bin/test do)"
            ) from None
        if fetch.sha256_hex(data) != entry["sha256"]:
            raise ContextCacheMissingError(
                f"{path} does not match its pinned sha256: run `python credentials/contexts/fetch.py` to replace it"
            )
        documents[entry["url"]] = json.loads(data)
    return documents


@functools.cache
def _presentation_contexts(cache_dir: Path) -> dict[str, dict[str, Any]]:
    documents = {}
    for entry in fetch.load_sources(kind="presentation_contexts"):
        path = cache_dir / entry["file"]
        data = path.read_bytes() if path.is_file() else b""
        if fetch.sha256_hex(data) != entry["sha256"]:
            raise ContextCacheMissingError(
                f"the JSON-LD context {entry['url']} is not cached at {path} (or does not match its pin): "
                "run `python credentials/contexts/fetch.py`"
            )
        documents[entry["url"]] = json.loads(data)
    return documents


@functools.cache
def presentation_loader() -> DocumentLoader:
    """The loader for a holder's DIDAuth presentation (issue 16): the credential contexts plus VC
    1.1 and the Ed25519Signature2020 suite, which wallets such as the DCC Learner Credential Wallet
    sign presentations with. Credentials are never canonicalised with it."""
    return DocumentLoader(extra=_presentation_contexts(fetch.CACHE_DIR))


def pinned_contexts() -> dict[str, dict[str, Any]]:
    """The third-party contexts by URL, checked against their pins (raises if not fetched), and
    the vendored ones kept in the repo."""
    return {**_pinned_contexts(fetch.CACHE_DIR), **vendored_contexts()}


@functools.cache
def vendored_contexts() -> dict[str, dict[str, Any]]:
    return {url: json.loads((VENDORED_DIR / name).read_text(encoding="utf-8")) for url, name in _VENDORED.items()}


class _BoundedCache(OrderedDict[str, Any]):
    """A small least-recently-used map, the shape pyld's ContextResolver wants for its cache."""

    def __init__(self, maxsize: int = 64) -> None:
        super().__init__()
        self.maxsize = maxsize

    def get(self, key: str, default: Any = None) -> Any:
        if key in self:
            self.move_to_end(key)
            return self[key]
        return default

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.maxsize:
            self.popitem(last=False)


class ProcessCache:
    """What canonicalising keeps for the life of the process: contexts pyld has processed and
    node objects it has expanded more than once (canon.py), and canonical proof configurations
    (proofs.py). The contexts are pinned and
    local, so nothing kept goes stale; the bound only stops documents that carry their own
    inline contexts (or made-up proof options) from growing it without end."""

    def __init__(self, maxsize: int = 4096) -> None:
        self.maxsize = maxsize
        self._entries: dict[Any, Any] = {}

    def get(self, key: Any) -> Any:
        return self._entries.get(key)

    def put(self, key: Any, value: Any) -> None:
        if len(self._entries) >= self.maxsize:
            self._entries.clear()
        self._entries[key] = value

    def __len__(self) -> int:
        return len(self._entries)


class DocumentLoader:
    """A pyld document loader over the allowlist above (plus ``extra`` documents, for tests
    that need a published test vector's own context). Each loader keeps its own cache of
    processed contexts, so what one loader allowed never leaks into another."""

    def __init__(self, extra: Mapping[str, dict[str, Any]] | None = None) -> None:
        self.extra = {url: copy.deepcopy(document) for url, document in (extra or {}).items()}
        self.resolved_contexts = _BoundedCache()
        self.processed_contexts = ProcessCache()
        self.proof_configurations = ProcessCache(maxsize=256)
        self.expanded_nodes = ProcessCache(maxsize=2048)

    def allowed_urls(self) -> list[str]:
        return [*pinned_contexts(), own_context_url(), *self.extra]

    def document(self, url: str) -> dict[str, Any]:
        if url in self.extra:
            return copy.deepcopy(self.extra[url])
        if url == own_context_url():
            return own_context()
        pinned = pinned_contexts()
        if url in pinned:
            return copy.deepcopy(pinned[url])
        raise ContextNotAllowedError(url)

    def __call__(self, url: str, options: Any = None) -> dict[str, Any]:
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": self.document(url),
            # pyld keeps a processed remote context in the resolver cache only when the loader
            # marks it static; ours never change while the process runs.
            "tag": "static",
        }


@functools.cache
def default_loader() -> DocumentLoader:
    return DocumentLoader()
