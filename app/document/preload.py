"""Load what the first finalize of a process would otherwise pay for, ahead of time.

The first finalize imports reportlab (with PIL and the PDF pages' code), pyHanko, its
certificate validator and cryptography's OpenSSL backend, and reads the three TrueType fonts
(about 3 s on a clinic laptop, against about 1 s for a finalize). The window calls
``preload_finalize`` on a background thread once the sign-in screen is drawn, so the first
consult of the day is finalized as quickly as the others.
"""

from __future__ import annotations

from importlib import import_module

# found with ``python -X importtime`` around a first finalize (bench/bench_first_finalize.py)
MODULES = (
    "app.document.pdf.render", "app.document.signing.certify", "PIL.PngImagePlugin",
    "PIL.JpegImagePlugin", "lxml.etree", "pyhanko.pdf_utils.filters",
    "pyhanko.pdf_utils.metadata.xmp_xml", "cryptography.hazmat.backends.openssl.backend",
)


def preload_finalize() -> None:
    """Import the finalize's libraries and register the PDF fonts (safe from any thread)."""
    for name in MODULES:
        import_module(name)
    from app.document.pdf.fonts import register_fonts

    register_fonts()
