"""Window titles, in one place. Qt-free, and light: the sign-in screen's window uses it
before the records (and sqlite-utils) are loaded."""

from __future__ import annotations

APP_NAME = "Glabella"  # the application display name Qt adds to window titles


def window_title(clinic_name: str, part: str = "") -> str:
    """A window's title: "<part> — <clinic> — Glabella", the application's name once, last.

    Qt appends the application's display name ("Glabella") to a title that does not
    already end with it, so a title starting "Glabella — " was shown with it twice.
    """
    return " — ".join(p for p in (part, clinic_name.strip(), APP_NAME) if p)
