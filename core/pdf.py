"""Every PDF the portal makes goes through ``render_pdf``: WeasyPrint, locked down.

WeasyPrint fetches whatever a document points at (images, stylesheets, fonts). A document
that carries text someone typed must not become a way to read the server's files or reach
its network, so the renderer gets a fetcher that serves only

- ``data:`` URIs (the QR codes), and
- files under the project's static folders (``STATICFILES_DIRS``, ``STATIC_ROOT``) and under
  ``MEDIA_ROOT``, addressed through ``STATIC_URL`` / ``MEDIA_URL`` as resolved against a fixed
  internal base URL that names no real host.

Anything else -- ``file:`` URLs, ``http(s)`` to any host, ``..`` escapes, other schemes -- is
refused: the fetcher raises, WeasyPrint logs it and leaves the resource out, and the
refusal is kept on the fetcher (``refused``) and logged. The fetcher never opens a socket.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, unquote_to_bytes, urljoin, urlsplit

from django.conf import settings

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcherResponse

logger = logging.getLogger("mcportal.pdf")

# The base URL every document is rendered against. ``.invalid`` is reserved (RFC 2606): the
# name can never resolve, and the fetcher would not ask the network anyway.
PDF_BASE_URL = "https://pdf.mcportal.invalid/"
# Uploads have no public URL (MEDIA_URL is empty), so documents reach them under this path.
INTERNAL_MEDIA_PATH = "_media/"

# The largest data: URI or file a document may pull in, in bytes (the CJK font is ~3 MB).
MAX_RESOURCE_BYTES = 8 * 1024 * 1024


class ResourceRefusedError(ValueError):
    """A document asked for a resource the PDF renderer may not fetch."""


@dataclass(frozen=True)
class _Mount:
    prefix: str  # absolute URL prefix, ends with "/"
    roots: tuple[Path, ...]  # folders it maps onto, first match wins


def _static_roots() -> tuple[Path, ...]:
    roots: list[Path] = []
    for entry in settings.STATICFILES_DIRS:
        # An entry is a folder or a (prefix, folder) pair; a prefixed folder is not ours to
        # map here, so only plain folders count.
        if isinstance(entry, (str, Path)):
            roots.append(Path(entry))
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return tuple(roots)


def _mounts() -> tuple[_Mount, ...]:
    static_prefix = urljoin(PDF_BASE_URL, settings.STATIC_URL or "static/")
    media_url = settings.MEDIA_URL or ""
    media_prefix = urljoin(PDF_BASE_URL, media_url if media_url.strip("/") else INTERNAL_MEDIA_PATH)
    mounts = [_Mount(static_prefix, _static_roots())]
    if settings.MEDIA_ROOT:
        mounts.append(_Mount(media_prefix, (Path(settings.MEDIA_ROOT),)))
    for mount in mounts:
        # A prefix that is the bare base URL would map every URL onto a folder.
        if not mount.prefix.endswith("/") or mount.prefix.rstrip("/") == PDF_BASE_URL.rstrip("/"):
            raise ValueError(f"unsafe PDF resource prefix {mount.prefix!r}")
    return tuple(mounts)


def pdf_url(path: str) -> str:
    """The URL a document uses for a static file, e.g. ``pdf_url("credentials/seal.svg")``."""
    return urljoin(_mounts()[0].prefix, path)


def _safe_relative(name: str) -> Path:
    """``name`` (already percent-decoded) as a relative path, or refuse: no ``..``, no ``.``,
    no empty segments, no backslashes, no NUL, no absolute path."""
    parts = name.split("/")
    if not name or any(part in ("", ".", "..") or "\\" in part or "\x00" in part for part in parts):
        raise ResourceRefusedError(f"unsafe path {name!r}")
    return Path(*parts)


def _read_file(path: Path, url: str) -> URLFetcherResponse:
    from weasyprint.urls import URLFetcherResponse

    if path.stat().st_size > MAX_RESOURCE_BYTES:
        raise ResourceRefusedError(f"{url} is larger than {MAX_RESOURCE_BYTES} bytes")
    mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime_type})


def _read_data_uri(url: str) -> URLFetcherResponse:
    from weasyprint.urls import URLFetcherResponse

    if len(url) > MAX_RESOURCE_BYTES * 2:
        raise ResourceRefusedError("data: URI too large")
    header, sep, payload = url[len("data:") :].partition(",")
    if not sep:
        raise ResourceRefusedError("malformed data: URI")
    params = header.split(";")
    is_base64 = params[-1].strip().lower() == "base64"
    if is_base64:
        params = params[:-1]
    mime_type = params[0].strip() or "text/plain"
    body = base64.b64decode(unquote(payload), validate=False) if is_base64 else unquote_to_bytes(payload)
    headers = {"Content-Type": "; ".join([mime_type, *(p.strip() for p in params[1:] if p.strip())])}
    return URLFetcherResponse(url, body=body, headers=headers)


def _make_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    class LockedURLFetcher(URLFetcher):
        """WeasyPrint's fetcher with the network and the file system cut off: see the
        module docstring. ``served`` and ``refused`` list the URLs asked for, in order."""

        def __init__(self) -> None:
            super().__init__(allow_redirects=False)
            self.mounts = _mounts()
            self.served: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            try:
                response = self._resolve(url)
            except (ResourceRefusedError, OSError, ValueError) as exc:
                self.refused.append(url)
                logger.warning("PDF renderer refused %s: %s", url[:200], exc)
                raise ResourceRefusedError(f"refused {url[:200]}") from exc
            self.served.append(url)
            return response

        def _resolve(self, url: str) -> URLFetcherResponse:
            if url[:5].lower() == "data:":
                return _read_data_uri(url)
            parts = urlsplit(url)
            for mount in self.mounts:
                if not url.startswith(mount.prefix) or parts.query or parts.fragment:
                    continue
                relative = _safe_relative(unquote(url[len(mount.prefix) :]))
                for root in mount.roots:
                    base = root.resolve()
                    candidate = (base / relative).resolve()
                    if candidate.is_relative_to(base) and candidate.is_file():
                        return _read_file(candidate, url)
                raise ResourceRefusedError(f"no such file {relative}")
            raise ResourceRefusedError("not a project static/media URL")

    return LockedURLFetcher


_fetcher_class: type | None = None


def locked_fetcher() -> Any:
    """A fresh locked-down fetcher (a ``weasyprint.urls.URLFetcher``) for one document."""
    global _fetcher_class
    if _fetcher_class is None:
        _fetcher_class = _make_fetcher_class()
    return _fetcher_class()


_local = threading.local()


def _font_configuration() -> FontConfiguration:
    """One FontConfiguration per thread, reused: it loads the system fonts and every
    @font-face file once, not once per document."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in an archival PDF as an associated file (PDF/A-3, ``AFRelationship``)."""

    name: str
    data: bytes
    description: str
    relationship: str = "Data"  # ISO 32000-2 7.11.3: the data the visible page presents


