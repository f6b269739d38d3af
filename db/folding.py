"""Folding names for search: "Zoë Ñúñez-Łukasz" and "zoe nunez-lukasz" fold the same.

Stored names and typed queries go through the same :func:`fold`, so whatever it does to
one it does to the other.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that are not a base letter plus a combining mark, so NFKD leaves them alone.
# Applied after casefold(), which already turns ß and ẞ into "ss".
_LETTERS = str.maketrans({
    "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe",
    "ı": "i", "ħ": "h", "ŀ": "l", "ŋ": "n", "ŧ": "t", "ĸ": "k", "ſ": "s",
    # O'Brien, O’Brien and OBrien are the same patient to whoever types the name
    "'": "", "’": "", "ʼ": "", "`": "", "´": "",
})  # fmt: skip

# The same split as SQLite FTS5's unicode61 tokenizer: letters and digits make words.
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower-case, accent-free form of ``text`` for matching, not for display."""
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(_LETTERS)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of ``text``, as the full-text index sees them."""
    return _WORD.findall(fold(text))
