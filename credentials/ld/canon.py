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

Speed (issue 15; decision 0140). A credential is canonicalised once, and only what changes:

- pyld expands the document once (that expansion runs the checks above); Oxigraph's JSON-LD
  parser turns the expanded form into RDF, given pyld's own literal for every number, boolean,
  JSON value and double and held to the number of triples the expanded form states (decision
  0260); anything else goes through pyld's own node map, with no second expansion either way;
- the checks run first without building the paths their messages name, and again with them
  only when something fails;
- processed contexts, including the type-scoped contexts pyld would otherwise process again
  for every node, are kept on the document loader for the life of the process (they are pinned
  and local, so they never change while it runs);
- the RDF dataset is canonicalised by Oxigraph's RDFC-1.0 (pyoxigraph, Rust) rather than pyld's
  pure-Python URDNA2015; the two give byte-identical output (tests prove it on the W3C test
  vector and on every document the tests sign).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pyoxigraph
from pyld import jsonld
from pyld.context_resolver import ContextResolver
from pyld.identifier_issuer import IdentifierIssuer

from credentials.ld.contexts import (
    CanonicalisationError,
    ContextCacheMissingError,
    ContextNotAllowedError,
    DocumentLoader,
    default_loader,
)

# The immutable mapping pyld returns processed contexts as (frozendict, pyld's own dependency).
_FROZEN = type(jsonld.freeze({}))
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
    processor, options = _processor(loader)
    expanded = _expand_checked(document, processor, options)
    dataset = _oxigraph_dataset(processor, expanded, options)
    if dataset is None:
        return rdfc10(_nquads(processor, expanded, options))
    return _canonical_lines(dataset)


def canonicalize_with_pyld(document: dict[str, Any], *, loader: DocumentLoader | None = None) -> str:
    """The same canonical N-Quads the slow way, for the tests to hold the fast way to: a plain
    pyld processor (no kept processed contexts), its full normalize() (which expands again)
    and its own URDNA2015."""
    loader = loader or default_loader()
    processor = jsonld.JsonLdProcessor()
    options = {
        "documentLoader": loader,
        "contextResolver": ContextResolver({}, loader),
        "base": None,
        "processingMode": "json-ld-1.1",
    }
    expanded = _expand_checked(document, processor, options)
    try:
        nquads: str = processor.normalize(
            expanded, {**options, "algorithm": "URDNA2015", "format": "application/n-quads"}
        )
    except Exception as error:
        raise _translated(error) from error
    return nquads


def _processor(loader: DocumentLoader) -> tuple[jsonld.JsonLdProcessor, dict[str, Any]]:
    options = {
        "documentLoader": loader,
        "contextResolver": ContextResolver(loader.resolved_contexts, loader),
        # None, not "": pyld resolves relative IRIs against http://example.org/base/ when the base
        # is "", which would sign a made-up IRI. With None they stay relative and are refused below.
        "base": None,
        "processingMode": "json-ld-1.1",
    }
    return _KeptContextProcessor(), options


def _expand_checked(document: Any, processor: jsonld.JsonLdProcessor, options: dict[str, Any]) -> list[Any]:
    if not isinstance(document, dict):
        raise CanonicalisationError("a JSON-LD document must be a JSON object")
    if not _json_clean(document):
        _check_json(document, "$")  # names what is wrong
        raise CanonicalisationError("the document holds a value that cannot be signed safely")
    dropped: list[str | None] = []

    def on_dropped(name: str | None) -> None:
        dropped.append(name)
        if isinstance(processor, _KeptContextProcessor):
            processor.dropped += 1

    processor.on_property_dropped = on_dropped
    try:
        # pyld deep-copies the document before expanding it; the checked document holds JSON values
        # only, which _copy_json copies in a third of deepcopy's time (decision 0260).
        given = _JsonDocument(document) if isinstance(processor, _KeptContextProcessor) else document
        expanded: list[Any] = processor.expand(given, options)
    except Exception as error:  # pyld raises more than JsonLdError on malformed input
        raise _translated(error) from error
    if dropped:
        names = ", ".join(sorted({repr(name) if name else "a term mapped to null" for name in dropped}))
        raise CanonicalisationError(f"no context in the document defines {names}, so it would be silently dropped")
    if not _expanded_clean(expanded):
        _check_expanded(expanded, "$")  # names what is wrong
        raise CanonicalisationError("the document holds something RDF would drop")
    return expanded


