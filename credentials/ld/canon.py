"""RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents, in a safe mode.

pyld does the JSON-LD expansion and the canonicalisation (its URDNA2015, which RDFC-1.0 took
over unchanged except for how a few control characters are escaped in literals). A plain
JSON-LD processor silently drops whatever it cannot map to an IRI, and a signature over the
remainder would let those parts change freely (R-CR-3). So before anything is signed or
verified this module refuses, with a message naming the problem:

- a term none of the document's contexts defines (pyld reports each dropped property);
- a relative IRI as a node id, a type or a datatype (RDF drops those triples), an IRI with
  characters IRIs cannot have, a property that expands to a blank node;
- ``null`` values (they sign nothing), ``@index`` (not in RDF) and ``@direction`` (dropped
  without an rdfDirection mode);
- a malformed language tag;
- characters whose canonical N-Quads escaping pyld does not follow RDFC-1.0 for (control
  characters other than tab, line feed and carriage return, and non-characters); and
- values that are not JSON (a ``Decimal`` or ``datetime``: the caller must format them).

Processed contexts are cached per document loader, so after the first document each
canonicalisation reuses them.
"""

from __future__ import annotations

import math
import re
from typing import Any

from pyld import jsonld
from pyld.context_resolver import ContextResolver

from credentials.ld.contexts import (
    CanonicalisationError,
    ContextCacheMissingError,
    ContextNotAllowedError,
    DocumentLoader,
    default_loader,
)

# Characters RDFC-1.0 wants as \uXXXX (or \b, \f) but pyld writes raw: refused, never mis-signed.
_UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# RFC 3987: an IRI has a scheme and none of these characters.
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x20]*$")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_KEYWORD_FORM = re.compile(r"^@[A-Za-z]+$")
_KEYWORDS = frozenset(
    [
        "@base",
        "@container",
        "@context",
        "@direction",
        "@graph",
        "@id",
        "@import",
        "@included",
        "@index",
        "@json",
        "@language",
        "@list",
        "@nest",
        "@none",
        "@prefix",
        "@propagate",
        "@protected",
        "@reverse",
        "@set",
        "@type",
        "@value",
        "@version",
        "@vocab",
    ]
)


