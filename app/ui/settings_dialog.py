"""Settings, for administrators: the clinic as printed, idle times, the staff list, and the
content pack's review by the medical director (``pack_review_tab``)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.clinic.details import Clinic
from app.clinic.paper import A4, LETTER
from app.clinic.settings import IDLE_MAX, IDLE_MIN, ClinicSettings
from app.clinic.staff import StaffDirectory, StaffError, StaffMember, pin_problem
from app.runtime.service import Glabella
from app.ui import style
from app.ui.content_review_tab import PackReviewTab
from app.ui.pin_entry import PinField
from app.ui.reconsent_setting import ReconsentSetting
from app.ui.staff_form import StaffForm
from app.ui.widgets import Banner, Card, FormField, label, row

LOGO_MAX = QSize(600, 240)  # px: sharp in the PDF header (40 x 20 mm), small in the database
STAFF_ID = Qt.ItemDataRole.UserRole


class LogoError(ValueError):
    """The chosen file is not an image Glabella can read."""


def logo_png(path: str) -> bytes:
    """The image at ``path`` as PNG bytes, scaled down to fit ``LOGO_MAX``."""
    image = QImage(path)
    if image.isNull():
        raise LogoError("That file is not an image Glabella can read (use PNG or JPEG).")
    if image.width() > LOGO_MAX.width() or image.height() > LOGO_MAX.height():
        image = image.scaled(LOGO_MAX, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 takes the format as a str here (bytes fails at run time); its stubs say bytes
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    buffer.close()
    return bytes(data.data())


def _minutes_box(name: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(IDLE_MIN, IDLE_MAX)
    box.setSuffix(" min")
    box.setAccessibleName(name)
    box.setMinimumHeight(style.FIELD_HEIGHT)
    box.setMinimumWidth(140)
    box.setMaximumWidth(220)
    return box


class SettingsDialog(QDialog):
    """Opened behind an administrator's PIN; ``admin`` is who changes things (audit log)."""

    saved = Signal()

    def __init__(self, service: Glabella, directory: StaffDirectory, admin: StaffMember,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings — Glabella")
        self.setModal(True)
        self.service, self.directory, self.admin = service, directory, admin
        values = service.settings.load()
        self.logo: bytes | None = values.clinic.logo_png
        style.apply(self)
        style.fit_to_screen(self, 860, 660)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings sections")
        self.tabs.addTab(self._clinic_tab(values), "Clinic")
        self.tabs.addTab(self._locking_tab(values), "Locking")
        self.reconsent = ReconsentSetting(values.reconsent_months)
        self.tabs.addTab(self.reconsent, "Re-consent")
        self.tabs.addTab(self._staff_tab(), "Staff")
        self.content_tab = PackReviewTab(service, admin)  # recorded at once, without Save
        self.tabs.addTab(self.content_tab, "Content")
        self.message = Banner(kind="danger")
        self.message.setVisible(False)
        self.save_button = QPushButton("Save")
        self.save_button.setAccessibleName("Save the clinic and locking settings")
        style.set_role(self.save_button, "primary")
        self.close_button = QPushButton("Close")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(label(f"Signed in to Settings as {admin.display_name}", "muted"))
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        buttons = row(self.save_button, self.close_button, stretch=False)
        buttons.insertStretch(0, 1)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self.reload_staff()

    # -- clinic and locking -----------------------------------------------------------------

    def _clinic_tab(self, values: ClinicSettings) -> QWidget:
        tab = QWidget()
        self.clinic_name = QLineEdit(values.clinic.name)
        self.address = QLineEdit(values.clinic.address)
        self.phone = QLineEdit(values.clinic.phone)
        for edit in (self.clinic_name, self.address, self.phone):
            edit.setMaxLength(200)
        self.logo_preview = QLabel()
        self.logo_preview.setObjectName("logoPreview")
        self.logo_preview.setMinimumSize(240, 96)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setAccessibleName("Logo preview")
        self.choose_logo_button = QPushButton("Choose logo…")
        self.remove_logo_button = QPushButton("Remove logo")
        self.logo_problem = label("", "error")
        self.logo_problem.setVisible(False)
        self.paper = QComboBox()
        self.paper.setMinimumHeight(style.FIELD_HEIGHT)
        for paper, text in ((A4, "A4 (210 × 297 mm)"), (LETTER, "Letter (8.5 × 11 in)")):
            self.paper.addItem(text, paper)
        self.paper.setCurrentIndex(max(self.paper.findData(values.clinic.paper), 0))
        grid = QGridLayout(tab)
        grid.setContentsMargins(8, 12, 8, 8)
        grid.setHorizontalSpacing(20)
        grid.setVerticalSpacing(10)
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(label("Printed at the top of every consent.", "muted"), 0, 0, 1, 2)
        grid.addWidget(FormField("Clinic name *", self.clinic_name), 1, 0, 1, 2, top)
        grid.addWidget(FormField("Address", self.address), 2, 0, top)
        grid.addWidget(FormField("Phone", self.phone), 2, 1, top)
        grid.addWidget(FormField("Paper", self.paper, "Consents are printed on it. A stored "
                                 "consent keeps the paper it was printed on."), 3, 0, top)
        logo = Card()
        logo.layout_.addWidget(label("Logo", "h3"))
        logo.layout_.addWidget(self.logo_preview)
        logo.layout_.addLayout(row(self.choose_logo_button, self.remove_logo_button))
        logo.layout_.addWidget(label("PNG or JPEG; large images are scaled down to "
                                     f"{LOGO_MAX.width()} × {LOGO_MAX.height()} px.", "small"))
        logo.layout_.addWidget(self.logo_problem)
        grid.addWidget(logo, 4, 0, 1, 2)
        grid.setRowStretch(5, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.choose_logo_button.clicked.connect(self.choose_logo)
        self.remove_logo_button.clicked.connect(lambda: self.set_logo(None))
        self.set_logo(self.logo)
        return tab

    def _locking_tab(self, values: ClinicSettings) -> QWidget:
        tab = QWidget()
        self.app_idle = _minutes_box("Lock the app after (minutes without use)")
        self.app_idle.setValue(values.app_idle_minutes)
        self.patient_idle = _minutes_box("Lock patient mode after (minutes without use)")
        self.patient_idle.setValue(values.patient_idle_minutes)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(8, 12, 8, 8)
        layout.setSpacing(12)
        layout.addWidget(FormField("Lock the app after", self.app_idle,
                                   "Back to the sign-in screen; the consult in progress is "
                                   "kept."))
        layout.addWidget(FormField("Lock patient mode after", self.patient_idle,
                                   "The screen turned to the patient locks; a staff PIN "
                                   "unlocks it. The consult is kept and saved as a draft."))
        layout.addStretch(1)
        return tab

    def choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose the clinic's logo", "",
                                              "Images (*.png *.jpg *.jpeg *.bmp)")
        if not path:
            return
        try:
            self.set_logo(logo_png(path))
        except LogoError as exc:
            self.logo_problem.setText(str(exc))
            self.logo_problem.setVisible(True)

    def set_logo(self, png: bytes | None) -> None:
        self.logo = png
        self.logo_problem.setVisible(False)
        self.remove_logo_button.setEnabled(png is not None)
        if png is None:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("No logo")
            return
        pixmap = QPixmap()
        pixmap.loadFromData(png)
        self.logo_preview.setPixmap(pixmap.scaled(
            QSize(240, 96), Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))

    def values(self) -> ClinicSettings:
        clinic = Clinic(self.clinic_name.text(), self.address.text(), self.phone.text(),
                        self.logo, self.paper.currentData())
        return ClinicSettings(clinic, self.app_idle.value(), self.patient_idle.value(),
                              reconsent_months=self.reconsent.months())

    def save(self) -> bool:
        try:
            self.service.settings.save(self.values())
        except ValueError as exc:
            self.message.set_text(str(exc))
            self.message.setVisible(True)
            return False
        self.saved.emit()
        self.accept()
        return True

    # -- staff --------------------------------------------------------------------------------

    def _staff_tab(self) -> QWidget:
        tab = QWidget()
        self.staff_list = QListWidget()
        self.staff_list.setObjectName("staffList")
        self.staff_list.setAccessibleName("Staff")
        self.staff_list.setWordWrap(True)
        self.staff_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.staff_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.staff_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.toggle_active_button = QPushButton("Deactivate")
        self.new_pin = PinField("New PIN for the chosen staff member")
        self.new_pin_again = PinField("New PIN again")
        self.reset_pin_button = QPushButton("Set new PIN")
        self.staff_message = label("", "ok")
        self.staff_message.setVisible(False)
        self.form = StaffForm()
        self.add_button = QPushButton("Add staff member")
        style.set_role(self.add_button, "primary")

        chosen = Card()
        self.chosen_heading = label("", "h3")
        chosen.layout_.addWidget(self.chosen_heading)
        pins = QGridLayout()
        pins.setHorizontalSpacing(16)
        pins.addWidget(FormField("New PIN", self.new_pin), 0, 0, Qt.AlignmentFlag.AlignTop)
        pins.addWidget(FormField("New PIN again", self.new_pin_again), 0, 1,
                       Qt.AlignmentFlag.AlignTop)
        chosen.layout_.addLayout(pins)
        chosen.layout_.addLayout(row(self.reset_pin_button, self.toggle_active_button))
        chosen.layout_.addWidget(self.staff_message)
        adding = Card()
        adding.layout_.addWidget(label("Add a staff member", "h3"))
        adding.layout_.addWidget(label("Staff changes take effect at once.", "small"))
        adding.layout_.addWidget(self.form)
        adding.layout_.addLayout(row(self.add_button))

        columns = QGridLayout(tab)
        columns.setContentsMargins(8, 12, 8, 8)
        columns.setHorizontalSpacing(16)
        columns.addWidget(self.staff_list, 0, 0, 2, 1)
        columns.addWidget(chosen, 0, 1)
        columns.addWidget(adding, 1, 1)
        columns.setColumnStretch(0, 2)
        columns.setColumnStretch(1, 3)
        self.staff_list.currentRowChanged.connect(lambda _row: self._chosen_changed())
        self.toggle_active_button.clicked.connect(self.toggle_active)
        self.reset_pin_button.clicked.connect(self.reset_pin)
        self.add_button.clicked.connect(self.add_staff)
        return tab

    def reload_staff(self, select_id: str | None = None) -> None:
        members = self.directory.members(include_inactive=True)
        self.staff_list.clear()
        for index, member in enumerate(members):
            facts = [member.role, "administrator" if member.is_admin else "",
                     "active" if member.active else "deactivated"]
            item = QListWidgetItem(f"{member.display_name}\n"
                                   + " · ".join(f for f in facts if f))
            item.setData(STAFF_ID, member.id)
            if not member.active:
                item.setForeground(QColor(style.MUTED))
            self.staff_list.addItem(item)
            if member.id == select_id or (select_id is None and index == 0):
                self.staff_list.setCurrentRow(index)
        self._chosen_changed()

    def chosen(self) -> StaffMember | None:
        item = self.staff_list.currentItem()
        return self.directory.get(item.data(STAFF_ID)) if item else None

    def _chosen_changed(self) -> None:
        member = self.chosen()
        for widget in (self.toggle_active_button, self.reset_pin_button, self.new_pin,
                       self.new_pin_again):
            widget.setEnabled(member is not None)
        self.chosen_heading.setText(member.display_name if member else "Choose someone")
        if member is not None:
            self.toggle_active_button.setText("Deactivate" if member.active else "Reactivate")
            self.toggle_active_button.setAccessibleName(
                f"{'Deactivate' if member.active else 'Reactivate'} {member.display_name}")
            self.reset_pin_button.setAccessibleName(f"Set a new PIN for {member.display_name}")

    def _say(self, text: str, ok: bool = True) -> None:
        self.staff_message.setText(text)
        style.set_role(self.staff_message, "ok" if ok else "error")
        self.staff_message.setVisible(bool(text))

    def toggle_active(self) -> None:
        member = self.chosen()
        if member is None:
            return
        try:
            self.directory.set_active(member.id, not member.active, by=self.admin)
        except StaffError as exc:
            self._say(str(exc), ok=False)
            return
        self._say(f"{member.display_name} is {'deactivated' if member.active else 'active'}.")
        self.reload_staff(member.id)

    def reset_pin(self) -> None:
        member = self.chosen()
        pin = self.new_pin.text()
        if member is None:
            return
        problem = pin_problem(pin) or ("The two PINs are not the same."
                                       if self.new_pin_again.text() != pin else "")
        if problem:
            self._say(problem, ok=False)
            return
        self.directory.reset_pin(member.id, pin, by=self.admin)
        self.new_pin.clear()
        self.new_pin_again.clear()
        self._say(f"New PIN set for {member.display_name}.")

    def add_staff(self) -> StaffMember | None:
        member = self.form.add_member(self.directory, by=self.admin)
        if member is not None:
            self._say(f"{member.display_name} was added.")
            self.reload_staff(member.id)
        return member
