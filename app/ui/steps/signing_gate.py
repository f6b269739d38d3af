"""What stands between the patient and their signature pad in patient mode, in plain words,
each thing with a way to go to it (``patient_rules.before_patient_signs`` decides)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QVBoxLayout, QWidget

from app.consult.consent import RequiredItem
from app.consult.patient_rules import QUESTION_FIRST, BeforeSigning
from app.ui.style import set_role
from app.ui.widgets import Banner, Card, label

TICK_YOURSELF = ("Tick “I understand” yourself for each item below, under “Risks and what "
                 "to expect”. Press an item to go to it.")


class SigningGate(Card):
    """"Before you can sign": the items still to tick, the questions waiting for an answer."""

    go_to_item = Signal(str, str)  # step id, item id
    hand_back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, spacing=6)
        self.set_state("flag")
        self.layout_.addWidget(label("Before you can sign", "h2"))
        self.questions = Banner(QUESTION_FIRST, "warning")
        self.hand_back_button = QPushButton("Return to staff")
        self.hand_back_button.setAccessibleName("Return to staff: hand the screen back so "
                                                "your injector can answer your question")
        set_role(self.hand_back_button, "primary")
        self.questions.add_action(self.hand_back_button)
        self.layout_.addWidget(self.questions)
        self.to_tick = label(TICK_YOURSELF)
        self.layout_.addWidget(self.to_tick)
        self.links = QWidget()
        self.layout_.addWidget(self.links)
        self._shown: tuple[list[str], list[str]] | None = None
        self.hand_back_button.clicked.connect(self.hand_back.emit)

    def show_left(self, left: BeforeSigning) -> None:
        """Show what is left (hidden when nothing is); rebuilt only when that changed."""
        self.setVisible(not left.ready)
        key = ([i.item_id for i in left.questions], [i.item_id for i in left.to_tick])
        if key == self._shown:
            return
        self._shown = key
        self.questions.setVisible(bool(left.questions))
        self.to_tick.setVisible(bool(left.to_tick))
        old, self.links = self.links, QWidget()
        self.layout_.replaceWidget(old, self.links)
        old.hide()
        old.deleteLater()
        layout = QVBoxLayout(self.links)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for item in left.questions:
            layout.addWidget(self._link(item, f"Your question: {item.title}"))
        for item in left.to_tick:
            layout.addWidget(self._link(item, f"•  {item.title}"))
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        """Each link on one line however large the text (the whole title is its tooltip):
        the page never scrolls sideways."""
        width = max(self.width() - 48, 80)
        for link in self.links.findChildren(QPushButton):
            full = link.toolTip()
            text = link.fontMetrics().elidedText(full, Qt.TextElideMode.ElideRight, width)
            link.setText(text.replace("&", "&&"))

    def _link(self, item: RequiredItem, text: str) -> QPushButton:
        link = QPushButton(text.replace("&", "&&"))
        link.setToolTip(text)
        # its width follows the page, never the other way round
        link.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        link.setMinimumWidth(80)  # a set minimum, so its full text's width never is one
        set_role(link, "link")
        link.setAccessibleName(f"Go to: {item.title}")
        link.clicked.connect(lambda: self.go_to_item.emit("risks", item.item_id))
        return link
