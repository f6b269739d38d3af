"""The consents of one patient, or the register: a table, or a plain sentence when empty.

An amendment or withdrawal is listed under the consent it changes when both are shown, so
a chain reads top-down; the Kind and Amends columns appear only when some row has them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QStackedLayout,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QWidget,
)

from app.records.view_model import ConsentRow, has_chain, short_id
from app.ui.widgets import label

# (header, the ConsentRow text it shows, whether it shares the spare width); the others
# fit their contents, so dates and ids are never cut
COLUMNS: list[tuple[str, str, bool]] = [
    ("Finalized", "finalized", False), ("Patient", "patient", True),
    ("Product", "product", False), ("Areas", "areas", True), ("Injector", "injector", False),
    ("Status", "status", False), ("Record", "short_id", False), ("Kind", "kind", False),
    ("Amends", "amends", False),
]
_PATIENT, _KIND, _AMENDS = 1, 7, 8


class ConsentList(QWidget):
    chosen = Signal(object)  # the ConsentRow now selected, or None
    activated = Signal(str)  # Enter or double-click on a consent: its id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ConsentRow] = []
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([c[0] for c in COLUMNS])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setAccessibleName("Consents")
        header = self.tree.header()
        header.setStretchLastSection(False)
        for index, (_header, _attr, stretch) in enumerate(COLUMNS):
            header.setSectionResizeMode(index, QHeaderView.ResizeMode.Stretch if stretch
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.empty = label("", "muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setAccessibleName("No consents")
        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.empty)
        self.tree.currentItemChanged.connect(lambda *_: self.chosen.emit(self.current()))
        self.tree.itemActivated.connect(self._activated)

    def show_rows(self, rows: list[ConsentRow], *, with_patient: bool, empty: str) -> None:
        """List ``rows`` (or say ``empty``), keeping the selected consent if still listed."""
        before = self.current()
        chain = has_chain(rows)
        self.tree.blockSignals(True)
        try:
            self.tree.clear()
            items = {r.id: self._item(r) for r in rows}
            for r in rows:
                parent = items.get(r.amends) if r.amends else None
                if parent is not None:
                    parent.addChild(items[r.id])
                else:
                    self.tree.addTopLevelItem(items[r.id])
            self.tree.expandAll()
            self.tree.setRootIsDecorated(chain)
            self.tree.setColumnHidden(_PATIENT, not with_patient)
            self.tree.setColumnHidden(_KIND, not chain)
            self.tree.setColumnHidden(_AMENDS, not chain)
            keep = items.get(before.id) if before else None
            # None (an empty list) clears the current item; PySide6's stubs leave it out
            self.tree.setCurrentItem(keep or self.tree.topLevelItem(0))  # type: ignore[arg-type]
        finally:
            self.tree.blockSignals(False)
        self.rows = rows
        self.empty.setText(empty)
        self.stack.setCurrentWidget(self.tree if rows else self.empty)
        if self.current() != before:
            self.chosen.emit(self.current())

    def current(self) -> ConsentRow | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def select(self, consent_id: str) -> None:
        iterator = QTreeWidgetItemIterator(self.tree)
        while (item := iterator.value()) is not None:
            if item.data(0, Qt.ItemDataRole.UserRole).id == consent_id:
                self.tree.setCurrentItem(item)
                return
            iterator += 1

    def _item(self, r: ConsentRow) -> QTreeWidgetItem:
        texts = [getattr(r, attr) or "" for _h, attr, _w in COLUMNS]
        texts[_AMENDS] = short_id(r.amends) if r.amends else ""
        item = QTreeWidgetItem(texts)
        item.setData(0, Qt.ItemDataRole.UserRole, r)
        item.setToolTip(0, r.finalized_full)
        for index in (1, 2, 3, 4):  # long names are cut in narrow columns: show them whole
            item.setToolTip(index, texts[index])
        item.setToolTip(6, r.id)
        return item

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.activated.emit(item.data(0, Qt.ItemDataRole.UserRole).id)
