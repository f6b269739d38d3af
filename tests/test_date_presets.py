"""The records screen's one-click date ranges, without a window."""

from __future__ import annotations

from datetime import date

import pytest

from app.records.date_presets import PRESETS, month_before, preset_range


def test_each_preset_ends_today_and_includes_it() -> None:
    today = date(2026, 6, 1)
    assert preset_range("Today", today) == (today, today)
    assert preset_range("Last 7 days", today) == (date(2026, 5, 26), today)  # 7 days
    assert preset_range("Last month", today) == (date(2026, 5, 2), today)
    assert PRESETS == ("Today", "Last 7 days", "Last month")
    with pytest.raises(ValueError, match="unknown date preset"):
        preset_range("Last year", today)


@pytest.mark.parametrize(("day", "before"), [
    (date(2026, 3, 31), date(2026, 2, 28)),  # February has no 31st
    (date(2028, 3, 30), date(2028, 2, 29)),  # a leap year
    (date(2026, 1, 15), date(2025, 12, 15)),  # over the new year
])
def test_a_month_before(day, before) -> None:
    assert month_before(day) == before
