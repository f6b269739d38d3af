"""The fonts of the consent PDF: DejaVu Sans (regular, bold) and a CJK fallback.

All three are embedded TrueType subsets, so the PDF never depends on a viewer's fonts and
never uses one of the standard-14 fonts. Registration happens once per process.
"""

from __future__ import annotations

import threading
from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.base.paths import fonts_dir

REGULAR = "GlabellaSans"
BOLD = "GlabellaSans-Bold"
FALLBACK = "GlabellaSansFallback"  # CJK (Chinese, Japanese) glyphs missing from DejaVu

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    FALLBACK: "DroidSansFallbackFull.ttf",
}
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the embedded fonts and their bold mapping; safe to call any number of times."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        folder = fonts_dir()
        for name, file in _FILES.items():
            path = folder / file
            if not path.is_file():
                raise FileNotFoundError(f"The PDF font {file} is missing from {folder}.")
            pdfmetrics.registerFont(TTFont(name, str(path)))
        # <b> in paragraph markup maps to the bold face. There is no italic face: italic
        # maps to upright so stray markup can never fail. The fallback has no bold at all.
        for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
            addMapping(REGULAR, bold, italic, face)
            addMapping(BOLD, bold, italic, face)
            addMapping(FALLBACK, bold, italic, FALLBACK)
        _registered = True


@cache
def charset(font_name: str) -> frozenset[int]:
    """The code points the named (registered) font has a glyph for."""
    register_fonts()
    face = pdfmetrics.getFont(font_name).face  # type: ignore[attr-defined]
    return frozenset(face.charToGlyph)
