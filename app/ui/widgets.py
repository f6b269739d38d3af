"""Small widget patterns the step pages share: labels, cards, banners, form fields, dates."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QObject, QRectF, QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.ui.style import FIELD_HEIGHT, FOCUS, repolish, set_invalid, set_role


@contextmanager
def quietly(*objects: QObject) -> Iterator[None]:
    """Set widgets from the model without their change signals answering back."""
    previous = [obj.blockSignals(True) for obj in objects]
    try:
        yield
    finally:
        for obj, was_blocked in zip(objects, previous, strict=True):
            obj.blockSignals(was_blocked)


def label(text: str = "", role: str | None = None, *, wrap: bool = True,
          selectable: bool = False) -> QLabel:
    """A plain-text label (never rich text: pack wording and typed names are not markup)."""
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(wrap)
    widget.setIndent(0)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                       | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    if role:
        set_role(widget, role)
    return widget


class Card(QFrame):
    """A white panel holding one question, item or signature; its state colours its edge."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        set_role(self, "card")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(16, 12, 16, 12)
        self.layout_.setSpacing(spacing)

    def set_state(self, state: str = "") -> None:
        """``""`` (neutral), ``"done"``, ``"flag"`` or ``"stop"``."""
        set_role(self, f"card-{state}" if state else "card")


class Banner(QFrame):
    """A coloured notice: ``danger`` (red), ``warning`` (amber), ``info`` or ``success``."""

    def __init__(self, text: str = "", kind: str = "info", parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.text_label = label(text)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        self.top_row = QHBoxLayout()
        self.top_row.setSpacing(12)
        self.top_row.addWidget(self.text_label, 1)
        layout.addLayout(self.top_row)
        self.layout_ = layout
        self.set_kind(kind)

    def add_action(self, button: QWidget) -> None:
        """A button beside the text (e.g. Dismiss), not under it: banners stay short."""
        self.top_row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)

    def set_kind(self, kind: str) -> None:
        set_role(self, f"banner-{kind}")
        repolish(self.text_label)  # its colour comes from the banner's role

    def set_text(self, text: str) -> None:
        self.text_label.setText(text)

    def text(self) -> str:
        return self.text_label.text()


class FormField(QWidget):
    """A caption, an input and, under it, the input's problem in plain words (if any)."""

    def __init__(self, caption: str, editor: QWidget, hint: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.caption = label(caption, "h3")
        self.caption.setBuddy(editor)
        editor.setAccessibleName(caption.rstrip(" *:"))
        self.hint = label(hint, "small")
        self.hint.setVisible(bool(hint))
        self.error = label("", "error")
        self.error.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.caption)
        layout.addWidget(editor)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)

    def set_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        set_invalid(self.editor, bool(message))
        self.editor.setAccessibleDescription(message)

    def error_text(self) -> str:
        return self.error.text()


