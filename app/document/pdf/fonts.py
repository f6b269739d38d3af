"""The fonts of the consent PDF: DejaVu Sans (regular, bold) and a CJK fallback.

All three are embedded TrueType subsets, so the PDF never depends on a viewer's fonts and
never uses one of the standard-14 fonts. Registration happens once per process.

reportlab writes each subset's ToUnicode entry as the code point in hex, which for a
character outside the Basic Multilingual Plane (an emoji) is five hex digits: not UTF-16,
so text extraction (pypdf, pdftotext, a viewer's search) loses it. ``SearchableTTFont``
rewrites those entries as UTF-16 surrogate pairs, as the PDF reference requires.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import Any

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
# a ToUnicode bfchar entry whose target is a code point above U+FFFF (five or six hex digits)
_WIDE_ENTRY = re.compile(r"^<([0-9A-F]{2})> <([0-9A-F]{5,6})>$", re.MULTILINE)
_lock = threading.Lock()
_registered = False


def utf16_cmap(cmap: str) -> str:
    """``cmap`` (a ToUnicode CMap) with every entry above U+FFFF as a UTF-16 surrogate pair."""
    def pair(match: re.Match[str]) -> str:
        target = chr(int(match[2], 16)).encode("utf-16-be").hex().upper()
        return f"<{match[1]}> <{target}>"
    return _WIDE_ENTRY.sub(pair, cmap)


class SearchableTTFont(TTFont):
    """A TrueType font whose subsets' ToUnicode maps extract characters outside the BMP."""

    def addObjects(self, doc: Any) -> None:  # noqa: N802 - reportlab's name
        state = self.state.get(doc)  # reportlab forgets the document's state when done
        wide = [self.getSubsetInternalName(n, doc)[1:]
                for n, subset in enumerate(state.subsets if state else ())
                if max(subset) > 0xFFFF]  # the others' entries are UTF-16 already
        super().addObjects(doc)
        fonts = doc.idToObject["BasicFonts"].dict
        for internal_name in wide:
            stream = doc.idToObject[fonts[internal_name].ToUnicode.name]
            stream.content = utf16_cmap(stream.content)


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
            pdfmetrics.registerFont(SearchableTTFont(name, str(path)))
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