def _nquads(processor: jsonld.JsonLdProcessor, expanded: list[Any], options: dict[str, Any]) -> str:
    """The RDF dataset of an already-expanded document as (not yet canonical) N-Quads: what
    pyld's to_rdf() does after its own expansion, without expanding again."""
    try:
        issuer = IdentifierIssuer("_:b")
        node_map: dict[str, Any] = {"@default": {}}
        processor._create_node_map(expanded, node_map, "@default", issuer)
        rdf_options = {**options, "produceGeneralizedRdf": False}
        dataset = {
            name: processor._graph_to_rdf(graph, issuer, rdf_options)
            for name, graph in sorted(node_map.items())
            # pyld skips graphs named by a relative IRI; _check_expanded has refused those already.
            # A graph named by a blank node (an embedded credential's ``proof``, issue 16) is kept,
            # as pyld's own to_rdf keeps it.
            if name == "@default" or name.startswith("_:") or _ABSOLUTE_IRI.match(name)
        }
        nquads: str = jsonld.JsonLdProcessor.to_nquads(dataset)
    except Exception as error:
        raise _translated(error) from error
    return nquads


def rdfc10(nquads: str) -> str:
    """RDFC-1.0 (SHA-256) of an N-Quads dataset, by Oxigraph: the canonical N-Quads, one quad a
    line, sorted by code point as RDFC-1.0 section 4.4 says."""
    try:
        dataset = pyoxigraph.Dataset(pyoxigraph.parse(nquads, format=pyoxigraph.RdfFormat.N_QUADS))
    except (SyntaxError, ValueError) as error:
        raise CanonicalisationError(f"RDF canonicalisation failed: {error}") from error
    return _canonical_lines(dataset)


def _canonical_lines(dataset: pyoxigraph.Dataset) -> str:
    try:
        dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    except (SyntaxError, ValueError) as error:
        raise CanonicalisationError(f"RDF canonicalisation failed: {error}") from error
    return "".join(sorted(f"{quad} .\n" for quad in dataset))


def _oxigraph_dataset(
    processor: jsonld.JsonLdProcessor, expanded: list[Any], options: dict[str, Any]
) -> pyoxigraph.Dataset | None:
    """The RDF dataset of an already-expanded (and checked) document, converted by Oxigraph's
    JSON-LD parser rather than pyld's node map (decision 0260), or None to take pyld's way.

    Oxigraph gives the same triples as pyld for plain expanded JSON-LD except in two ways, both
    closed here. It writes native numbers, booleans, ``@json`` and ``xsd:double`` values in its
    own lexical forms (1.0 becomes an integer, doubles keep 17 digits): every such value is
    turned first into the literal pyld's own ``_object_to_rdf`` makes of it. And where pyld keeps
    a triple Oxigraph finds invalid (an IRI or language tag it will not accept), Oxigraph drops
    it silently: so the triples the expanded form states are counted, and unless Oxigraph's
    dataset holds exactly that many (no triple dropped, none repeated), or it raises, the
    document goes pyld's way, which signs what it states or refuses. Lists, ``@reverse`` and
    ``@included`` (which the portal's documents do not use) always go pyld's way."""
    undo: list[tuple[list[Any], int, Any]] = []
    try:
        expected = _plain_triples(expanded, processor, options, undo)
        if expected is None:
            return None
        try:
            text = json.dumps(expanded, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError):
            return None
    finally:
        for items, index, original in reversed(undo):
            items[index] = original
    try:
        dataset = pyoxigraph.Dataset(pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.JSON_LD))
    except (SyntaxError, ValueError):
        return None
    if len(dataset) != expected:
        return None
    return dataset


_XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"


def _plain_triples(
    items: list[Any], processor: jsonld.JsonLdProcessor, options: dict[str, Any], undo: list[Any]
) -> int | None:
    """How many triples the node objects in ``items`` (expanded JSON-LD, a document or a graph)
    state, each value as pyld converts it; None for anything not plain (``@reverse``,
    ``@included``, a top-level value or list). Value objects Oxigraph would write differently
    from pyld are replaced in place by pyld's literal, and recorded in ``undo`` to be put back."""
    count = 0
    for item in items:
        if not isinstance(item, dict) or "@value" in item or "@list" in item:
            return None
        inner = _node_triples(item, processor, options, undo)
        if inner is None:
            return None
        count += inner
    return count


def _node_triples(
    node: dict[str, Any], processor: jsonld.JsonLdProcessor, options: dict[str, Any], undo: list[Any]
) -> int | None:
    count = 0
    for key, values in node.items():
        if key == "@id":
            continue
        if key == "@type":
            count += len(values)
            continue
        if key == "@graph":
            inner = _plain_triples(values, processor, options, undo)
        elif key.startswith("@") or not isinstance(values, list):
            return None
        else:
            count += len(values)  # one triple for each value
            inner = _objects_triples(values, processor, options, undo)
        if inner is None:
            return None
        count += inner
    return count