def canonicalize(document: dict[str, Any], *, loader: DocumentLoader | None = None) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document. Raises CanonicalisationError
    (ContextNotAllowedError for a context outside the allowlist) rather than drop anything."""
    loader = loader or default_loader()
    if not isinstance(document, dict):
        raise CanonicalisationError("a JSON-LD document must be a JSON object")
    _check_json(document, "$")
    dropped: list[str | None] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=dropped.append)
    options = {
        "documentLoader": loader,
        "contextResolver": ContextResolver(loader.resolved_contexts, loader),
        # None, not "": pyld resolves relative IRIs against http://example.org/base/ when the base
        # is "", which would sign a made-up IRI. With None they stay relative and are refused below.
        "base": None,
        "processingMode": "json-ld-1.1",
    }
    try:
        expanded = processor.expand(document, options)
    except Exception as error:  # pyld raises more than JsonLdError on malformed input
        raise _translated(error) from error
    if dropped:
        names = ", ".join(sorted({repr(name) if name else "a term mapped to null" for name in dropped}))
        raise CanonicalisationError(f"no context in the document defines {names}, so it would be silently dropped")
    _check_expanded(expanded, "$")
    try:
        nquads: str = processor.normalize(
            expanded, {**options, "algorithm": "URDNA2015", "format": "application/n-quads"}
        )
    except Exception as error:
        raise _translated(error) from error
    return nquads


def _translated(error: Exception) -> Exception:
    """pyld wraps whatever the loader raised; bring our own errors back out."""
    seen: Exception | None = error
    while seen is not None:
        if isinstance(seen, ContextNotAllowedError | ContextCacheMissingError):
            return seen
        seen = seen.__cause__ if isinstance(seen.__cause__, Exception) else None
    message = str(error.args[0]) if error.args else type(error).__name__
    code = getattr(error, "code", None)
    details = getattr(error, "details", None)
    where = f" ({code})" if code else ""
    if isinstance(details, dict) and details.get("url"):
        where += f" at {details['url']}"
    return CanonicalisationError(f"JSON-LD processing failed: {message}{where}")


def _check_json(value: Any, path: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalisationError(f"{path} has a non-string key {key!r}")
            _check_text(key, f"{path}.{key}")
            if _KEYWORD_FORM.match(key) and key not in _KEYWORDS:
                raise CanonicalisationError(
                    f"{path}.{key} looks like a JSON-LD keyword but is not one, so it would be dropped"
                )
            if key == "@context":
                continue  # pyld validates contexts; null is meaningful there
            if item is None:
                raise CanonicalisationError(f"{path}.{key} is null, which signs nothing: leave the property out")
            _check_json(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if item is None:
                raise CanonicalisationError(f"{path}[{index}] is null, which signs nothing")
            _check_json(item, f"{path}[{index}]")
    elif isinstance(value, str):
        _check_text(value, path)
    elif isinstance(value, bool | int):
        return
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise CanonicalisationError(f"{path} is {value!r}, which JSON cannot carry")
    else:
        raise CanonicalisationError(
            f"{path} is a {type(value).__name__}, not a JSON value: format it as a string first"
        )


def _check_text(text: str, path: str) -> None:
    found = _UNSAFE_CHARACTERS.search(text)
    if found:
        raise CanonicalisationError(
            f"{path} contains the control character U+{ord(found.group()):04X}, which is not accepted in a credential"
        )


def _check_iri(iri: Any, path: str, *, blank_node_ok: bool) -> None:
    if not isinstance(iri, str):
        raise CanonicalisationError(f"{path} is not an IRI")
    if iri.startswith("_:"):
        if blank_node_ok:
            return
        raise CanonicalisationError(f"{path} is the blank node {iri!r}, not an IRI")
    if not _ABSOLUTE_IRI.match(iri):
        raise CanonicalisationError(f"{path} {iri!r} is not an absolute IRI, so RDF would drop it")


def _check_expanded(items: Any, path: str) -> None:
    """Walk expanded JSON-LD for what toRdf would silently leave out."""
    for index, item in enumerate(items if isinstance(items, list) else [items]):
        here = f"{path}[{index}]"
        if not isinstance(item, dict):
            continue
        if "@value" in item:
            _check_value(item, here)
            continue
        if "@list" in item or "@set" in item:
            _check_expanded(item.get("@list", item.get("@set")), here)
            continue
        _check_node(item, here)


def _check_value(item: dict[str, Any], path: str) -> None:
    if "@index" in item:
        raise CanonicalisationError(f"{path} uses @index, which RDF does not keep")
    if "@direction" in item:
        raise CanonicalisationError(f"{path} has a text direction (@direction), which would be dropped")
    datatype = item.get("@type")
    if datatype is not None and datatype != "@json":
        _check_iri(datatype, f"{path} datatype", blank_node_ok=False)
    language = item.get("@language")
    if language is not None and not (isinstance(language, str) and _LANGUAGE_TAG.match(language)):
        raise CanonicalisationError(f"{path} has the malformed language tag {language!r}")


def _check_node(node: dict[str, Any], path: str) -> None:
    if "@index" in node:
        raise CanonicalisationError(f"{path} uses @index, which RDF does not keep")
    if "@id" in node:
        _check_iri(node["@id"], f"{path} id", blank_node_ok=True)
    for type_iri in node.get("@type", []):
        _check_iri(type_iri, f"{path} type", blank_node_ok=False)
    for key, value in node.items():
        if key in {"@id", "@type"}:
            continue
        if key in {"@graph", "@included"}:
            _check_expanded(value, f"{path}.{key}")
        elif key == "@reverse":
            for reverse_property, reverse_items in value.items():
                _check_iri(reverse_property, f"{path} reverse property", blank_node_ok=False)
                _check_expanded(reverse_items, f"{path}.@reverse")
        elif key.startswith("@"):
            continue
        else:
            _check_iri(key, f"{path} property", blank_node_ok=False)
            _check_expanded(value, f"{path}.<{key}>")
