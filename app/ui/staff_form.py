"""Entering a staff member: name, credentials, role and a PIN typed twice.

Used by the first-start set-up screen and by Settings → Staff; the rules (names, PIN
length, hashing) are the Qt-free ``app.clinic.staff``'s.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLineEdit, QWidget

from app.clinic.staff import StaffDirectory, StaffError, StaffMember, pin_problem
from app.ui.pin_entry import PinField
from app.ui.widgets import FormField, label


class StaffForm(QWidget):
    """The fields for a new staff member; ``create`` adds them or shows what is wrong."""

    def __init__(self, *, admin_choice: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.name.setPlaceholderText("First and last name")
        self.name.setMaxLength(200)
        self.credentials = QLineEdit()
        self.credentials.setPlaceholderText("e.g. RN, NP, MD")
        self.credentials.setMaxLength(40)
        self.role = QLineEdit()
        self.role.setPlaceholderText("e.g. Nurse injector")
        self.role.setMaxLength(80)
        self.pin = PinField("New PIN")
        self.pin_again = PinField("New PIN again")
        self.is_admin = QCheckBox("Administrator (can change Settings and staff)")
        self.is_admin.setAccessibleName("Administrator")
        self.is_admin.setVisible(admin_choice)
        self.fields = {
            "name": FormField("Full name *", self.name),
            "credentials": FormField("Credentials", self.credentials),
            "role": FormField("Role", self.role),
            "pin": FormField("PIN (6–12 digits) *", self.pin),  # or a passphrase: the field says
            "pin_again": FormField("PIN again *", self.pin_again),
        }
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(20)
        grid.setVerticalSpacing(10)
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(self.fields["name"], 0, 0, 1, 2, top)
        grid.addWidget(self.fields["credentials"], 1, 0, top)
        grid.addWidget(self.fields["role"], 1, 1, top)
        grid.addWidget(self.fields["pin"], 2, 0, top)
        grid.addWidget(self.fields["pin_again"], 2, 1, top)
        grid.addWidget(self.is_admin, 3, 0, 1, 2)
        self.problem = label("", "error")
        self.problem.setVisible(False)
        grid.addWidget(self.problem, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

    def clear(self) -> None:
        for edit in (self.name, self.credentials, self.role, self.pin, self.pin_again):
            edit.clear()
        self.is_admin.setChecked(False)
        self._show({})

    def _show(self, problems: dict[str, str]) -> None:
        for key, field in self.fields.items():
            field.set_error(problems.get(key, ""))
        other = problems.get("", "")
        self.problem.setText(other)
        self.problem.setVisible(bool(other))

    def add_member(self, directory: StaffDirectory, *, by: StaffMember | None = None,
                   force_admin: bool = False) -> StaffMember | None:
        """Add the staff member; None (with the problems shown) when something is wrong."""
        problems: dict[str, str] = {}
        pin = self.pin.text()
        if pin_problem(pin):
            problems["pin"] = pin_problem(pin)
        elif self.pin_again.text() != pin:
            problems["pin_again"] = "The two PINs are not the same."
        if not self.name.text().strip():
            problems["name"] = "Name is required."
        if problems:
            self._show(problems)
            return None
        try:
            member = directory.add(self.name.text(), self.credentials.text(), self.role.text(),
                                   pin, is_admin=force_admin or self.is_admin.isChecked(), by=by)
        except StaffError as exc:
            self._show({"name" if "Name" in str(exc) else "": str(exc)})
            return None
        self.clear()
        return member
