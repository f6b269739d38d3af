"""One-click date ranges for the records screen's filters ("Today", "Last 7 days",
"Last month"), as the inclusive dates the consent filter takes. Qt-free."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

PRESETS = ("Today", "Last 7 days", "Last month")


def month_before(day: date) -> date:
    """The same day a month earlier; the month's last day when it has no such day."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def preset_range(preset: str, today: date) -> tuple[date, date]:
    """(from, to), both inclusive and ending today: "Last 7 days" is today and the six
    days before it, "Last month" the day after the same date a month ago up to today."""
    if preset == "Today":
        return today, today
    if preset == "Last 7 days":
        return today - timedelta(days=6), today
    if preset == "Last month":
        return month_before(today) + timedelta(days=1), today
    raise ValueError(f"unknown date preset {preset!r}")
