"""Has a document been read? Every page must have been on screen down to its last line.

A view reports which part of each page it shows (``saw``); rendering the pages, or
opening the step, reads nothing. Qt-free: the rule is tested without a window.
"""

from __future__ import annotations

# a page's last few percent are its margin and footer: reaching them is reaching the end
END_OF_PAGE = 0.97
SEAM = 0.01  # two views that meet within a pixel or two are one continuous reading


class ReadingProgress:
    """How far down each page of one document has been shown."""

    def __init__(self, key: str = "", page_count: int = 0) -> None:
        self.key = key  # which document (e.g. its fingerprint)
        self.reached = [0.0] * page_count  # per page: the lowest fraction shown so far

    @property
    def page_count(self) -> int:
        return len(self.reached)

    def saw(self, page: int, top: float, bottom: float) -> bool:
        """Page ``page`` (0-based) was shown from ``top`` to ``bottom`` (fractions of its
        height); True if that changed whether the document counts as read."""
        if not 0 <= page < len(self.reached) or bottom <= top or top > END_OF_PAGE:
            return False
        before = self.is_read()
        # a page only counts from where it was shown: a jump to its bottom edge alone does
        # not read the page, so its top part must have been on screen first
        if top <= self.reached[page] + SEAM:
            self.reached[page] = max(self.reached[page], min(bottom, 1.0))
        return self.is_read() != before

    def pages_read(self) -> int:
        return sum(1 for r in self.reached if r >= END_OF_PAGE)

    def is_read(self) -> bool:
        return bool(self.reached) and all(r >= END_OF_PAGE for r in self.reached)

    def remaining(self) -> str:
        """What is still to read, in plain words ("" when all was read)."""
        left = [i + 1 for i, r in enumerate(self.reached) if r < END_OF_PAGE]
        if not left:
            return ""
        return f"Page {left[0]} still to read" if len(left) == 1 else \
            f"{len(left)} pages still to read, from page {left[0]}"
