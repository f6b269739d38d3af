"""Printing stored PDFs: each page rasterised (``app.document.raster``), painted on the printer.

PDFium (pypdfium2) renders the pages, the certification stamp included (docs/pdf-viewer.md);
it loads on the first print, not when the window opens. Several documents (the patient's
copy: the consent, then the aftercare sheet) print as one job.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from app.document.raster import page_sizes, pages
from app.ui.pdf_viewer import to_qimage

# Printers report 600-1200 dpi; an A4 page rendered at 1200 dpi is a 560 MB image. Text
# and signatures are crisp at 300, which keeps a page near 35 MB.
MAX_DPI = 300


class PrintError(RuntimeError):
    """The document could not be printed; the message says why in plain words."""


def page_count(*documents: bytes) -> int:
    return sum(len(page_sizes(pdf)) for pdf in documents)


def page_images(pdf: bytes, dpi: float, first: int = 1, last: int = 0
                ) -> Iterator[tuple[QImage, QSizeF]]:
    """Pages ``first``..``last`` (1-based, 0 = to the end) as images and their size in points."""
    for page in pages(pdf, dpi=dpi, first=first, last=last):
        yield to_qimage(page), QSizeF(*page.points)


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    return print_pdfs([pdf], printer)


def print_pdfs(documents: Sequence[bytes], printer: QPrinter) -> int:
    """Print the pages the print dialog asked for (numbered across ``documents``), each
    scaled to fit; the pages printed."""
    dpi = min(printer.resolution(), MAX_DPI)
    first, last = (printer.fromPage(), printer.toPage()) \
        if printer.printRange() == QPrinter.PrintRange.PageRange else (1, 0)
    first = max(first, 1)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("The printer could not be started (is it connected and switched on, "
                         "or is the output file writable?).")
    printed = 0
    before = 0  # pages in the documents already gone through
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        area = QRectF(painter.viewport())
        for pdf in documents:
            count = len(page_sizes(pdf))
            start, end = max(first - before, 1), count if not last else min(last - before, count)
            before += count
            if end < start:
                continue
            for image, size in page_images(pdf, dpi, start, end):
                if printed and not printer.newPage():
                    raise PrintError("The printer refused the next page.")
                painter.drawImage(_fit(size, area), image)
                printed += 1
    finally:
        painter.end()
    return printed


def _fit(size: QSizeF, area: QRectF) -> QRectF:
    """The largest rectangle of ``size``'s proportions centred in ``area``."""
    scale = min(area.width() / size.width(), area.height() / size.height())
    width, height = size.width() * scale, size.height() * scale
    return QRectF(area.x() + (area.width() - width) / 2, area.y() + (area.height() - height) / 2,
                  width, height)
