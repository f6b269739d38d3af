"""Settings' "Re-consent" tab: a full consent at every visit, or one valid for N months
with a signed treatment-day confirmation in between (the rule: app.consult.reconsent)."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QRadioButton, QSpinBox, QVBoxLayout, QWidget

from app.clinic.settings import RECONSENT_MAX
from app.ui import style
from app.ui.widgets import label, row

DEFAULT_MONTHS = 6  # offered when a clinic first chooses "valid for N months"


class ReconsentSetting(QWidget):
    """The two choices; ``months()`` is what is saved (0: every visit)."""

    def __init__(self, months: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.every_visit = QRadioButton("A full consent at every visit")
        self.valid_for = QRadioButton("A full consent valid for")
        self.group = QButtonGroup(self)
        for button in (self.every_visit, self.valid_for):
            self.group.addButton(button)
        self.months_box = QSpinBox()
        self.months_box.setRange(1, RECONSENT_MAX)
        self.months_box.setSuffix(" months")
        self.months_box.setAccessibleName("Months a full consent is valid for")
        self.months_box.setMinimumHeight(style.FIELD_HEIGHT)
        self.months_box.setMaximumWidth(180)
        self.months_box.setValue(months or DEFAULT_MONTHS)
        (self.valid_for if months else self.every_visit).setChecked(True)
        self.months_box.setEnabled(bool(months))
        self.valid_for.toggled.connect(self.months_box.setEnabled)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 12, 8, 8)
        layout.setSpacing(10)
        layout.addWidget(label("How often a returning patient signs a full consent.", "muted"))
        layout.addWidget(self.every_visit)
        layout.addLayout(row(self.valid_for, self.months_box, stretch=True))
        layout.addWidget(label(
            "In between, the patient signs a shorter treatment-day confirmation: the "
            "screening questions again, today's plan and a reminder of the main risks. It "
            "names the full consent it relies on. A full consent is still needed when none "
            "is on file, when the product changes, or when the content pack is marked as "
            "needing one (full_consent_since in pack.toml).", "small"))
        layout.addStretch(1)

    def months(self) -> int:
        return self.months_box.value() if self.valid_for.isChecked() else 0
