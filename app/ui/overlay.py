"""A panel laid over the whole window: the staff-PIN prompt and the patient-mode lock screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from app.clinic.pin_lockout import PinChecker
from app.ui.pin_entry import PinEntry
from app.ui.style import set_role
from app.ui.widgets import Card, centre, label, row

CARD_WIDTH = 34  # in body-text ems: a prompt stays readable, never a full-width strip


class Overlay(QWidget):
    """Covers its parent, dimmed (a prompt) or opaque (a lock), with one centred card."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        set_role(self, "scrim")
        self.card = Card()
        self.card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        centre(self, self.card)
        self._behind: list[QWidget] = []
        self._host = parent  # what it covers: its parent, for good (it is never moved)
        parent.installEventFilter(self)
        self.hide()

    def set_opaque(self, opaque: bool) -> None:
        """An opaque overlay hides what is behind it (nobody reads a paused consult)."""
        set_role(self, "lock" if opaque else "scrim")

    def cover(self) -> None:
        parent = self._host
        self.setGeometry(parent.rect())
        width = CARD_WIDTH * self.fontMetrics().averageCharWidth() * 2
        self.card.setFixedWidth(min(width, max(parent.width() - 48, 320)))
        # what is behind takes no clicks or keys (Tab must not wander behind a lock)
        if not self.isVisible():
            self._behind = [w for w in parent.findChildren(
                QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                if w is not self and w.isEnabled() and not w.isWindow()]
            for widget in self._behind:
                widget.setEnabled(False)
        self.raise_()
        self.show()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        if event.spontaneous():  # the window was minimised: it still covers when restored
            super().hideEvent(event)
            return
        for widget in self._behind:
            widget.setEnabled(True)
        self._behind = []
        super().hideEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._host and event.type() == QEvent.Type.Resize \
                and self.isVisible():
            self.setGeometry(self._host.rect())
        return super().eventFilter(watched, event)


class PinOverlay(Overlay):
    """Asks for a staff PIN before something only staff may do.

    ``ask`` sets the question; ``accepted(action, member)`` follows a right PIN (the action
    is the key of the button pressed), ``cancelled`` a Cancel or Escape when allowed.
    """

    accepted = Signal(str, object)
    cancelled = Signal()

    def __init__(self, parent: QWidget, checker: PinChecker) -> None:
        super().__init__(parent)
        self.title = label("", "h1")
        self.text = label("")
        self.entry = PinEntry(checker)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel: stay where you are")
        self.buttons: dict[str, QPushButton] = {}
        self._button_row = row(stretch=True)
        self.card.layout_.setSpacing(12)
        self.card.layout_.addWidget(self.title)
        self.card.layout_.addWidget(self.text)
        self.card.layout_.addWidget(self.entry)
        self.card.layout_.addLayout(self._button_row)
        self.purpose = ""
        self.cancellable = True
        self.admins_only = False
        self.cancel_button.clicked.connect(self.cancel)
        self.entry.submitted.connect(lambda: self.submit(next(iter(self.buttons), "")))

    def ask(self, title: str, text: str, purpose: str, *,
            actions: tuple[tuple[str, str], ...] = (("ok", "OK"),), cancellable: bool = True,
            admins_only: bool = False, opaque: bool = False) -> None:
        """Show the prompt; ``actions`` are (key, button text), the first one is Enter's."""
        self.title.setText(title)
        self.text.setText(text)
        self.text.setVisible(bool(text))
        self.purpose, self.cancellable, self.admins_only = purpose, cancellable, admins_only
        self.entry.caption.setText("An administrator's PIN" if admins_only else "Staff PIN")
        self._set_buttons(actions)
        self.set_opaque(opaque)
        self.entry.reset()
        self.cover()
        self.entry.field.setFocus()

    def _set_buttons(self, actions: tuple[tuple[str, str], ...]) -> None:
        for button in self.buttons.values():
            self._button_row.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.buttons = {}
        self._button_row.removeWidget(self.cancel_button)
        for index, (key, text) in enumerate(actions):
            button = QPushButton(text)
            button.setAccessibleName(text)
            set_role(button, "primary" if index == 0 else "")
            button.clicked.connect(lambda _c=False, key=key: self.submit(key))
            self.buttons[key] = button
            self._button_row.addWidget(button)
        self._button_row.addWidget(self.cancel_button)
        self.cancel_button.setVisible(self.cancellable)
        # Tab from the field reaches the buttons in the order they are shown
        previous: QWidget = self.entry.field
        for widget in (*self.buttons.values(), self.cancel_button):
            QWidget.setTabOrder(previous, widget)
            previous = widget

    def submit(self, action: str) -> None:
        member = self.entry.check(self.purpose, admins_only=self.admins_only)
        if member is None:
            return
        self.hide()
        self.accepted.emit(action, member)

    def cancel(self) -> None:
        if self.cancellable:
            self.hide()
            self.cancelled.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()  # an uncancellable prompt (the lock) simply stays
            event.accept()
            return
        super().keyPressEvent(event)
