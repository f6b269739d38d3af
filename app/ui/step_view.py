"""Steps on the left, the current step's page on the right, Back and Next below it.

Both the injector's consult view and patient mode are one of these: they differ only in
their pages and in what sits above the page and beside the buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.ui.step_list import StepList
from app.ui.steps.base import StepPage

Page = TypeVar("Page", bound=StepPage)

NEXT_KEYS = ("Alt+Right", "Ctrl+PgDown")
BACK_KEYS = ("Alt+Left", "Ctrl+PgUp")


def navigation_actions(owner: QWidget, back: QPushButton, next_: QPushButton
                       ) -> tuple[QAction, QAction]:
    """Back/Next shortcuts that work anywhere inside ``owner`` (and only there)."""
    actions = []
    for keys, button in ((BACK_KEYS, back), (NEXT_KEYS, next_)):
        action = QAction(button.text(), owner)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _c=False, b=button: b.isEnabled() and b.click())
        owner.addAction(action)
        button.setToolTip(f"{button.toolTip() or button.text()} ({keys[0]} or {keys[1]})")
        actions.append(action)
    return actions[0], actions[1]


class StepView(QWidget):
    """A step list and its pages; any step can be chosen at any time."""

    def __init__(self, names: list[tuple[str, str]], pages: Sequence[StepPage], *,
                 above: Sequence[QWidget] = (), beside: QWidget | None = None,
                 extra_buttons: Sequence[QPushButton] = (), under_buttons: QWidget | None = None,
                 margin: int = 24, shortcuts_on: QWidget | None = None,
                 parent: QWidget | None = None) -> None:
        """``names``: (step id, name in the list) per page. ``above`` the page (notices),
        ``beside`` the buttons (stretching), ``extra_buttons`` after Next and a line
        ``under_buttons``; the Back/Next shortcuts work inside ``shortcuts_on`` (this view
        by default)."""
        super().__init__(parent)
        self.steps = StepList(names)
        self.pages: list[StepPage] = list(pages)
        self.stack = QStackedWidget()
        for page in self.pages:
            self.stack.addWidget(page)
        self.back_button = QPushButton("← Back")
        self.next_button = QPushButton("Next →")
        self._build(above, beside, extra_buttons, under_buttons, margin)
        self.back_action, self.next_action = navigation_actions(
            shortcuts_on or self, self.back_button, self.next_button)
        self.steps.currentRowChanged.connect(self._step_chosen)
        self.back_button.clicked.connect(
            lambda: self.go_to_index(self.current_index() - 1, focus=True))
        self.next_button.clicked.connect(
            lambda: self.go_to_index(self.current_index() + 1, focus=True))

    def _build(self, above: Sequence[QWidget], beside: QWidget | None,
               extra_buttons: Sequence[QPushButton], under_buttons: QWidget | None,
               margin: int) -> None:
        buttons = QHBoxLayout()
        buttons.setSpacing(10)
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, *extra_buttons):
            buttons.addWidget(button)
        controls = QVBoxLayout()
        controls.setSpacing(6)
        controls.addLayout(buttons)
        if under_buttons is not None:
            controls.addWidget(under_buttons)
        controls.addStretch(1)

        bottom = QFrame()
        bottom.setObjectName("bottomBar")
        # never squeezed (its buttons' style minimum is below their text at larger sizes):
        # the page above scrolls instead
        bottom.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        bottom_layout = QHBoxLayout(bottom)
        bottom_layout.setContentsMargins(margin, 10, margin, 10)
        bottom_layout.setSpacing(24)
        if beside is not None:
            bottom_layout.addWidget(beside, 1)
        else:
            bottom_layout.addStretch(1)
        bottom_layout.addLayout(controls)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        for widget in above:
            right_layout.addWidget(widget)
        right_layout.addWidget(self.stack, 1)
        right_layout.addWidget(bottom)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.steps)
        layout.addWidget(right, 1)

    # -- navigation -----------------------------------------------------------------------------

    def current_index(self) -> int:
        return self.stack.currentIndex()

    def current_page(self) -> StepPage:
        return self.pages[self.current_index()]

    def page_of(self, kind: type[Page]) -> Page:
        """The page of class ``kind``."""
        return next(p for p in self.pages if isinstance(p, kind))

    def page(self, step_id: str) -> StepPage:
        return next(p for p in self.pages if p.step_id == step_id)

    def go_to_index(self, index: int, *, focus: bool = False) -> None:
        """Show step ``index``; with ``focus`` (Next/Back) the keyboard moves into it too."""
        if 0 <= index < len(self.pages):
            self.steps.setCurrentRow(index)
            target = self.pages[index].first_focus() if focus else None
            if target is not None and target.isEnabled():
                target.setFocus()
                self.pages[index].reveal(target)  # where the keyboard is, in sight

    def go_to(self, step_id: str, *, focus: bool = False) -> None:
        self.go_to_index(self.pages.index(self.page(step_id)), focus=focus)

    def go_to_item(self, step_id: str, item_id: str) -> None:
        self.go_to(step_id)
        self.page(step_id).focus_item(item_id)

    def set_marks(self, marks: dict[str, str]) -> None:
        for step_id, state in marks.items():
            self.steps.set_mark(step_id, state)

    def _step_chosen(self, index: int) -> None:
        if index < 0:
            return
        previous = self.stack.currentIndex()
        if previous != index:
            self.pages[previous].leave()
        self.stack.setCurrentIndex(index)
        self.pages[index].enter()
        last = len(self.pages) - 1
        self.back_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < last)
        if index < last:
            name = self.steps.name(self.pages[index + 1].step_id).replace("&", "&&")
            self.next_button.setText(f"Next: {name} →")
        else:
            self.next_button.setText("Next →")
