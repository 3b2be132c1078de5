"""Fetch the third-party JSON-LD contexts the credentials app needs (and the OB 3.0 JSON Schema
its tests validate credentials against), into a local cache.

The portal never loads a context over the network while it runs (credentials/ld/contexts.py
refuses to). The contexts come instead from pinned npm packages listed in ``sources.json``:
for each one this script downloads the package tarball from the npm registry, checks the
tarball against the registry's sha512 ``integrity``, takes the one file that holds the
context (a ``.jsonld`` file, or a CommonJS module ``module.exports = {...}``), writes it as
normalised JSON and checks that JSON's sha256. Nothing third-party is committed.

Standard library only, so it runs on a fresh machine before any virtualenv exists:

    python credentials/contexts/fetch.py          # fetch what is missing (fast when cached)
    python credentials/contexts/fetch.py --check  # verify the cache, no network

``MCPORTAL_NPM_REGISTRY`` points at a mirror of https://registry.npmjs.org if needed.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import sys
import tarfile
import tempfile
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SOURCES_FILE = HERE / "sources.json"
CACHE_DIR = HERE / "cache"
NPM_REGISTRY = "https://registry.npmjs.org"
TIMEOUT_SECONDS = 60
MAX_TARBALL_BYTES = 5 * 1024 * 1024


class ContextFetchError(Exception):
    """A context could not be fetched or did not match its pin."""


def load_sources(path: Path = SOURCES_FILE, *, kind: str = "contexts") -> list[dict[str, str]]:
    """The pinned ``contexts`` (served to JSON-LD processing), ``presentation_contexts`` (for a
    wallet's DIDAuth presentation only) or ``schemas`` (tests only)."""
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    entries: list[dict[str, str]] = data.get(kind, [])
    for entry in entries:
        missing = {"url", "package", "version", "tarball", "integrity", "path", "format", "sha256", "file"} - set(entry)
        if missing:
            raise ContextFetchError(f"sources.json entry {entry.get('url')!r} lacks {sorted(missing)}")
        if "/" in entry["file"] or entry["file"].startswith("."):
            raise ContextFetchError(f"sources.json entry {entry['url']!r}: 'file' must be a plain file name")
    return entries


def normalised_bytes(document: Any) -> bytes:
    """The one byte form a context is cached and pinned in (sha256 is taken of this)."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def extract_json(raw: bytes, fmt: str) -> Any:
    """The JSON document in a package file: plain JSON, or the object a CommonJS module exports.

    For a module the object literal after ``module.exports =`` (or ``export default``) is read
    with the JSON parser itself, which stops at the end of the object; a module whose object is
    not strict JSON (comments or trailing commas inside) fails here rather than being guessed at,
    and the pinned sha256 then guards the result either way."""
    text = raw.decode("utf-8")
    if fmt == "json":
        return json.loads(text)
    if fmt != "commonjs":
        raise ContextFetchError(f"unknown format {fmt!r} (expected 'json' or 'commonjs')")
    for marker in ("module.exports =", "module.exports=", "export default"):
        at = text.find(marker)
        if at >= 0:
            break
    else:
        raise ContextFetchError("no 'module.exports =' or 'export default' in the module")
    start = text.find("{", at)
    if start < 0:
        raise ContextFetchError("no object literal after the export")
    try:
        document, end = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError as error:
        raise ContextFetchError(f"the exported object is not strict JSON: {error}") from None
    rest = text[end:].strip()
    if rest not in {"", ";"}:
        raise ContextFetchError(f"unexpected text after the exported object: {rest[:40]!r}")
    return document


def _tarball_url(entry: dict[str, str]) -> str:
    registry = os.environ.get("MCPORTAL_NPM_REGISTRY", "").rstrip("/")
    url = entry["tarball"]
    if registry and url.startswith(NPM_REGISTRY + "/"):
        url = registry + url[len(NPM_REGISTRY) :]
    if not url.startswith("https://"):
        raise ContextFetchError(f"refusing a non-https tarball URL: {url}")
    return url


def _download(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "mcportal-context-fetch"})  # noqa: S310 (https only, checked)
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        data: bytes = response.read(MAX_TARBALL_BYTES + 1)
    if len(data) > MAX_TARBALL_BYTES:
        raise ContextFetchError(f"{url} is larger than {MAX_TARBALL_BYTES} bytes")
    return data


def _check_integrity(data: bytes, integrity: str, what: str) -> None:
    algorithm, _, expected = integrity.partition("-")
    if algorithm not in {"sha512", "sha256"}:  # npm publishes sha512, PyPI sha256
        raise ContextFetchError(f"{what}: only sha512 or sha256 integrity is accepted, not {algorithm!r}")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")
    if actual != expected:
        raise ContextFetchError(
            f"{what}: tarball integrity mismatch (the registry says {algorithm}-{expected}, got {algorithm}-{actual})"
        )


def _member_bytes(tarball: bytes, path: str, what: str) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        try:
            member = archive.getmember(path)
        except KeyError:
            raise ContextFetchError(f"{what}: no {path} in the tarball") from None
        if not member.isfile():
            raise ContextFetchError(f"{what}: {path} is not a regular file")
        handle = archive.extractfile(member)
        if handle is None:
            raise ContextFetchError(f"{what}: {path} cannot be read")
        return handle.read()


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # public documents; mkstemp's 0600 would hide them from the app's user
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cached_ok(entry: dict[str, str], cache_dir: Path = CACHE_DIR) -> bool:
    target = cache_dir / entry["file"]
    return target.is_file() and sha256_hex(target.read_bytes()) == entry["sha256"]


def fetch_one(entry: dict[str, str], cache_dir: Path = CACHE_DIR) -> Path:
    what = f"{entry['url']} ({entry['package']}@{entry['version']})"
    url = _tarball_url(entry)
    try:
        tarball = _download(url)
    except OSError as error:  # URLError and timeouts are OSErrors
        raise ContextFetchError(f"{what}: could not download {url}: {error}") from None
    _check_integrity(tarball, entry["integrity"], what)
    document = extract_json(_member_bytes(tarball, entry["path"], what), entry["format"])
    data = normalised_bytes(document)
    actual = sha256_hex(data)
    if actual != entry["sha256"]:
        raise ContextFetchError(f"{what}: extracted JSON sha256 {actual} does not match the pinned {entry['sha256']}")
    target = cache_dir / entry["file"]
    _write_atomically(target, data)
    return target


def fetch_contexts(
    cache_dir: Path = CACHE_DIR, *, offline: bool = False, log: Callable[[str], None] | None = None
) -> list[Path]:
    """Make sure every pinned context is in ``cache_dir``; download only what is missing or
    wrong. With ``offline`` nothing is downloaded and a missing context is an error."""
    paths = []
    for entry in load_sources() + load_sources(kind="presentation_contexts") + load_sources(kind="schemas"):
        target = cache_dir / entry["file"]
        if not cached_ok(entry, cache_dir):
            if offline:
                raise ContextFetchError(
                    f"{entry['url']} is not in {cache_dir} (or does not match its pin): "
                    "run `python credentials/contexts/fetch.py`"
                )
            if log:
                log(f">> fetching {entry['url']} from {entry['package']}@{entry['version']}")
            fetch_one(entry, cache_dir)
        paths.append(target)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only verify the cache; never use the network")
    parser.add_argument("--quiet", action="store_true", help="print nothing when all is well")
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR)
    args = parser.parse_args(argv)
    try:
        paths = fetch_contexts(args.cache_dir, offline=args.check, log=None if args.quiet else print)
    except (ContextFetchError, OSError) as error:
        print(f"!! JSON-LD contexts: {error}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f">> {len(paths)} JSON-LD contexts and schemas ready in {args.cache_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
