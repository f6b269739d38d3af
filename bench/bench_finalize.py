"""Benchmark: finalize (render, certify, store) 50 demo consents; print median and p95.

Run from the repository: ``python bench/bench_finalize.py [-n 50]``. The floor is a bare
reportlab one-page document timed in the same run, so the figures can be compared across
machines as ratios to it. Target: median finalize under 300 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.consult.demo import build_demo_consent  # noqa: E402
from app.runtime.service import Glabella  # noqa: E402

TARGET_MS = 300


def bare_reportlab_page() -> bytes:
    """The floor: the least work reportlab does for any PDF at all."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "Consent summary")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


class TimedCertifier:
    """Wraps the service's certifier to time the certification step on its own."""

    def __init__(self, inner) -> None:  # noqa: ANN001
        self.inner = inner
        self.samples: list[float] = []

    def certify(self, pdf: bytes, **kwargs: object) -> bytes:
        started = time.perf_counter()
        try:
            return self.inner.certify(pdf, **kwargs)
        finally:
            self.samples.append((time.perf_counter() - started) * 1000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="consents to finalize (default 50)")
    count = parser.parse_args().n
    with tempfile.TemporaryDirectory(prefix="glabella-bench-") as tmp:
        service = Glabella.open(Path(tmp) / "data")
        certifier = TimedCertifier(service.certifier)
        service.certifier = certifier
        try:
            # The first finalize loads reportlab, pyHanko and the fonts and makes the
            # clinic's identity; it is reported on its own, not mixed into the figures.
            first = timed(lambda: service.finalize(build_demo_consent(service.pack,
                                                                      service.clock)))
            certifier.samples.clear()
            consents = [build_demo_consent(service.pack, service.clock) for _ in range(count)]
            finalize = [timed(lambda c=c: service.finalize(c)) for c in consents]
            stored = len(service.store.list_consents())
        finally:
            service.close()
    floor = [timed(bare_reportlab_page) for _ in range(max(count, 200))]  # tiny: more runs
    floor_median = statistics.median(floor)
    certify = certifier.samples

    def row(label: str, ms: float) -> str:
        return f"  {label:<42}{ms:8.1f} ms   {ms / floor_median:7.1f} x floor"

    print(f"Finalize benchmark: {count} demo consents (render, certify, store); "
          f"{stored} records stored")
    print(f"  {'first finalize (cold: imports, identity)':<42}{first:8.1f} ms")
    print(row("finalize median", statistics.median(finalize)))
    print(row("finalize p95", p95(finalize)))
    print(row("  of which certify, median", statistics.median(certify)))
    print(row("floor: bare reportlab page, median", floor_median))
    verdict = "meets" if statistics.median(finalize) < TARGET_MS else "MISSES"
    print(f"Median {verdict} the {TARGET_MS} ms target.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
