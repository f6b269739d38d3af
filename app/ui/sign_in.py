"""The screens before a consult: first-start set-up, and signing in with a name and a PIN."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from app.clinic.pin_lockout import PinChecker
from app.clinic.staff import StaffDirectory, StaffMember
from app.ui.pin_entry import PinEntry
from app.ui.staff_form import StaffForm
from app.ui.style import set_role
from app.ui.widgets import Banner, Card, centre, label, row

STAFF_ID = Qt.ItemDataRole.UserRole


class CentredScreen(QWidget):
    """A page of the window with one card in its middle, wide enough to read comfortably."""

    def __init__(self, width_em: int = 28, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.card = Card(spacing=12)
        self.card.layout_.setContentsMargins(28, 24, 28, 24)
        self.card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._width_em = width_em
        centre(self, self.card, below=2)  # a little above the middle

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        # "em" here is a line of text: the card grows with the text size, up to the screen
        wanted = self._width_em * self.fontMetrics().height()
        self.card.setFixedWidth(min(wanted, max(self.width() - 40, 300)))
        super().showEvent(event)


class SignInScreen(CentredScreen):
    """Choose your name, type your PIN. Shown at start and whenever the app locks.

    It is drawn before the records are open (see ``app.runtime.first_screen``): PINs can be
    checked once ``set_checker`` has given it the window's checker.
    """

    signed_in = Signal(object)  # StaffMember
    sign_in_requested = Signal()  # Sign in pressed with no checker yet: provide one now

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.heading = label("Sign in", "h1")
        self.clinic = label("", "muted")
        self.locked_note = Banner("", "info")
        self.locked_note.setVisible(False)
        self.staff_list = QListWidget()
        self.staff_list.setObjectName("staffList")
        self.staff_list.setAccessibleName("Choose your name")
        self.staff_list.setSizePolicy(QSizePolicy.Policy.Expanding,
                                      QSizePolicy.Policy.Preferred)
        self.staff_list.setWordWrap(True)
        self.staff_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.entry = PinEntry(None, "Your PIN", asks_who=False)  # the list says who
        self.sign_in_button = QPushButton("Sign in")
        self.sign_in_button.setAccessibleName("Sign in")
        set_role(self.sign_in_button, "primary")
        self.demo_hint = Banner("", "info")
        self.demo_hint.setVisible(False)
        layout = self.card.layout_
        layout.addWidget(self.heading)
        layout.addWidget(self.clinic)
        layout.addWidget(self.locked_note)
        chooser = label("Your name", "h3")
        chooser.setBuddy(self.staff_list)
        layout.addWidget(chooser)
        layout.addWidget(self.staff_list)
        layout.addWidget(self.entry)
        layout.addLayout(row(self.sign_in_button))
        layout.addWidget(self.demo_hint)
        self.sign_in_button.clicked.connect(self.submit)
        self.entry.submitted.connect(self.submit)
        self.staff_list.itemActivated.connect(lambda _item: self.entry.field.setFocus())
        # a name's own pause (or none) shows as soon as it is chosen
        self.staff_list.currentItemChanged.connect(
            lambda _now, _before: self.entry.set_member(self.chosen_id()))

    def set_checker(self, checker: PinChecker) -> None:
        self.entry.checker = checker
        self.entry.set_member(self.chosen_id())

    def show_staff(self, clinic_name: str, members: list[StaffMember], demo_hint: str,
                   select_id: str | None = None, note: str = "") -> None:
        """Fresh from the database: the staff, the demo hint, why we are here."""
        self.clinic.setText(clinic_name)
        self.locked_note.set_text(note)
        self.locked_note.setVisible(bool(note))
        self.staff_list.clear()
        for member in members:
            item = QListWidgetItem(f"{member.display_name}  ·  {member.role}")
            item.setData(STAFF_ID, member.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, member.display_name)
            self.staff_list.addItem(item)
        ids = [m.id for m in members]
        chosen = ids.index(select_id) if select_id in ids else 0
        self.staff_list.setCurrentRow(chosen)
        rows = max(min(len(members), 6), 2)
        self.staff_list.setFixedHeight(rows * (self.staff_list.sizeHintForRow(0) + 2) + 8
                                       if members else 60)
        self.set_demo_hint(demo_hint)
        self.entry.reset()
        self.entry.set_member(self.chosen_id())
        (self.entry.field if select_id in ids or len(ids) == 1 else self.staff_list).setFocus()

    def set_demo_hint(self, hint: str) -> None:
        self.demo_hint.set_text(hint)
        self.demo_hint.setVisible(bool(hint))

    def chosen_id(self) -> str | None:
        item = self.staff_list.currentItem()
        return item.data(STAFF_ID) if item else None

    def submit(self) -> StaffMember | None:
        staff_id = self.chosen_id()
        if staff_id is None:
            self.entry.show_message("Choose your name first.")
            return None
        if self.entry.checker is None:
            self.sign_in_requested.emit()  # the window opens the records, then checks
        if self.entry.checker is None:
            self.entry.show_message("The records are still opening: press Sign in again "
                                    "in a moment.")
            return None
        member = self.entry.check("sign in", staff_id=staff_id)
        if member is not None:
            self.signed_in.emit(member)
        return member


class SetupScreen(CentredScreen):
    """First start with nobody on the staff list: create the first administrator."""

    created = Signal(object)  # StaffMember

    def __init__(self, directory: StaffDirectory, parent: QWidget | None = None) -> None:
        super().__init__(width_em=38, parent=parent)
        self.directory = directory
        self.form = StaffForm(admin_choice=False)
        self.create_button = QPushButton("Create administrator and sign in")
        set_role(self.create_button, "primary")
        layout = self.card.layout_
        layout.addWidget(label("Set up Glabella", "h1"))
        layout.addWidget(label(
            "Nobody is on the staff list yet. Create the first administrator: they sign in "
            "with this PIN, and add the other staff in Settings.", "intro"))
        layout.addWidget(self.form)
        layout.addLayout(row(self.create_button))
        self.create_button.clicked.connect(self.submit)

    def submit(self) -> StaffMember | None:
        member = self.form.add_member(self.directory, force_admin=True)
        if member is not None:
            self.created.emit(member)
        return member
