"""A banner above the consult's steps that only staff see, shown by its ``update_for``."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.ui.widgets import Banner


class StaffNotice(QWidget):
    """One banner, hidden until a subclass's ``update_for`` decides to show it."""

    def __init__(self, kind: str, accessible_name: str, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.banner = Banner(kind=kind)
        self.banner.text_label.setAccessibleName(accessible_name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 12, 28, 0)  # as the window's other notices
        layout.addWidget(self.banner)
        self.setVisible(False)

    def text(self) -> str:
        return self.banner.text()
