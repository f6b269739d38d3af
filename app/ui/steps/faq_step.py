"""FAQ: questions by category, a large answer pane, search as you type, and "discussed"."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.consult.content import FaqItem
from app.runtime.service import Glabella
from app.ui import style
from app.ui.steps.base import StepPage
from app.ui.widgets import label, quietly
from app.ui.wrapping_tree import WrappingTree

FAQ_ID = Qt.ItemDataRole.UserRole
SOURCES = {"seed": "physicians' answers to patients", "label": "the product's prescribing "
           "information", "practice": "common clinical practice"}


def answer_html(faq: FaqItem) -> str:
    """The answer as escaped paragraphs (pack text is never trusted as markup)."""
    paragraphs = [p.strip() for p in faq.answer.split("\n\n") if p.strip()]
    return "".join(f"<p style='line-height: 135%; margin-bottom: 10px'>"
                   f"{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


class FaqStep(StepPage):
    step_id = "faq"
    title = "Questions patients ask"
    nav_title = "FAQ"
    intro = "Open a question to read the answer together. Each topic opened is recorded."
    patient_title = "Questions patients ask"
    patient_intro = ("Choose a question to read its answer, or type a word to search. "
                     "Anything else you want to ask, ask your injector.")
    scrolls = False

    def __init__(self, service: Glabella, parent: QWidget | None = None, *,
                 for_patient: bool = False) -> None:
        super().__init__(service, parent, for_patient=for_patient)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search the questions and answers…")
        self.search.setAccessibleName("Search the FAQ")
        self.search.setClearButtonEnabled(True)
        self.tree = WrappingTree()
        self.tree.setAccessibleName("FAQ topics")
        self.items: dict[str, QTreeWidgetItem] = {}
        for category in self.pack.faq_categories:
            parent_item = QTreeWidgetItem(self.tree, [category.title])
            font = parent_item.font(0)
            font.setBold(True)
            parent_item.setFont(0, font)
            parent_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for faq in self.pack.faqs_in(category.id):
                child = QTreeWidgetItem(parent_item, [faq.question])
                child.setData(0, FAQ_ID, faq.id)
                child.setToolTip(0, faq.question)
                self.items[faq.id] = child
        self.tree.expandAll()
        self.counter = label("", "small")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.tree, 1)
        left_layout.addWidget(self.counter)

        self.question = label("Choose a question on the left.", "h2", selectable=True)
        self.answer = QTextBrowser()
        self.answer.setObjectName("answer")
        self.answer.setOpenLinks(False)
        self.answer.setAccessibleName("Answer")
        self.source = label("", "small")
        self.discussed = QCheckBox("Discussed in person")
        self.discussed.setToolTip("Tick when the injector went through this topic with the "
                                  "patient in person.")
        self.discussed.setEnabled(False)
        self.discussed.setVisible(not for_patient)  # the injector's record, not the patient's
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addWidget(self.question)
        right_layout.addWidget(self.answer, 1)
        right_layout.addWidget(self.source)
        right_layout.addWidget(self.discussed)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([520, 540])
        self.body_layout.addWidget(splitter, 1)

        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self.open_first_match)
        self.search.installEventFilter(self)
        self.tree.currentItemChanged.connect(lambda item, _old: self._open(item))
        self.discussed.toggled.connect(self._discussed)

    def set_read_only(self, read_only: bool) -> None:
        """Reading stays possible after finalizing; recording does not."""
        self.read_only = read_only
        self.discussed.setEnabled(not read_only and self.current_faq() is not None)

    def load(self) -> None:
        self.search.clear()
        # Qt takes None here (no current item); the stubs list only an item
        self.tree.setCurrentItem(None)  # type: ignore[call-overload]
        self._show(None)
        self.sync()

    def sync(self) -> None:
        if self.consent is None:
            return
        views = self.consent.faq_views
        for faq_id, item in self.items.items():
            faq = self.pack.faq(faq_id)
            assert faq is not None
            view = views.get(faq_id)
            mark = ("✓✓ " if view.discussed_in_person else "✓ ") if view else ""
            item.setText(0, mark + faq.question)
            item.setForeground(0, QColor(style.MUTED if view else style.INK))
        discussed = sum(1 for v in views.values() if v.discussed_in_person)
        self.counter.setText(f"Opened {len(views)} of {len(self.items)} topics"
                             + (f"; {discussed} discussed in person." if discussed else "."))

    def first_focus(self) -> QWidget | None:
        return self.search

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Down from the search box goes to the first question it found."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down:
            self.open_first_match()
            return True
        return super().eventFilter(watched, event)

    def open_first_match(self) -> None:
        """Open the first question still shown (Enter or Down in the search box)."""
        match = next((item for item in self.items.values()
                      if not item.isHidden() and not _category_hidden(item)), None)
        if match is not None:
            self.tree.setCurrentItem(match)
            self.tree.setFocus()

    def current_faq(self) -> FaqItem | None:
        item = self.tree.currentItem()
        faq_id = item.data(0, FAQ_ID) if item else None
        return self.pack.faq(faq_id) if faq_id else None

    def open_faq(self, faq_id: str) -> None:
        """Select and open one question (as a click would)."""
        self.tree.setCurrentItem(self.items[faq_id])

    def _open(self, item: QTreeWidgetItem | None) -> None:
        faq = self.current_faq() if item is not None else None
        self._show(faq)
        if faq is not None and self.consent is not None and faq.id not in self.consent.faq_views:
            self.apply(lambda c: c.view_faq(faq.id, self.service.clock))

    def _show(self, faq: FaqItem | None) -> None:
        view = self.consent.faq_views.get(faq.id) if faq and self.consent else None
        self.question.setText(faq.question if faq else "Choose a question on the left.")
        self.answer.setHtml(answer_html(faq) if faq else "")
        self.source.setText(f"Source: {SOURCES.get(faq.source, faq.source)}." if faq else "")
        with quietly(self.discussed):
            self.discussed.setChecked(bool(view and view.discussed_in_person))
        self.discussed.setEnabled(faq is not None and not self.read_only)

    def _discussed(self, on: bool) -> None:
        faq = self.current_faq()
        if faq is not None:
            self.apply(lambda c: c.mark_discussed(faq.id, on, self.service.clock))

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        for index in range(self.tree.topLevelItemCount()):
            category = self.tree.topLevelItem(index)
            if category is None:  # only past the last index
                continue
            shown = 0
            for child_index in range(category.childCount()):
                child = category.child(child_index)
                if child is None:
                    continue
                faq = self.pack.faq(child.data(0, FAQ_ID))
                haystack = f"{faq.question} {faq.answer}".casefold() if faq else ""
                hit = all(w in haystack for w in words)
                child.setHidden(not hit)
                shown += hit
            category.setHidden(shown == 0)
            category.setExpanded(True)


def _category_hidden(item: QTreeWidgetItem) -> bool:
    """Whether the category an FAQ sits under is filtered out (every FAQ has one)."""
    category = item.parent()
    return category is not None and category.isHidden()
