"""Benchmark: how long the viewer takes to render a page of a certified consent.

    python bench/bench_viewer.py [--runs 7] [--pdf FILE] [--save FILE] [--qtpdf]

Finalizes a demo consent in a temporary folder (or reads ``--pdf``; ``--save`` keeps the
demo PDF, e.g. to time it under another Python), then times, median of ``--runs``:

- pypdfium2 (what Glabella ships): every page at 110 dpi (the fitted width at 1366 x 768)
  and at 220 dpi (zoomed to 200 %, or a 2x screen), forms drawn as the viewer does;
- the floor: the same number of blank pages of the same size at the same dpi (the bitmap
  alone: allocating, filling and copying it out), so the ratio is the cost of the content;
- with ``--qtpdf`` and PySide6-Addons installed: QtPdf's ``QPdfDocument.render`` at the
  same sizes, for comparison (Glabella does not use it; see docs/pdf-viewer.md).

Prints ms per page and the ratio to the floor.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.document.raster import rasterise  # noqa: E402

DPIS = (110.0, 220.0)


def demo_pdf() -> bytes:
    from app.consult.demo import build_demo_consent
    from app.runtime.service import Glabella

    with tempfile.TemporaryDirectory() as folder:
        service = Glabella.open(Path(folder) / "data")
        try:
            return service.finalize(build_demo_consent(service.pack, service.clock)).pdf
        finally:
            service.close()


def blank_pdf(pages: int) -> bytes:
    """``pages`` empty A4 pages (the floor: rendering nothing at the same size)."""
    from io import BytesIO

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True)
    for _ in range(pages):
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def median_ms(work: Callable[[], object], runs: int) -> float:
    work()  # warm: the library loaded, the fonts parsed once
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def qtpdf_render(pdf: bytes, dpi: float) -> Callable[[], object]:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtPdf import QPdfDocument

    QGuiApplication.instance() or QGuiApplication([])
    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)

    def render(_keep: tuple = (data, buffer)) -> object:  # the buffer must outlive the document
        images = []
        for index in range(document.pageCount()):
            size = document.pagePointSize(index)
            images.append(document.render(index, QSize(round(size.width() * dpi / 72),
                                                       round(size.height() * dpi / 72))))
        return images
    return render


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pdf", type=Path)
    parser.add_argument("--save", type=Path)
    parser.add_argument("--qtpdf", action="store_true")
    args = parser.parse_args()
    pdf = args.pdf.read_bytes() if args.pdf else demo_pdf()
    if args.save:
        args.save.write_bytes(pdf)
    count = len(rasterise(pdf, dpi=10))
    blank = blank_pdf(count)
    print(f"{count} pages, {len(pdf) // 1024} KiB")
    for dpi in DPIS:
        real = median_ms(lambda d=dpi: rasterise(pdf, dpi=d), args.runs) / count
        floor = median_ms(lambda d=dpi: rasterise(blank, dpi=d), args.runs) / count
        line = (f"{dpi:.0f} dpi: pypdfium2 {real:.1f} ms/page, floor (blank page) "
                f"{floor:.1f} ms/page, ratio {real / floor:.2f}x")
        if args.qtpdf:
            qt = median_ms(qtpdf_render(pdf, dpi), args.runs) / count
            qt_floor = median_ms(qtpdf_render(blank, dpi), args.runs) / count
            line += f"; QtPdf {qt:.1f} ms/page (blank {qt_floor:.1f}, {qt / qt_floor:.2f}x)"
        print(line)


if __name__ == "__main__":
    main()
