"""A PDF's pages as images and text, with PDFium (pypdfium2); Qt-free, any thread.

PDFium is not thread-safe, and the review render, the records viewer and printing may
each rasterise at once: every use goes through one lock. Form fields are drawn, because
the clinic's visible certification stamp is a widget annotation.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

POINTS_PER_INCH = 72
_PDFIUM = threading.Lock()


@dataclass(frozen=True)
class PageImage:
    """One page as RGBX rows (4 bytes a pixel, ``stride`` bytes apart), its size in points and
    its text."""

    width: int
    height: int
    stride: int
    rgbx: bytes
    text: str
    points: tuple[float, float] = (595.0, 842.0)


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's (width, height) in points."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            return [tuple(document[i].get_size()) for i in range(len(document))]  # type: ignore[misc]
        finally:
            document.close()


def rasterise(pdf: bytes, *, dpi: float = 120.0) -> tuple[PageImage, ...]:
    """Every page at ``dpi``, the document opened once."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            document.init_forms()
            return tuple(_render(document[i], dpi) for i in range(len(document)))
        finally:
            document.close()


def pages(pdf: bytes, *, dpi: float, first: int = 1, last: int = 0) -> Iterator[PageImage]:
    """Pages ``first``..``last`` (1-based, 0 = to the end) at ``dpi``, one at a time."""
    import pypdfium2 as pdfium

    index = first - 1
    while True:
        with _PDFIUM:  # held per page: a long print never blocks the viewer for long
            document = pdfium.PdfDocument(pdf)
            try:
                end = min(last or len(document), len(document))
                if index >= end:
                    return
                document.init_forms()
                image = _render(document[index], dpi)
            finally:
                document.close()
        yield image
        index += 1


def _render(page, dpi: float) -> PageImage:  # noqa: ANN001 - pypdfium2 ships no types
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    # BGRx reversed is RGBX: one layout for every caller, forms drawn as on paper
    bitmap = page.render(scale=dpi / POINTS_PER_INCH, may_draw_forms=True,
                         force_bitmap_format=pdfium_c.FPDFBitmap_BGRx, rev_byteorder=True)
    text_page = page.get_textpage()
    try:
        return PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer),
                         text_page.get_text_range(), (float(width), float(height)))
    finally:
        text_page.close()
        page.close()
