"""What "fits" means for a screen: nothing cut short, nothing outside the window."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

CHECKED = (QAbstractButton, QLabel, QLineEdit, QComboBox, QAbstractSpinBox)
# the document viewer's scroll area: Larger text and zoom take its pages past the width on
# purpose, so it alone may scroll sideways
SIDEWAYS_OK = "pageView"


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton | QLabel | QLineEdit) else ""
    return f"{type(widget).__name__} {widget.accessibleName() or text!r}"[:90]


def _needed(widget: QWidget) -> tuple[int, int]:
    """The smallest size at which ``widget`` shows all of itself."""
    if isinstance(widget, QLabel) and widget.wordWrap():
        return widget.minimumSizeHint().width(), widget.heightForWidth(widget.width())
    if isinstance(widget, QLabel | QAbstractButton):
        hint = widget.sizeHint()
        return hint.width(), hint.height()
    hint = widget.minimumSizeHint()
    return hint.width(), hint.height()


def _cut_by_ancestors(window: QWidget, widget: QWidget) -> bool:
    """Is part of ``widget`` outside the window, or cut off by a parent? Inside a scroll
    area only sideways: scrolling up or down brings the rest into view, but these areas
    never scroll sideways."""
    rect = widget.rect()
    current = widget
    while current is not window:
        parent = current.parentWidget()
        if parent is None:
            return False
        rect = rect.translated(current.pos())
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and parent is area.viewport():
            sideways = rect.left() < 0 or rect.right() > parent.width()
            if sideways and area.objectName() != SIDEWAYS_OK:
                return True
            rect = rect.intersected(parent.rect())  # what is in view now
            if rect.isEmpty():
                return False
        elif not parent.rect().contains(rect):
            return True
        current = parent
    return not window.rect().contains(rect)


def clipped(window: QWidget) -> list[str]:
    """Every visible control or text drawn smaller than it needs, or partly outside."""
    found = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, CHECKED) or not widget.isVisible():
            continue
        if isinstance(widget, QToolButton) and widget.objectName() == "qt_toolbar_ext_button":
            found.append("the toolbar hides actions behind its » button")
            continue
        width, height = _needed(widget)
        if width > widget.width() + 1 or height > widget.height() + 1:
            found.append(f"{_name(widget)}: {widget.width()}x{widget.height()} < "
                         f"{width}x{height}")
        elif _cut_by_ancestors(window, widget):
            found.append(f"{_name(widget)}: partly outside")
    return found
