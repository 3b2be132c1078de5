"""The locked-down PDF renderer (core/pdf.py): WeasyPrint may read the project's static files,
its private media and data: URIs, and nothing else -- no other file, no network."""

from __future__ import annotations

import http.server
import subprocess
import threading
from pathlib import Path

import pytest
from PIL import Image

from core.pdf import PDF_BASE_URL, ResourceRefusedError, locked_fetcher, pdf_url, render_pdf

EVIL_URLS = [
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "http://169.254.169.254/latest/meta-data/",
    "https://evil.example/x.png",
    "ftp://evil.example/x.png",
    "//evil.example/x.png",  # scheme-relative
    f"{PDF_BASE_URL}etc/passwd",  # the internal host, outside static/ and media
    f"{PDF_BASE_URL}static/../../../etc/passwd",
    f"{PDF_BASE_URL}static/%2e%2e/%2e%2e/mcportal/settings.py",
    f"{PDF_BASE_URL}static/credentials/%2E%2E/%2E%2E/manage.py",
    f"{PDF_BASE_URL}static/credentials/..%2f..%2fmanage.py",
    f"{PDF_BASE_URL}static/credentials%5c..%5c..%5cmanage.py",
    f"{PDF_BASE_URL}static//etc/passwd",
    f"{PDF_BASE_URL}static/credentials/seal.svg%00.png",
    f"{PDF_BASE_URL}static/credentials/no-such-file.svg",
    f"{PDF_BASE_URL}static/credentials/seal.svg?x=1",
    "https://pdf.mcportal.invalid.evil.example/static/credentials/seal.svg",
    "https://user@pdf.mcportal.invalid/static/credentials/seal.svg",
    "http://pdf.mcportal.invalid/static/credentials/seal.svg",
    "javascript:alert(1)",
]


def pdfimages_count(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True)
    return len(listing.stdout.splitlines()) - 2  # two header lines


def pdftext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("url", EVIL_URLS)
def test_the_fetcher_refuses_anything_but_static_media_and_data(url):
    fetcher = locked_fetcher()
    with pytest.raises(ResourceRefusedError):
        fetcher(url)
    assert fetcher.refused == [url]
    assert fetcher.served == []


def test_the_fetcher_serves_static_files_and_data_uris():
    fetcher = locked_fetcher()
    response = fetcher(pdf_url("credentials/seal.svg"))
    assert response.read().startswith(b"<svg")
    assert response.content_type == "image/svg+xml"
    data = fetcher("data:text/plain;base64,aGVsbG8=")
    assert data.read() == b"hello"
    assert fetcher("data:,a%20b").read() == b"a b"
    assert fetcher.refused == []


def test_a_symlink_out_of_media_is_refused(settings, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    (media / "passwd.png").symlink_to("/etc/passwd")
    settings.MEDIA_ROOT = media
    fetcher = locked_fetcher()
    with pytest.raises(ResourceRefusedError):
        fetcher(f"{PDF_BASE_URL}_media/passwd.png")


@pytest.fixture
def media_png(settings, tmp_path):
    """A real PNG in MEDIA_ROOT: reachable through the internal media URL only."""
    media = tmp_path / "media"
    media.mkdir()
    Image.new("RGB", (8, 8), "red").save(media / "dot.png")
    settings.MEDIA_ROOT = media
    return media / "dot.png"


def test_an_allowed_image_is_embedded_and_the_same_file_by_path_is_not(media_png, tmp_path):
    allowed = locked_fetcher()
    pdf = render_pdf(f'<img src="{PDF_BASE_URL}_media/dot.png" style="width:20mm">', fetcher=allowed)
    assert pdfimages_count(pdf, tmp_path) == 1
    assert allowed.served == [f"{PDF_BASE_URL}_media/dot.png"]

    refused = locked_fetcher()
    pdf = render_pdf(f'<img src="file://{media_png}" style="width:20mm">', fetcher=refused)
    assert pdfimages_count(pdf, tmp_path) == 0
    assert refused.refused == [f"file://{media_png}"]


def test_img_link_and_css_urls_to_files_and_metadata_are_refused_and_the_render_succeeds(tmp_path):
    fetcher = locked_fetcher()
    html = """<html><head>
      <link rel="stylesheet" href="file:///etc/passwd">
      <link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/">
      <style>@import url("file:///etc/hostname");
        body { background: url("http://169.254.169.254/latest/meta-data/iam/"); }
        @font-face { font-family: X; src: url("file:///etc/shadow"); }</style></head>
      <body><p>still rendered</p>
      <img src="file:///etc/passwd"><img src="../../../../etc/passwd">
      <div style="background-image: url('https://evil.example/track.png')">x</div></body></html>"""
    pdf = render_pdf(html, fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert "still rendered" in pdftext(pdf, tmp_path)
    assert set(fetcher.refused) >= {
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/hostname",
        "http://169.254.169.254/latest/meta-data/iam/",
        "file:///etc/shadow",
        f"{PDF_BASE_URL}etc/passwd",  # the ../ escape, resolved against the internal base
        "https://evil.example/track.png",
    }
    assert fetcher.served == []
    assert b"root:" not in pdf
    assert pdfimages_count(pdf, tmp_path) == 0


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        _CountingHandler.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_no_request_reaches_the_network(tmp_path):
    """A real HTTP server on the loopback: the renderer never connects to it."""
    _CountingHandler.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        fetcher = locked_fetcher()
        render_pdf(
            f'<link rel="stylesheet" href="{base}/a.css"><style>p {{ background: url("{base}/b.png") }}</style>'
            f'<p>x</p><img src="{base}/c.png">',
            fetcher=fetcher,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert _CountingHandler.hits == []
    assert set(fetcher.refused) == {f"{base}/a.css", f"{base}/b.png", f"{base}/c.png"}