class TextArea(QPlainTextEdit):
    """A short multi-line box ``lines`` tall in its current font; Tab moves on.

    The height follows the font (larger text, patient mode), so text never clips; longer
    text scrolls inside the box.
    """

    def __init__(self, placeholder: str = "", lines: int = 3,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines = lines
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _height(self) -> int:
        margins = self.contentsMargins()
        document = int(2 * self.document().documentMargin())
        return (self.lines * self.fontMetrics().lineSpacing() + margins.top()
                + margins.bottom() + document + 4)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(super().sizeHint().width(), self._height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(super().minimumSizeHint().width(), self._height())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.updateGeometry()


def text_area(placeholder: str = "", lines: int = 3) -> TextArea:
    return TextArea(placeholder, lines)


def row(*widgets: QWidget, stretch: bool = True, spacing: int = 10,
        grow: QWidget | None = None) -> QHBoxLayout:
    """Widgets side by side; ``grow`` takes the spare width, else a stretch at the end does."""
    layout = QHBoxLayout()
    layout.setSpacing(spacing)
    for widget in widgets:
        layout.addWidget(widget, 1 if widget is grow else 0)
    if stretch:
        layout.addStretch(1)
    return layout


def centre(host: QWidget, child: QWidget, below: int = 1) -> None:
    """Lay ``child`` out in the middle of ``host``, with ``below`` times as much of the spare
    height under it as above it."""
    grid = QGridLayout(host)
    grid.addWidget(child, 1, 1)
    grid.setRowStretch(0, 1)
    grid.setRowStretch(2, below)
    grid.setColumnStretch(0, 1)
    grid.setColumnStretch(2, 1)


class ComboBox(QComboBox):
    """A combo box that shows the keyboard focus as every other control does.

    It keeps the platform style's drawing (a stylesheet frame would drop its arrow), so
    the focus ring is painted on top.
    """

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(FOCUS), 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 3, 3)
            painter.end()


class OptionalDateEdit(QDateEdit):
    """A date box that starts (and can return to) "not set" instead of guessing a date.

    "Not set" is Qt's special-value text on the minimum date, so that date is a sentinel and
    never a value. Typing digits into an unset box starts a date at ``typing_start`` with the
    year selected; a ``-`` typed right after a section filled itself is swallowed, so
    ``1988-04-17`` can be typed as written. Delete or Backspace over the whole text unsets it.
    """

    cleared = Signal()

    def __init__(self, not_set_text: str = "Not set", *, sentinel: QDate | None = None,
                 maximum: QDate | None = None, typing_start: QDate | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sentinel = sentinel or QDate(1900, 1, 1)
        sentinel = self._sentinel
        self._typing_start = typing_start or QDate(2000, 1, 1)
        self._just_advanced = False
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCalendarPopup(True)
        self.setMinimumDate(sentinel)
        if maximum is not None:
            self.setMaximumDate(maximum)
        self.setSpecialValueText(not_set_text)
        self.setDate(sentinel)
        self.setMinimumWidth(180)
        self.setMinimumHeight(FIELD_HEIGHT)
        self.calendarWidget().installEventFilter(self)

    def value(self) -> date | None:
        current = self.date()
        if current == self._sentinel:
            return None
        return date(current.year(), current.month(), current.day())

    def set_value(self, value: date | None) -> None:
        self.setDate(QDate(value.year, value.month, value.day) if value else self._sentinel)

    def is_set(self) -> bool:
        return self.date() != self._sentinel

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002
        """Tab leaves an unset box: Qt's section stepping would keep the focus in it."""
        if not self.is_set():
            return QWidget.focusNextPrevChild(self, next)
        return super().focusNextPrevChild(next)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.calendarWidget() and event.type() == QEvent.Type.Show \
                and not self.is_set():
            start = self._clamped_start()
            self.calendarWidget().setCurrentPage(start.year(), start.month())
        return super().eventFilter(watched, event)

    def _clamped_start(self) -> QDate:
        start = self._typing_start
        if start > self.maximumDate():
            start = self.maximumDate()
        return start

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        text = event.text()
        everything = self.lineEdit().selectedText() == self.lineEdit().text()
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and (
                everything or not self.is_set()):
            self.setDate(self._sentinel)
            self.cleared.emit()
            event.accept()
            return
        if text.isdigit() and (everything or not self.is_set()):
            if not self.is_set():
                self.setDate(self._clamped_start())
            self.setCurrentSection(QDateTimeEdit.Section.YearSection)
            self.setSelectedSection(QDateTimeEdit.Section.YearSection)
        if text in ("-", "/", ".") and self._just_advanced:
            self._just_advanced = False
            event.accept()
            return
        before = self.currentSection()
        super().keyPressEvent(event)
        self._just_advanced = text.isdigit() and self.currentSection() != before


def copies_folder() -> str:
    """Where a save dialog starts for a plain copy (a PDF for the patient, the register):
    the user's Documents, never the data folder, whose files are kept private and
    encrypted and where a plain copy would sit beside the records it copies."""
    return (QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            or str(Path.home()))