# The archival variant: PDF/A-3b (ISO 19005-3, level B), tagged (structure tree, /Lang, title),
# so it keeps, prints the same in 30 years, carries associated files, and reads aloud.
ARCHIVAL_VARIANT = "pdf/a-3b"


def render_pdf(
    html: str,
    *,
    fetcher: Any = None,
    font_config: FontConfiguration | None = None,
    archival: bool = False,
    attachments: tuple[PdfAttachment, ...] = (),
) -> bytes:
    """Render an HTML document (already rendered by Django, so autoescaped) to PDF bytes.

    Its stylesheets and images are linked with ``{% static %}`` (or ``pdf_url``) and resolve
    against ``PDF_BASE_URL``. ``fetcher`` defaults to a fresh ``locked_fetcher()``; pass one to
    inspect ``served`` / ``refused`` afterwards. ``font_config`` defaults to this thread's one.
    ``archival``: PDF/A-3b and tagged for screen readers (the document's ``<html lang>`` and
    ``<title>`` become its language and title); ``attachments`` are embedded as associated files
    (only in an archival PDF: PDF/A-3 is the variant that records their relationship).
    """
    import io

    from weasyprint import HTML, Attachment

    fetcher = fetcher if fetcher is not None else locked_fetcher()
    font_config = font_config if font_config is not None else _font_configuration()
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher)
    options: dict[str, Any] = {}
    if archival:
        options = {"pdf_variant": ARCHIVAL_VARIANT, "pdf_tags": True}
        options["attachments"] = [
            Attachment(
                file_obj=io.BytesIO(item.data),
                name=item.name,
                description=item.description,
                relationship=item.relationship,
                url_fetcher=fetcher,
            )
            for item in attachments
        ]
    elif attachments:
        raise ValueError("attachments are embedded only in an archival (PDF/A-3) PDF")
    pdf = document.write_pdf(font_config=font_config, **options)
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return bytes(pdf)
