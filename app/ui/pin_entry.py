"""Typing a staff PIN: a hidden field (PIN or passphrase), the reason it was refused, the pause.

``PinEntry`` is what the sign-in screen and every PIN prompt share; the checking, counting
and audit logging happen in the Qt-free ``app.clinic.pin_lockout.PinChecker``. A prompt
for any staff member's PIN asks "Who are you?" after a few wrong PINs; a member whose PIN
entry is paused can be unlocked there by another member's PIN.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.clinic.pin_lockout import ASK_NAME, CHOOSE_NAME, PinChecker
from app.clinic.pins import INPUT_MAX
from app.clinic.staff import StaffMember
from app.ui.style import FIELD_HEIGHT
from app.ui.widgets import label, row

PAUSED = "Too many wrong PINs for "  # how every pause message starts


class PinField(QLineEdit):
    """A PIN or a passphrase, shown as dots (app.clinic.pins says which are acceptable)."""

    def __init__(self, accessible_name: str = "Staff PIN", parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setMaxLength(INPUT_MAX)
        self.setPlaceholderText("PIN or passphrase")
        self.setAccessibleName(accessible_name)
        self.setMinimumHeight(FIELD_HEIGHT)
        self.setMinimumWidth(200)


class PinEntry(QWidget):
    """A PIN field and the message under it; counts down while its member is paused.

    Whose PIN it is: the member the owner set (``set_member``, the sign-in screen's choice),
    else the name chosen under "Who are you?" once the checker asks for one, else anyone's.
    """

    submitted = Signal()  # Enter pressed in the field

    def __init__(self, checker: PinChecker | None, caption: str = "Staff PIN",
                 parent: QWidget | None = None, *, asks_who: bool = True) -> None:
        """``asks_who`` False: the owner always says whose PIN it is (``set_member``)."""
        super().__init__(parent)
        self.checker = checker
        self.asks_who = asks_who
        self._member_id: str | None = None  # set by the owner: this member's PIN
        # the last right PIN falls short of today's rule: the window asks for a new one
        self.asks_for_stronger = False
        self._named = False  # "Who are you?" is asked
        self._unlocking: str | None = None  # a paused member someone else is unlocking
        # (id, name, can be unlocked) of the paused member shown: the countdown's ticks
        # read no database
        self._paused: tuple[str, str, bool] | None = None
        self.who_caption = label("Who are you?", "h3")
        self.who = QComboBox()
        self.who.setAccessibleName("Your name")
        self.who.setPlaceholderText("Choose your name")
        self.who.setMinimumHeight(FIELD_HEIGHT)
        self.who_caption.setBuddy(self.who)
        self.caption = label(caption, "h3")
        self.field = PinField(caption)
        self.caption.setBuddy(self.field)
        self.message = label("", "error")
        self.message.setVisible(False)
        self.unlock_button = QPushButton("Another member of staff unlocks it")
        self.unlock_button.setAccessibleName("Another member of staff unlocks this paused PIN")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for widget in (self.who_caption, self.who, self.caption, self.field, self.message):
            layout.addWidget(widget)
        layout.addLayout(row(self.unlock_button))
        self._show_who(False)
        self.unlock_button.setVisible(False)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self.field.returnPressed.connect(self.submitted.emit)
        self.who.activated.connect(self._name_chosen)
        self.unlock_button.clicked.connect(self.start_unlock)

    # -- whose PIN ----------------------------------------------------------------------------

    def set_member(self, staff_id: str | None) -> None:
        """From now on this is ``staff_id``'s PIN (the sign-in screen's chosen name)."""
        if staff_id != self._member_id:
            self.show_message("")  # what was said was about someone else
        self._member_id = staff_id
        self._stop_unlock()
        self._clear_pause_message()
        self._tick()

    def member_id(self) -> str | None:
        """Whose PIN the field is for now (None: any active member's)."""
        if self._unlocking is not None or self._named:
            return self.who.currentData()
        return self._member_id

    def _show_who(self, visible: bool) -> None:
        self.who_caption.setVisible(visible)
        self.who.setVisible(visible)

    def _fill_who(self, members: list[StaffMember], select: str | None = None) -> None:
        self.who.clear()
        for member in members:
            self.who.addItem(f"{member.display_name}  ·  {member.role}", member.id)
        self.who.setCurrentIndex(self.who.findData(select) if select else -1)

    def _ask_who(self, select: str | None = None) -> None:
        """The checker wants a name before the next PIN: "Who are you?"."""
        assert self.checker is not None
        self._named = True
        self.who_caption.setText("Who are you?")
        self._fill_who(self.checker.directory.members(), select)
        self._show_who(True)
        if select is None:
            self.who.setFocus()

    def _name_chosen(self) -> None:
        self._clear_pause_message()
        self._tick()
        if self.field.isEnabled():
            self.field.setFocus()

    # -- another member unlocks a paused one -----------------------------------------------

    def start_unlock(self) -> None:
        """The paused member's colleague chooses their own name and types their own PIN."""
        paused = self.member_id()
        if self.checker is None or paused is None:
            return
        self._unlocking = paused
        self.who_caption.setText("Who is unlocking it?")
        self._fill_who([m for m in self.checker.directory.members() if m.id != paused])
        self._show_who(True)
        self.show_message("Another member of staff chooses their name and types their own "
                          "PIN.")
        self._tick()
        self.who.setFocus()

    def _stop_unlock(self) -> None:
        """Back to the paused member's own PIN."""
        if self._unlocking is None:
            return
        paused, self._unlocking = self._unlocking, None
        if self._named:
            self._ask_who(select=paused)
        else:
            self.who_caption.setText("Who are you?")
            self._show_who(False)

    # -- checking ----------------------------------------------------------------------------

    def reset(self) -> None:
        """A fresh prompt: empty, and asking who you are if the checker wants a name."""
        self.field.clear()
        self.show_message("")
        self._unlocking = None
        if self.asks_who and self.checker is not None and self.checker.needs_name():
            self._ask_who()
        else:
            self._named = False
            self.who_caption.setText("Who are you?")
            self._show_who(False)
        self._tick()

    def check(self, purpose: str, *, staff_id: str | None = None,
              admins_only: bool = False) -> StaffMember | None:
        """Check what was typed; the staff member, or None with the reason shown (also None
        after unlocking a paused member: then that member types their own PIN)."""
        assert self.checker is not None, "no PIN checker yet"
        pin = self.field.text()
        self.field.clear()
        if self._unlocking is not None:
            self._finish_unlock(pin)
            return None
        if self._named and self.member_id() is None and staff_id is None:
            self.show_message(CHOOSE_NAME)
            self.who.setFocus()
            return None
        result = self.checker.check(pin, purpose, staff_id=staff_id or self.member_id(),
                                    admins_only=admins_only)
        self.asks_for_stronger = result.asks_for_stronger
        if result.member is not None:
            self.show_message("")
            return result.member
        self.show_message(result.message)
        if result.needs_name and self.asks_who and not self._named:
            self._ask_who()
        self._tick()
        if self.field.isEnabled() and not (self._named and self.member_id() is None):
            self.field.setFocus()
        return None

    def _finish_unlock(self, pin: str) -> None:
        assert self.checker is not None and self._unlocking is not None
        result = self.checker.unlock(self._unlocking, pin, self.who.currentData())
        if result.member is None:
            self.show_message(result.message)
            self._tick()
            return
        self._stop_unlock()
        self.show_message(f"Unlocked by {result.member.display_name}. Type your PIN.")
        self._tick()
        self.field.setFocus()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.field.setAccessibleDescription(text)

    def _clear_pause_message(self) -> None:
        if self.message.text().startswith((PAUSED, "PIN entry is open", CHOOSE_NAME, ASK_NAME)):
            self.show_message("")

    def locked(self) -> bool:
        return self._wait() > 0

    def _wait(self) -> int:
        member = self.member_id()
        return self.checker.seconds_left(member) if self.checker and member else 0

    def _tick(self) -> None:
        """While paused: the field is off and the message counts down; then it opens."""
        wait = self._wait()
        self.field.setEnabled(not wait)
        member = self.member_id()
        if wait and self.checker is not None and member is not None:
            if self._paused is None or self._paused[0] != member:
                self._paused = (member, self.checker.directory.get(member).full_name,
                                self.checker.can_be_unlocked(member))
            _id, name, can_be_unlocked = self._paused
            self.unlock_button.setVisible(can_be_unlocked and self._unlocking is None)
            self.show_message(PinChecker.pause_message(wait, name, can_be_unlocked))
            if not self._ticker.isActive():
                self._ticker.start()
            return
        self._paused = None
        self.unlock_button.setVisible(False)
        self._ticker.stop()
        if self.message.text().startswith(PAUSED):
            self.show_message("PIN entry is open again.")
            self.field.setFocus()
