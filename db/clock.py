"""The time stamps the records carry (Qt-free, no SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime


def now_iso() -> str:
    """Current UTC time as an ISO 8601 string with offset, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")
