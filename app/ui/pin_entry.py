"""Typing a staff PIN: a digits-only hidden field, the reason a PIN was refused, the pause.

``PinEntry`` is what the sign-in screen and every PIN prompt share; the checking, counting
and audit logging happen in the Qt-free ``app.clinic.staff.PinChecker``.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from app.clinic.staff import PIN_MAX, PinChecker, StaffMember
from app.ui.style import FIELD_HEIGHT
from app.ui.widgets import label


class PinField(QLineEdit):
    """Digits only, shown as dots."""

    def __init__(self, accessible_name: str = "Staff PIN", parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setMaxLength(PIN_MAX)
        self.setValidator(QRegularExpressionValidator(
            QRegularExpression(f"[0-9]{{0,{PIN_MAX}}}"), self))
        self.setPlaceholderText("4 to 8 digits")
        self.setAccessibleName(accessible_name)
        self.setMinimumHeight(FIELD_HEIGHT)
        self.setMinimumWidth(200)


class PinEntry(QWidget):
    """A PIN field and the message under it; counts down while PIN entry is paused."""

    submitted = Signal()  # Enter pressed in the field

    def __init__(self, checker: PinChecker | None, caption: str = "Staff PIN",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.checker = checker
        self.caption = label(caption, "h3")
        self.field = PinField(caption)
        self.caption.setBuddy(self.field)
        self.message = label("", "error")
        self.message.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.caption)
        layout.addWidget(self.field)
        layout.addWidget(self.message)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self.field.returnPressed.connect(self.submitted.emit)

    def reset(self) -> None:
        self.field.clear()
        self.show_message("")
        self._tick()

    def check(self, purpose: str, *, staff_id: str | None = None,
              admins_only: bool = False) -> StaffMember | None:
        """Check what was typed; the staff member, or None with the reason shown."""
        assert self.checker is not None, "no PIN checker yet"
        result = self.checker.check(self.field.text(), purpose, staff_id=staff_id,
                                    admins_only=admins_only)
        self.field.clear()
        if result.member is not None:
            self.show_message("")
            return result.member
        self.show_message(result.message)
        self._tick()
        self.field.setFocus()
        return None

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.field.setAccessibleDescription(text)

    def locked(self) -> bool:
        return self._wait() > 0

    def _wait(self) -> int:
        return self.checker.guard.seconds_left() if self.checker is not None else 0

    def _tick(self) -> None:
        """While paused: the field is off and the message counts down; then it opens."""
        wait = self._wait()
        self.field.setEnabled(not wait)
        if wait:
            self.show_message(PinChecker.locked_message(wait))
            if not self._ticker.isActive():
                self._ticker.start()
            return
        self._ticker.stop()
        if self.message.text().startswith("Too many wrong PINs"):
            self.show_message("PIN entry is open again.")
            self.field.setFocus()
