"""The paper a clinic's consents are printed on: A4 or US Letter. Qt-free.

Unset, it is the paper of the computer's region, read from the locale the way the C
library does (``LC_ALL``, then ``LC_PAPER``, then ``LANG``; on Windows the user's locale),
so a clinic in the United States or Mexico gets Letter without choosing it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping

A4, LETTER = "A4", "Letter"
PAPERS = (A4, LETTER)
PAPER_KEY = "clinic.paper"
# The territories whose LC_PAPER is US Letter in the GNU C library's locale data; every
# other territory uses A4.
LETTER_TERRITORIES = frozenset(
    {"US", "CA", "MX", "PH", "CL", "CO", "VE", "CR", "GT", "NI", "PA", "PR", "SV", "BO"})


def territory(locale_name: str) -> str:
    """The two-letter territory of a locale name ("en_US.UTF-8", "es-MX", "zh_Hant_TW"),
    upper case; "" when it names none ("C", "POSIX", "English_United States")."""
    name = locale_name.split(".")[0].split("@")[0].replace("-", "_")
    for part in name.split("_")[1:]:
        if len(part) == 2 and part.isalpha():
            return part.upper()
    return ""


def paper_for(locale_names: Iterable[str]) -> str:
    """The paper of the first locale name that names a territory; A4 when none does."""
    for name in locale_names:
        found = territory(name or "")
        if found:
            return LETTER if found in LETTER_TERRITORIES else A4
    return A4


def system_locale_names(env: Mapping[str, str] = os.environ) -> list[str]:
    """The locale name the paper is read from: the first of ``LC_ALL``, ``LC_PAPER`` and
    ``LANG`` that is set, as the C library reads it ("C" among them means A4); on Windows,
    which has none of them, the user's own locale, as "en-US". Python's own
    ``locale.getlocale`` is not asked: it reports "C.UTF-8" as "en_US"."""
    for key in ("LC_ALL", "LC_PAPER", "LANG"):
        if env.get(key):
            return [env[key]]
    if sys.platform == "win32":
        return [_windows_locale_name()]
    return []


def default_paper() -> str:
    return paper_for(system_locale_names())


def _windows_locale_name() -> str:
    import ctypes

    buffer = ctypes.create_unicode_buffer(85)  # LOCALE_NAME_MAX_LENGTH
    windll = getattr(ctypes, "windll", None)
    if windll is None or not windll.kernel32.GetUserDefaultLocaleName(buffer, len(buffer)):
        return ""
    return buffer.value
