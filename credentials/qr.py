"""QR codes for the certificate and the MMS: the text is exactly the verification URL (R-CR-1).

Drawn as SVG from the ``qrcode`` package's module matrix: one ``<path>`` whose dark runs are
whole rectangles, so there are no hairline seams between modules when a PDF viewer or a
printer rasterises it. Error correction Q (25 %) survives a scuffed or folded print.
"""

from __future__ import annotations

import base64

import qrcode
from qrcode.constants import ERROR_CORRECT_Q

QUIET_ZONE = 4  # modules of white border the QR specification asks for


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR symbol for ``text`` as rows of modules (True = dark), without the quiet zone."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=0)
    code.add_data(text)
    code.make(fit=True)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]


def qr_svg(text: str, *, dark: str = "#000", light: str = "#fff") -> str:
    """A standalone SVG document of the QR code for ``text``, quiet zone included. It has a
    viewBox and no fixed size: the page sizes it with CSS."""
    matrix = qr_matrix(text)
    size = len(matrix) + 2 * QUIET_ZONE
    runs: list[str] = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            runs.append(f"M{start + QUIET_ZONE} {y + QUIET_ZONE}h{x - start}v1h-{x - start}z")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="{light}"/>'
        f'<path fill="{dark}" d="{"".join(runs)}"/></svg>'
    )


def qr_data_uri(text: str) -> str:
    """The QR code for ``text`` as a ``data:image/svg+xml`` URI, for an ``<img src>``."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(text).encode()).decode("ascii")
