"""Screening: every question answered yes or no (Y and N on the keyboard move on to the
next); hard stops and flags are made obvious; a returning patient's last answers are shown
beside the questions, never filled in."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QButtonGroup, QLineEdit, QRadioButton, QWidget

from app.consult.consent import Answer
from app.consult.content import ScreeningQuestion
from app.consult.patient import MAX_NOTE, clean_text
from app.consult.returning import LastVisit
from app.runtime.service import Glabella
from app.ui.steps.base import StepPage
from app.ui.widgets import Banner, Card, FormField, label, quietly, row, text_area


class QuestionCard(Card):
    """One screening question: Yes/No (no default), injector guidance, note, override."""

    answered = Signal(str)  # "yes" | "no"
    note_edited = Signal(str)
    override_edited = Signal(str)

    def __init__(self, number: int, question: ScreeningQuestion,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        stop = question.is_hard_stop
        kind = label("Hard stop if yes" if stop else "Flag if yes",
                     "badge-stop" if stop else "badge-none", wrap=False)
        title = label(f"{number}. {question.text}", "h3")
        header = row(title, kind, stretch=False, grow=title)
        header.setAlignment(kind, Qt.AlignmentFlag.AlignTop)
        self.layout_.addLayout(header)

        self.yes = QRadioButton("Yes")
        self.no = QRadioButton("No")
        for button, word in ((self.yes, "Yes"), (self.no, "No")):
            button.setAccessibleName(f"{word}: {question.text}")
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.group.addButton(self.yes)
        self.group.addButton(self.no)
        self.flag_marker = label("⚑  Flagged: the injector reviews this before treating",
                                 "badge-flag", wrap=False)
        self.flag_marker.setVisible(False)
        # asked again at every visit: last time's answer is only shown beside the buttons
        self.last_time = label("", "muted", wrap=False)
        self.last_time.setVisible(False)
        self.layout_.addLayout(row(self.yes, self.no, self.flag_marker, self.last_time,
                                   spacing=22))

        self.layout_.addWidget(label(f"For the injector: {question.guidance}", "guidance"))

        self.stop_banner = Banner(
            "⚠  Hard stop. Treatment should not go ahead. To proceed anyway the injector must "
            "record the reason; it is printed on the consent.", "danger")
        self.override = text_area("The injector's reason to proceed despite this answer")
        self.override_field = FormField("Reason to proceed *", self.override)
        self.stop_banner.layout_.addWidget(self.override_field)
        self.stop_banner.setVisible(False)
        self.layout_.addWidget(self.stop_banner)

        self.note = QLineEdit()
        self.note.setMaxLength(MAX_NOTE)
        self.note.setPlaceholderText("Optional note (e.g. details the patient gave)")
        self.note.setAccessibleName(f"Note: {question.text}")
        self.layout_.addWidget(self.note)

        self.yes.toggled.connect(lambda on: self._toggled(on, "yes"))
        self.no.toggled.connect(lambda on: self._toggled(on, "no"))
        self.note.textChanged.connect(self.note_edited.emit)
        self.override.textChanged.connect(lambda: self.override_edited.emit(
            self.override.toPlainText()))

    def _toggled(self, on: bool, answer: Answer) -> None:
        if on:  # the button switched off by the other's toggle says nothing new
            self.answered.emit(answer)

    def show_last_time(self, visit: LastVisit | None) -> None:
        text = visit.answer_text(self.question.id) if visit else ""
        self.last_time.setText(text)
        self.last_time.setVisible(bool(text))
        for button in (self.yes, self.no):
            button.setAccessibleDescription(text)

    def answer(self) -> Answer | None:
        return "yes" if self.yes.isChecked() else "no" if self.no.isChecked() else None

    def show_answer(self, answer: str | None, note: str, override: str) -> None:
        """Set the widgets from the model without signalling."""
        with quietly(self.yes, self.no, self.note, self.override):
            self.group.setExclusive(False)
            self.yes.setChecked(answer == "yes")
            self.no.setChecked(answer == "no")
            self.group.setExclusive(True)
            self.note.setText(note)
            self.override.setPlainText(override)
        self.show_state()

    def show_state(self) -> None:
        yes = self.answer() == "yes"
        stop = yes and self.question.is_hard_stop
        self.stop_banner.setVisible(stop)
        self.flag_marker.setVisible(yes and not self.question.is_hard_stop)
        reason = clean_text(self.override.toPlainText())
        self.override_field.set_error("" if reason or not stop else
                                      "Required: without a reason this consent cannot be "
                                      "finalized.")
        answered = self.answer() is not None
        self.set_state("stop" if stop else "flag" if yes else "done" if answered else "")


class ScreeningStep(StepPage):
    step_id = "screening"
    title = "Screening"
    intro = ("Ask each question and record the patient's answer. A “yes” to a hard stop "
             "needs the injector's reason to proceed; a “yes” to a flag is highlighted. "
             "Keyboard: Y answers yes, N answers no, and the next question comes up.")

    def __init__(self, service: Glabella, parent: QWidget | None = None) -> None:
        super().__init__(service, parent)
        self.progress = label("", "muted")
        self.body_layout.addWidget(self.progress)
        self.cards: dict[str, QuestionCard] = {}
        for number, question in enumerate(self.pack.screening, start=1):
            card = QuestionCard(number, question)
            card.answered.connect(lambda a, qid=question.id: self._answered(qid, a))
            card.note_edited.connect(lambda _t, qid=question.id: self._note_edited(qid))
            card.override_edited.connect(lambda t, qid=question.id: self._override_edited(qid, t))
            self.cards[question.id] = card
            self.body_layout.addWidget(card)
            for button in (card.yes, card.no):
                button.installEventFilter(self)
        self.body_layout.addStretch(1)
        self.visits = service.records.returning()

    def load(self) -> None:
        assert self.consent is not None
        self.visits.forget()
        for qid, card in self.cards.items():
            ans = self.consent.screening.get(qid)
            card.show_answer(ans.answer if ans else None, ans.note if ans else "",
                             ans.override_reason if ans else "")
        self.sync()

    def sync(self) -> None:
        if self.consent is None:
            return
        visit = self.visits.last_visit(self.consent.patient)
        for card in self.cards.values():
            card.show_last_time(visit)
        answered = sum(1 for qid in self.cards if qid in self.consent.screening)
        flagged = self.consent.flagged_screening(self.pack)
        text = f"Answered {answered} of {len(self.cards)}."
        if flagged:
            text += f" Answered “yes”: {len(flagged)}."
        self.progress.setText(text)

    def first_focus(self) -> QWidget | None:
        unanswered = [c for qid, c in self.cards.items()
                      if self.consent is None or qid not in self.consent.screening]
        card = (unanswered or list(self.cards.values()))[0]
        return card.no if card.answer() == "no" else card.yes

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Y or N on a question's Yes/No answers it, then the next question comes up."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent) \
                or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return super().eventFilter(watched, event)
        card = next((c for c in self.cards.values() if watched in (c.yes, c.no)), None)
        key = {Qt.Key.Key_Y: "yes", Qt.Key.Key_N: "no"}.get(Qt.Key(event.key()))
        if card is None or key is None or self.read_only:
            return super().eventFilter(watched, event)
        button = card.yes if key == "yes" else card.no
        button.setChecked(True)  # as a click would: the group's toggles record it
        # a hard stop keeps the focus here: its reason is typed next
        if not card.stop_banner.isVisible():
            self._focus_after(card, button)
        else:
            self.reveal(card.override)
            card.override.setFocus()
        return True

    def _focus_after(self, card: QuestionCard, answered: QRadioButton) -> None:
        """The next question's answers (the last question keeps the answer given)."""
        cards = list(self.cards.values())
        index = cards.index(card)
        if index + 1 == len(cards):
            answered.setFocus()
            return
        following = cards[index + 1]
        self.reveal(following)
        (following.no if following.answer() == "no" else following.yes).setFocus()

    def focus_item(self, item_id: str) -> None:
        card = self.cards.get(item_id)
        if card is not None:
            self.reveal(card)
            (card.override if card.stop_banner.isVisible() else card.yes).setFocus()

    def _answered(self, qid: str, answer: Answer) -> None:
        card = self.cards[qid]
        self.apply(lambda c: c.answer(qid, answer, card.note.text()))
        # a "yes" that comes back keeps the reason still typed in the box
        reason = clean_text(card.override.toPlainText(), multiline=True)[:MAX_NOTE]
        if answer == "yes" and reason:
            self.apply(lambda c: c.override(qid, reason))
        card.show_state()

    def _note_edited(self, qid: str) -> None:
        card, current = self.cards[qid], self.consent.screening.get(qid) if self.consent else None
        if current is None:
            return  # kept in the box; recorded with the answer
        note = clean_text(card.note.text(), multiline=True)[:MAX_NOTE]
        if note != current.note:
            self.apply(lambda c: c.answer(qid, current.answer, note))

    def _override_edited(self, qid: str, text: str) -> None:
        current = self.consent.screening.get(qid) if self.consent else None
        card = self.cards[qid]
        card.show_state()
        if current is None or current.answer != "yes":
            return
        reason = clean_text(text, multiline=True)[:MAX_NOTE]
        if reason != current.override_reason:
            self.apply(lambda c: c.override(qid, reason))
