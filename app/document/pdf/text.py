"""Text as it goes into the PDF: escaped for Paragraph markup, with font fallback runs.

Every piece of text printed on the consent goes through :func:`markup`, so text typed by
a user (``<b>&`` in a name) is printed literally and never read as markup.

Script support: Latin, Greek, Cyrillic, Arabic and Hebrew come from DejaVu Sans; Chinese
and Japanese from the Droid fallback. Neither font has Hangul (Korean), and characters no
font has are printed as U+FFFD (a visible replacement mark) rather than silently dropped.
Right-to-left scripts: reportlab does not shape or reorder Arabic/Hebrew without extra
libraries (uharfbuzz, a bidi algorithm), so such text is printed as its characters in
logical (typed) order, unjoined, left to right. It stays legible to the extraction layer
and never crashes, but a native reader will see it reversed and unjoined.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from xml.sax.saxutils import escape

from app.base.timestamps import utc_offset
from app.document.pdf.fonts import BOLD, FALLBACK, REGULAR, charset

REPLACEMENT = "\ufffd"
# Month names are fixed English, not the machine locale's: the same consent must print the
# same bytes on every workstation, whatever language Qt switched the C locale to.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _font_for(code: int, primary: str) -> str | None:
    """Which font prints this character: the style's own font, a fallback, or none."""
    for font in (primary, REGULAR, FALLBACK):
        if code in charset(font):
            return font
    return None


def _invisible(ch: str) -> bool:
    """Format and variation characters (ZWJ, emoji selectors) that print as nothing."""
    code = ord(ch)
    return (unicodedata.category(ch) in ("Cf", "Cc") or 0xFE00 <= code <= 0xFE0F
            or 0xE0100 <= code <= 0xE01EF)


def markup(text: object, *, bold: bool = False, multiline: bool = True) -> str:
    """Paragraph markup for ``text``: XML-escaped, missing glyphs wrapped in font runs.

    ``bold`` says the paragraph's own font is the bold face. Line breaks become ``<br/>``
    when ``multiline``, spaces otherwise.
    """
    primary = BOLD if bold else REGULAR
    source = "" if text is None else str(text)
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    runs: list[tuple[str, list[str]]] = []
    for ch in source:
        if ch == "\n":
            font, out = primary, ("<br/>" if multiline else " ")
        elif ch in " \t":
            # a space joins whatever run it is in, so "山田 花子" is one fallback run
            font, out = (runs[-1][0] if runs else primary), " "
        else:
            chosen = _font_for(ord(ch), primary)
            if chosen is None:
                if _invisible(ch):
                    continue
                chosen, ch = primary, REPLACEMENT
            font, out = chosen, escape(ch)
        if runs and runs[-1][0] == font:
            runs[-1][1].append(out)
        else:
            runs.append((font, [out]))
    parts = []
    for font, chars in runs:
        body = "".join(chars)
        parts.append(body if font == primary else f'<font name="{font}">{body}</font>')
    return "".join(parts)


def format_datetime(value: datetime | None) -> str:
    """``23 Nov 2026, 14:05 (UTC+01:00)``; the time zone is the one the time was taken in."""
    if value is None:
        return "—"
    text = f"{value.day} {_MONTHS[value.month - 1]} {value.year}, {value:%H:%M}"
    offset = utc_offset(value)
    return text if offset is None else f"{text} (UTC{offset})"


def format_date(value: date | None) -> str:
    """``17 Apr 1988``: day, month name and year, so no reader confuses day and month."""
    if value is None:
        return "—"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def format_units(units: float | None) -> str:
    if units is None:
        return ""
    number = f"{units:.2f}".rstrip("0").rstrip(".")
    return f"{number} unit" if number == "1" else f"{number} units"
