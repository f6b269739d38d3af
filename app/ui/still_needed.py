"""The "Still needed" summary: how many things stop finalizing, and the first few of them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QVBoxLayout, QWidget

from app.consult.consent import Missing
from app.ui.style import set_role
from app.ui.widgets import label

SHOWN = 3


class StillNeeded(QWidget):
    """Count plus the first ``SHOWN`` missing items; clicking one asks to go to its step."""

    item_chosen = Signal(str, str)  # step, item_id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = label("", "h3")
        self.links: list[QPushButton] = []
        self.more = label("", "small")
        self.missing: list[Missing] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        for index in range(SHOWN):
            link = QPushButton()
            set_role(link, "link")
            # elided to whatever width the bar gives it: its full text must not set the
            # window's minimum width (it did: wider than a 1280-pixel screen)
            link.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            link.clicked.connect(lambda _c=False, i=index: self._chosen(i))
            _keep_space_when_hidden(link)
            self.links.append(link)
            layout.addWidget(link)
        _keep_space_when_hidden(self.more)
        layout.addWidget(self.more)
        layout.addStretch(1)

    def show_missing(self, missing: list[Missing], finalized: bool = False) -> None:
        self.missing = list(missing)
        if finalized:
            self.heading.setText("✓ Finalized: this consult is stored and can no longer change.")
        elif missing:
            self.heading.setText(f"Still needed ({len(missing)}):")
        else:
            self.heading.setText("✓ Nothing is still needed. Ready to finalize.")
        set_role(self.heading, "h3" if missing and not finalized else "ok")
        for index, link in enumerate(self.links):
            item = missing[index] if index < len(missing) and not finalized else None
            link.setVisible(item is not None)
            if item is not None:
                link.setProperty("full_text", item.message)
                link.setToolTip(item.message)
                link.setAccessibleName(f"Go to: {item.message}")
        self._elide()
        extra = len(missing) - SHOWN
        self.more.setText(f"…and {max(extra, 0)} more")
        self.more.setVisible(extra > 0 and not finalized)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        """Fit each item on one line; the whole message is in the tooltip."""
        for link in self.links:
            full = link.property("full_text") or ""
            width = max(self.width() - 24, 80)
            text = link.fontMetrics().elidedText(full, Qt.TextElideMode.ElideRight, width)
            link.setText(text.replace("&", "&&"))

    def _chosen(self, index: int) -> None:
        if index < len(self.missing):
            item = self.missing[index]
            self.item_chosen.emit(item.step, item.item_id)


def _keep_space_when_hidden(widget: QWidget) -> None:
    """The bar keeps one height however many items it lists, so nothing below it jumps."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)
    widget.setVisible(False)