def _objects_triples(
    values: list[Any], processor: jsonld.JsonLdProcessor, options: dict[str, Any], undo: list[Any]
) -> int | None:
    """The triples the objects of some triples (a property's values, a list's items) bring
    besides those triples: a node object's own, a list's ``rdf:first`` and ``rdf:rest``."""
    count = 0
    for index, value in enumerate(values):
        if not isinstance(value, dict):
            return None
        if "@value" in value:
            literal = value["@value"]
            if not isinstance(literal, str) or value.get("@type") in ("@json", _XSD_DOUBLE):
                rdf = processor._object_to_rdf(value, None, [], options)
                if rdf is None or rdf.get("type") != "literal" or "language" in rdf:
                    return None
                values[index] = {"@value": rdf["value"], "@type": rdf["datatype"]}
                undo.append((values, index, value))
            continue
        if "@list" in value:
            members = value["@list"]
            if len(value) != 1 or not isinstance(members, list):
                return None
            inner = _objects_triples(members, processor, options, undo)
            if inner is None:
                return None
            count += 2 * len(members) + inner
            continue
        if len(value) == 1 and "@id" in value:
            continue  # a reference to a node: no triples of its own here
        inner = _node_triples(value, processor, options, undo)
        if inner is None:
            return None
        count += inner
    return count


class _KeptContextProcessor(jsonld.JsonLdProcessor):
    """pyld's processor, keeping every processed context on the document loader.

    pyld caches a processed context by the identity of the context it was processed against,
    but gives a fresh identity to the copy it makes for every non-propagated (type-scoped)
    context, so the OB and VC contexts' scoped contexts are processed again for every node of
    every document. Here the result is kept per loader, keyed by the (immutable) active context
    and the local context, so each is processed once per process. Only immutable inputs are
    kept (pyld freezes the contexts it returns); anything else goes the ordinary way."""

    def __init__(self) -> None:
        super().__init__()
        self.dropped = 0

    def _expand(
        self,
        active_ctx: Any,
        active_property: Any,
        element: Any,
        options: dict[str, Any],
        inside_list: bool = False,
        inside_index: bool = False,
        type_scoped_ctx: Any = None,
    ) -> Any:
        """pyld's expansion, keeping the expanded form of a large node object by its JSON text and
        the (immutable) contexts it is expanded in: a batch's credentials share their achievement
        (outcomes, criteria, description) and issuer, so those are expanded once. Kept only when
        nothing in it was dropped, so the safe-mode refusal still fires every time; handed out as
        a copy, so nothing kept is ever changed."""
        kept = getattr(options.get("documentLoader"), "expanded_nodes", None)
        if (
            kept is None
            or active_property is None  # the document itself: never the same twice
            or not isinstance(element, dict)
            or not isinstance(active_ctx, _FROZEN)
            or not (type_scoped_ctx is None or isinstance(type_scoped_ctx, _FROZEN))
        ):
            return super()._expand(
                active_ctx, active_property, element, options, inside_list, inside_index, type_scoped_ctx
            )
        try:
            text = json.dumps(element, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError):
            text = ""
        if len(text) < _KEEP_EXPANDED_FROM:
            return super()._expand(
                active_ctx, active_property, element, options, inside_list, inside_index, type_scoped_ctx
            )
        key = (id(active_ctx), id(type_scoped_ctx), active_property, inside_list, inside_index, text)
        hit = kept.get(key)
        if hit is not None and hit is not _SEEN and hit[0] is active_ctx and hit[1] is type_scoped_ctx:
            return _copy_json(hit[2])
        dropped = self.dropped
        result = super()._expand(
            active_ctx, active_property, element, options, inside_list, inside_index, type_scoped_ctx
        )
        if self.dropped == dropped:
            # Kept the second time it is seen: a node found in one document only is never copied.
            kept.put(key, _SEEN if hit is None else (active_ctx, type_scoped_ctx, _copy_json(result)))
        return result

    def _process_context(
        self,
        active_ctx: Any,
        local_ctx: Any,
        options: dict[str, Any],
        override_protected: bool = False,
        propagate: bool = True,
        validate_scoped: bool = True,
        cycles: Any = None,
    ) -> Any:
        kept = getattr(options.get("documentLoader"), "processed_contexts", None)
        local_key = _local_context_key(local_ctx)
        if kept is None or cycles or local_key is None or not isinstance(active_ctx, _FROZEN):
            return super()._process_context(
                active_ctx, local_ctx, options, override_protected, propagate, validate_scoped, cycles
            )
        key = (id(active_ctx), local_key, override_protected, propagate, validate_scoped)
        hit = kept.get(key)
        if hit is not None and hit[0] is active_ctx and (isinstance(local_key, tuple) or hit[1] is local_ctx):
            return hit[2]
        result = super()._process_context(
            active_ctx, local_ctx, options, override_protected, propagate, validate_scoped, cycles
        )
        if isinstance(result, _FROZEN):
            # The entry holds its inputs, so their ids cannot be reused while it is kept.
            kept.put(key, (active_ctx, local_ctx, result))
        return result


