"""The list of steps on the left, each with its progress mark."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app.ui import style

MARKS = {"complete": ("✓", style.SUCCESS, "complete"),
         "missing": ("•", style.WARNING, "something still needed"),
         "optional": ("○", style.MUTED, "optional")}


class StepList(QListWidget):
    """Steps in consult order; any step can be chosen at any time."""

    def __init__(self, names: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepList")
        self.setAccessibleName("Consult steps")
        self.step_ids = [step_id for step_id, _ in names]
        self._names = dict(names)
        for step_id, name in names:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, step_id)
            self.addItem(item)
        self.fit_text(style.BODY_PT)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def fit_text(self, body_pt: int) -> None:
        """Wide enough for the longest step name (and its mark) at ``body_pt``."""
        font = QFont(self.font())
        font.setPointSize(body_pt + 1)  # the list's text is a point above the body's
        metrics = QFontMetrics(font)
        longest = max(metrics.horizontalAdvance(f"✓  {name}") for name in self._names.values())
        self.setFixedWidth(longest + 56)  # item padding, the selection edge, the border

    def set_mark(self, step_id: str, state: str) -> None:
        """``state`` is ``complete``, ``missing`` or ``optional``."""
        item = self.item(self.step_ids.index(step_id))
        mark, colour, words = MARKS[state]
        name = self._names[step_id]
        item.setText(f"{mark}  {name}")
        item.setForeground(QColor(colour) if state != "optional" else QColor(style.INK))
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{name}: {words}")
        item.setData(Qt.ItemDataRole.UserRole + 1, state)

    def name(self, step_id: str) -> str:
        """The step's name as listed (without its mark)."""
        return self._names[step_id]

    def mark(self, step_id: str) -> str:
        return self.item(self.step_ids.index(step_id)).data(Qt.ItemDataRole.UserRole + 1)
