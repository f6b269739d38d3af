"""Time stamps as text: the one place that writes a UTC offset."""

from __future__ import annotations

from datetime import datetime


def utc_offset(moment: datetime, separator: str = ":") -> str | None:
    """``+01:00`` (or ``+01'00`` with ``separator="'"``); None for a naive time."""
    offset = moment.utcoffset()
    if offset is None:
        return None
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{separator}{mins:02d}"
