"""Risks & expectations: every required item read and acknowledged one at a time."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from app.consent import RequiredItem
from app.content import Risk
from app.service import Glabella
from app.ui.steps.base import StepPage
from app.ui.widgets import Card, label, quietly


class ItemCard(Card):
    """One risk, expectation or disclosure with its own "I understand" tick box."""

    toggled = Signal(bool)

    def __init__(self, item: RequiredItem, action: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, spacing=6)
        self.item = item
        self.layout_.addWidget(label(item.title, "h3"))
        self.layout_.addWidget(label(item.text, selectable=True))
        if action:
            self.layout_.addWidget(label(f"If this happens: {action}", "guidance"))
        self.check = QCheckBox("I understand")
        self.check.setAccessibleName(f"I understand: {item.title}")
        self.layout_.addWidget(self.check)
        self.check.toggled.connect(self._toggled)

    def _toggled(self, on: bool) -> None:
        self.set_state("done" if on else "")
        self.toggled.emit(on)

    def show_acknowledged(self, on: bool) -> None:
        with quietly(self.check):
            self.check.setChecked(on)
        self.set_state("done" if on else "")


class ChecklistStep(StepPage):
    step_id = "risks"
    title = "Risks & expectations"
    intro = ("Read each item with the patient. The patient ticks “I understand” for each one "
             "separately.")

    def __init__(self, service: Glabella, parent: QWidget | None = None) -> None:
        super().__init__(service, parent)
        self.progress = label("", "muted")
        self.body_layout.addWidget(self.progress)
        self.content = QWidget()
        self.content.setObjectName("body")
        self.body_layout.addWidget(self.content)
        self.body_layout.addStretch(1)
        self.cards: dict[str, ItemCard] = {}
        self._shown: list[str] | None = None

    def load(self) -> None:
        self._shown = None
        self.sync()

    def sync(self) -> None:
        if self.consent is None:
            return
        items = self.consent.required_items(self.pack)
        ids = [i.item_id for i in items]
        if ids != self._shown:
            self._build(items)
            self._shown = ids
        done = 0
        for item_id, card in self.cards.items():
            on = item_id in self.consent.acknowledgements
            card.show_acknowledged(on)
            done += on
        self.progress.setText(f"Acknowledged {done} of {len(self.cards)}.")

    def _build(self, items: list[RequiredItem]) -> None:
        """Lay the items out: risks by group, then expectations, then the disclosure."""
        old = self.content
        self.content = QWidget()
        self.content.setObjectName("body")
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.body_layout.replaceWidget(old, self.content)
        old.hide()
        old.deleteLater()
        self.cards = {}
        by_id = {i.item_id: i for i in items}
        risks: dict[str, Risk] = {r.id: r for r in self.pack.risks}

        def add(item: RequiredItem) -> None:
            risk = risks.get(item.item_id)
            card = ItemCard(item, risk.action if risk else "")
            card.toggled.connect(lambda on, item=item: self._toggled(item, on))
            self.cards[item.item_id] = card
            layout.addWidget(card)

        for group in self.pack.risk_groups:
            members = [by_id[r.id] for r in self.pack.risks_in(group.id) if r.id in by_id]
            if not members:
                continue
            layout.addWidget(label(f"Risks: {group.title}", "h2"))
            if group.intro:
                layout.addWidget(label(group.intro, "muted"))
            for item in members:
                add(item)
        sections = (("expectation", "What to expect"), ("disclosure", "Off-label use"))
        for kind, heading in sections:
            members = [i for i in items if i.kind == kind]
            if members:
                layout.addWidget(label(heading, "h2"))
                for item in members:
                    add(item)
        placed = set(self.cards)
        for item in items:  # anything the pack adds later still shows
            if item.item_id not in placed:
                add(item)

    def _toggled(self, item: RequiredItem, on: bool) -> None:
        if on:
            self.apply(lambda c: c.acknowledge(item, self.service.clock))
        else:
            self.apply(lambda c: c.withdraw_acknowledgement(item.item_id))

    def focus_item(self, item_id: str) -> None:
        card = self.cards.get(item_id)
        if card is not None:
            self.reveal(card)
            card.check.setFocus()
