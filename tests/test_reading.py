"""The document counts as read only when every page was shown down to its end."""

from __future__ import annotations

from app.document.reading import ReadingProgress


def test_rendering_reads_nothing_and_reading_every_page_to_its_end_does():
    reading = ReadingProgress("doc", 3)
    assert not reading.is_read() and reading.remaining() == "3 pages still to read, from page 1"
    reading.saw(0, 0.0, 0.5)
    reading.saw(0, 0.5, 1.0)  # one page-down later
    assert reading.pages_read() == 1
    reading.saw(1, 0.0, 1.0)
    assert reading.remaining() == "Page 3 still to read"
    assert reading.saw(2, 0.0, 1.0)  # this view changed the verdict
    assert reading.is_read() and reading.remaining() == ""


def test_jumping_to_a_page_end_skips_what_was_above_it():
    reading = ReadingProgress("doc", 1)
    reading.saw(0, 0.0, 0.3)
    reading.saw(0, 0.8, 1.0)  # the part from 0.3 to 0.8 was never on screen
    assert not reading.is_read()
    reading.saw(0, 0.3, 0.8)
    reading.saw(0, 0.8, 1.0)
    assert reading.is_read()


def test_nothing_shown_is_never_read():
    assert not ReadingProgress("doc", 0).is_read()
    reading = ReadingProgress("doc", 2)
    assert not reading.saw(5, 0.0, 1.0) and not reading.saw(0, 0.5, 0.5)
