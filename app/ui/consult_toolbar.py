"""The consult window's toolbar: the staff-only actions, who is signed in, the clinic."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar, QWidget

from app.ui.widgets import label

CLINIC_MAX_PX = 260


class ConsultToolbar(QToolBar):
    """Every action only staff may take, in ``injector_actions``; the window connects them
    and switches them off whenever the injector's view is not the one shown."""

    def __init__(self, window: QWidget) -> None:
        super().__init__("Consult")
        self.setMovable(False)
        self.setAccessibleName("Consult actions")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._window = window  # the actions' owner: their shortcuts work in all of it

        self.new_action = self._action("New consult", QKeySequence.StandardKey.New,
                                       "Start a new consult")
        self.large_text_action = self._action(
            "Larger text", "Ctrl+=", "Larger text for reading together with the patient")
        self.large_text_action.setCheckable(True)
        self.addSeparator()
        self.hand_action = self._action("Hand to patient", "Ctrl+H",
                                        "Turn the screen to the patient: full screen, large "
                                        "type, this consult only; a staff PIN returns")
        self.lock_action = self._action(
            "Lock", "Ctrl+L", "Lock now: back to the sign-in screen, the consult is kept")
        self.records_action = self._action(
            "Records…", "Ctrl+R", "Find a patient's consents; open, print, save or verify them")
        self.settings_action = self._action(
            "Settings…", "Ctrl+,", "Clinic details, logo, idle times and staff (administrators)")
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().Policy.Expanding,
                             spacer.sizePolicy().Policy.Preferred)
        self.addWidget(spacer)
        self.staff_label = label("", "muted", wrap=False)
        self.staff_label.setAccessibleName("Signed in")
        self.addWidget(self.staff_label)
        self.addSeparator()
        self.clinic_label = label("", "muted", wrap=False)
        self.clinic_label.setContentsMargins(0, 0, 12, 0)
        self.addWidget(self.clinic_label)
        self.injector_actions: list[QAction] = [
            self.new_action, self.large_text_action, self.hand_action, self.lock_action,
            self.records_action, self.settings_action]

    def show_clinic(self, name: str) -> None:
        """The clinic's name, cut short (the whole of it in the tooltip and the window's
        title) so a long one never pushes actions behind the toolbar's » button."""
        metrics = self.clinic_label.fontMetrics()
        self.clinic_label.setText(metrics.elidedText(name, Qt.TextElideMode.ElideRight,
                                                     CLINIC_MAX_PX))
        self.clinic_label.setToolTip(name)
        self.clinic_label.setAccessibleName(f"Clinic: {name}")

    def _action(self, text: str, keys: str | QKeySequence.StandardKey, tip: str) -> QAction:
        made = QAction(text, self._window)
        made.setShortcut(QKeySequence(keys))
        made.setToolTip(f"{tip} ({made.shortcut().toString()})")
        self.addAction(made)
        return made
