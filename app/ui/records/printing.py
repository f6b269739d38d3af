"""Printing a stored consent PDF: each page rasterised with PDFium, painted on the printer.

PySide6-Essentials has no QtPdf, so pypdfium2 renders the pages. It loads on the first
print, not when the window opens.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

# Printers report 600-1200 dpi; an A4 page rendered at 1200 dpi is a 560 MB image. Text
# and signatures are crisp at 300, which keeps a page near 35 MB.
MAX_DPI = 300


class PrintError(RuntimeError):
    """The document could not be printed; the message says why in plain words."""


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(pdf))


def page_images(pdf: bytes, dpi: float, first: int = 1, last: int = 0
                ) -> Iterator[tuple[QImage, QSizeF]]:
    """Pages ``first``..``last`` (1-based, 0 = to the end) as images and their size in points."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument(pdf)
    # Without the form environment PDFium skips widget annotations, and the clinic's
    # visible certification stamp is one: the printout would lose it.
    document.init_forms()
    last = last or len(document)
    for index in range(first - 1, min(last, len(document))):
        page = document[index]
        width, height = page.get_size()
        bitmap = page.render(scale=dpi / 72, may_draw_forms=True,
                             force_bitmap_format=pdfium_c.FPDFBitmap_BGRx, rev_byteorder=True)
        # copy(): the QImage must not outlive PDFium's buffer
        image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
                       QImage.Format.Format_RGBX8888).copy()
        yield image, QSizeF(width, height)


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Print the pages the print dialog asked for, each scaled to fit; the pages printed."""
    dpi = min(printer.resolution(), MAX_DPI)
    first, last = (printer.fromPage(), printer.toPage()) \
        if printer.printRange() == QPrinter.PrintRange.PageRange else (1, 0)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("The printer could not be started (is it connected and switched on, "
                         "or is the output file writable?).")
    printed = 0
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        area = QRectF(painter.viewport())
        for image, size in page_images(pdf, dpi, max(first, 1), last):
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
