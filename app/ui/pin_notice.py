"""Staff only: after signing in with a PIN short of today's rule (app.clinic.pins), a
notice above the consult's steps asks for a stronger one, and a dialog takes it.

Both are thin: the rule and its reasons are ``pin_problem``'s, the change and its audit
event ``StaffDirectory.reset_pin``'s.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.clinic.pins import stronger_pin_request
from app.clinic.staff import StaffDirectory, StaffError, StaffMember
from app.ui.pin_entry import PinField
from app.ui.staff_notice import StaffNotice
from app.ui.widgets import FormField, label


class StrongerPinNotice(StaffNotice):
    """The banner; "Choose a new PIN" asks the window for the dialog."""

    change_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("warning", "Choose a stronger PIN", parent)
        self.button = QPushButton("Choose a new PIN")
        self.button.setAccessibleName("Choose a new, stronger PIN")
        self.banner.add_action(self.button)
        self.button.clicked.connect(self.change_requested.emit)

    def ask(self, member: StaffMember) -> None:
        self.banner.set_text(stronger_pin_request(member.full_name))
        self.setVisible(True)


class ChangePinDialog(QDialog):
    """A signed-in member chooses their own new PIN, typed twice."""

    def __init__(self, directory: StaffDirectory, member: StaffMember,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.directory, self.member = directory, member
        self.setWindowTitle("Choose a new PIN")
        self.new_pin = PinField("New PIN")
        self.new_pin_again = PinField("New PIN again")
        self.message = label("", "error")
        self.message.setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save new PIN")
        layout = QVBoxLayout(self)
        # wrapped labels need a width to wrap at: without one the dialog opened too narrow
        # and clipped its own text and fields
        self.setMinimumWidth(480)
        layout.addWidget(label(f"A new PIN for {member.display_name}", "h2"))
        layout.addWidget(label("6 to 12 digits, or a passphrase of 12 or more characters. "
                               "Not a date, a run like 123456 or one digit repeated.",
                               "muted"))
        layout.addWidget(FormField("New PIN", self.new_pin))
        layout.addWidget(FormField("New PIN again", self.new_pin_again))
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

    def submit(self) -> bool:
        """Save the new PIN, or say why not; the dialog closes once it is saved."""
        pin = self.new_pin.text()
        try:
            if self.new_pin_again.text() != pin:
                raise StaffError("The two PINs are not the same.")
            self.directory.reset_pin(self.member.id, pin, by=self.member)
        except StaffError as exc:
            self.message.setText(str(exc))
            self.message.setVisible(True)
            self.adjustSize()  # room for the reason, which may wrap to two lines
            self.new_pin.clear()
            self.new_pin_again.clear()
            self.new_pin.setFocus()
            return False
        self.accept()
        return True