# Node objects whose JSON text is shorter than this are expanded every time (keeping them would
# cost about what expanding them does). 60 characters keeps the issuer's image, a result and its
# description, the credential schema: a third less expansion a credential than 400 (decision 0260).
_KEEP_EXPANDED_FROM = 60
_SEEN = ("seen",)


class _JsonDocument(dict[str, Any]):
    """A checked document (JSON values only, ``_json_clean``) whose deep copy, the one pyld makes
    before expanding it, is a plain copy by ``_copy_json``."""

    def __deepcopy__(self, memo: Any) -> dict[str, Any]:
        copied: dict[str, Any] = _copy_json(dict(self))
        return copied


def _copy_json(value: Any) -> Any:
    """A deep copy of expanded JSON-LD (dicts, lists and scalars only), faster than deepcopy."""
    if isinstance(value, dict):
        return {key: _copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy_json(item) for item in value]
    return value


def _local_context_key(local_ctx: Any) -> Any:
    """A key for a local context: its URL(s) by value, a context object by identity."""
    if isinstance(local_ctx, str):
        return (local_ctx,)
    if isinstance(local_ctx, list) and all(isinstance(item, str) for item in local_ctx):
        return tuple(local_ctx)
    if isinstance(local_ctx, dict | _FROZEN):
        return id(local_ctx)
    return None


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


# The checks below, first without the paths (a credential is checked thousands of times a batch
# and nearly always passes), then, only when something fails, again with the path for the message.
def _json_clean(value: Any) -> bool:
    """What ``_check_json`` accepts, without building paths."""
    if isinstance(value, str):
        return _UNSAFE_CHARACTERS.search(value) is None
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or _UNSAFE_CHARACTERS.search(key) is not None:
                return False
            if key[:1] == "@" and key not in _KEYWORDS and _KEYWORD_FORM.match(key):
                return False
            if key == "@context":
                continue
            if item is None or not _json_clean(item):
                return False
        return True
    if isinstance(value, list):
        return all(item is not None and _json_clean(item) for item in value)
    if isinstance(value, bool | int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    return False


def _expanded_clean(items: Any) -> bool:
    """What ``_check_expanded`` accepts, without building paths."""
    for item in items if isinstance(items, list) else [items]:
        if not isinstance(item, dict):
            continue
        if "@value" in item:
            if not _value_clean(item):
                return False
        elif "@list" in item or "@set" in item:
            if not _expanded_clean(item.get("@list", item.get("@set"))):
                return False
        elif not _node_clean(item):
            return False
    return True


def _value_clean(item: dict[str, Any]) -> bool:
    if "@index" in item or "@direction" in item:
        return False
    datatype = item.get("@type")
    if datatype is not None and datatype != "@json" and not _iri_clean(datatype, blank_node_ok=False):
        return False
    language = item.get("@language")
    return language is None or (isinstance(language, str) and _LANGUAGE_TAG.match(language) is not None)


def _node_clean(node: dict[str, Any]) -> bool:
    if "@index" in node:
        return False
    if "@id" in node and not _iri_clean(node["@id"], blank_node_ok=True):
        return False
    if not all(_iri_clean(type_iri, blank_node_ok=False) for type_iri in node.get("@type", [])):
        return False
    for key, value in node.items():
        if key in {"@id", "@type"}:
            continue
        if key in {"@graph", "@included"}:
            if not _expanded_clean(value):
                return False
        elif key == "@reverse":
            for reverse_property, reverse_items in value.items():
                if not _iri_clean(reverse_property, blank_node_ok=False) or not _expanded_clean(reverse_items):
                    return False
        elif key.startswith("@"):
            continue
        elif not _iri_clean(key, blank_node_ok=False) or not _expanded_clean(value):
            return False
    return True


def _iri_clean(iri: Any, *, blank_node_ok: bool) -> bool:
    if not isinstance(iri, str):
        return False
    if iri.startswith("_:"):
        return blank_node_ok
    return _ABSOLUTE_IRI.match(iri) is not None


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
