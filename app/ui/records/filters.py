"""Filters over the consent list: a date range (typed, or one click: "Today", "Last 7 days",
"Last month"), a product and an injector, each optional."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.records.date_presets import PRESETS, preset_range
from app.records.search import ConsentFilter
from app.records.shelf import Records
from app.ui.style import FIELD_HEIGHT
from app.ui.widgets import FormField, OptionalDateEdit, quietly

ANY_PRODUCT, ANY_INJECTOR, ANY_DATE = "All products", "All injectors", "Any date"


class ConsentFilters(QWidget):
    changed = Signal()

    def __init__(self, records: Records, parent: QWidget | None = None, *,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.records = records
        self.today = today
        now = today()
        start = QDate(now.year, now.month, now.day)
        self.date_from = OptionalDateEdit(ANY_DATE, typing_start=start)
        self.date_to = OptionalDateEdit(ANY_DATE, typing_start=start)
        self.product = QComboBox()
        self.injector = QComboBox()
        for box in (self.date_from, self.date_to):
            box.setMinimumWidth(150)
        for combo in (self.product, self.injector):
            combo.setMinimumHeight(FIELD_HEIGHT)
            combo.setMinimumWidth(170)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setAccessibleName("Clear all filters")
        self.fields = [FormField("Finalized from", self.date_from),
                       FormField("to", self.date_to),
                       FormField("Product", self.product),
                       FormField("Injector", self.injector)]
        self.presets = {name: QPushButton(name) for name in PRESETS}
        presets = QHBoxLayout()
        presets.setSpacing(8)
        for name, button in self.presets.items():
            button.setAccessibleName(f"Finalized: {name.lower()}")
            button.clicked.connect(lambda _c=False, n=name: self.choose_preset(n))
            presets.addWidget(button)
        presets.addStretch(1)
        fields = QHBoxLayout()
        fields.setSpacing(12)
        for field in self.fields:
            fields.addWidget(field)
        # level with the inputs, not with their captions
        fields.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignBottom)
        fields.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(fields)
        layout.addLayout(presets)
        self.reload_choices()

        for box in (self.date_from, self.date_to):
            box.dateChanged.connect(lambda *_: self.changed.emit())
        for combo in (self.product, self.injector):
            combo.currentIndexChanged.connect(lambda *_: self.changed.emit())
        self.clear_button.clicked.connect(self.clear)

    def reload_choices(self) -> None:
        """The products and injectors on record now, keeping what was chosen."""
        with quietly(self.product, self.injector):
            _refill(self.product, ANY_PRODUCT, self.records.products())
            _refill(self.injector, ANY_INJECTOR, [(n, n) for n in self.records.injectors()])

    def is_set(self) -> bool:
        return bool(self.date_from.is_set() or self.date_to.is_set()
                    or self.product.currentData() or self.injector.currentData())

    def choose_preset(self, preset: str) -> None:
        """Both dates at once, in one change (one reload of the list)."""
        start, end = preset_range(preset, self.today())
        with quietly(self.date_from, self.date_to):
            self.date_from.set_value(start)
            self.date_to.set_value(end)
        self.changed.emit()

    def clear(self) -> None:
        with quietly(self.date_from, self.date_to, self.product, self.injector):
            self.date_from.set_value(None)
            self.date_to.set_value(None)
            self.product.setCurrentIndex(0)
            self.injector.setCurrentIndex(0)
        self.changed.emit()

    def consent_filter(self, patient_id: str | None = None) -> ConsentFilter:
        return ConsentFilter(patient_id=patient_id, date_from=self.date_from.value(),
                             date_to=self.date_to.value(),
                             product=self.product.currentData() or None,
                             injector=self.injector.currentData() or None)


def _refill(combo: QComboBox, any_text: str, choices: list[tuple[str, str]]) -> None:
    chosen = combo.currentData()
    combo.clear()
    combo.addItem(any_text, "")
    for value, text in choices:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
