"""The records window: finding, opening, printing, saving and verifying stored consents."""

from __future__ import annotations

from app.ui.records.window import RecordsWindow

__all__ = ["RecordsWindow"]
