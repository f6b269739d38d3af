"""Risks & expectations: every required item read and acknowledged one at a time.

The patient can flag "I have a question about this" on any item (in patient mode); the
injector then answers in person and writes a note, printed on the consent. Until every
flagged item has its note, the consent cannot be finalized. Each tick records who made it:
the patient (in patient mode) or the signed-in staff member reading the item aloud with
the patient (the staff view), and the page says so beside each item.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QPushButton, QWidget

from app.consult.consent import Acknowledgement, ItemQuestion, RequiredItem
from app.consult.patient import MAX_NOTE, clean_text
from app.consult.patient_rules import BY_PATIENT, BY_STAFF, patient_may_change, who_ticked
from app.runtime.service import Glabella
from app.ui.steps.base import StepPage, fresh_content, off_label_lines
from app.ui.widgets import Banner, Card, FormField, label, quietly, row, text_area

ASK = "I have a question about this"
PATIENT_TICK = "I understand"
STAFF_TICK = "Read aloud with the patient; they said they understand"
SIGNED_LOCK = ("You have signed, so your answers here are locked. If you have a question "
               "now, press “Return to staff” to hand the screen back: your injector will go "
               "through it with you.")


class ItemCard(Card):
    """One risk, expectation or disclosure: its own "I understand" tick box, and the
    patient's question about it (flagged in patient mode, answered in injector mode)."""

    toggled = Signal(bool)
    question_asked = Signal()
    note_edited = Signal(str)

    def __init__(self, item: RequiredItem, *, for_patient: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, spacing=6)
        self.item = item
        self.for_patient = for_patient
        if item.section == "boxed":
            # The labels' boxed warning is set apart from every other risk.
            self.setObjectName("boxedWarning")
            self.layout_.addWidget(label("⚠  Boxed warning: on every product's label",
                                         "boxed-tag"))
        self.layout_.addWidget(label(item.title, "h3"))
        self.layout_.addWidget(label(item.text, selectable=True))
        if item.action:
            self.layout_.addWidget(label(f"If this happens: {item.action}", "guidance"))
        tick = PATIENT_TICK if for_patient else STAFF_TICK
        self.check = QCheckBox(tick)
        self.check.setAccessibleName(f"{tick}: {item.title}")
        self.ask = QPushButton(ASK)
        self.ask.setAccessibleName(f"{ASK}: {item.title}")
        self.ask.setVisible(for_patient)
        self.layout_.addLayout(row(self.check, self.ask, stretch=False, grow=self.check))
        self.who = label("", "muted")  # who ticked it, or that staff read it aloud
        self.who.setVisible(False)
        self.layout_.addWidget(self.who)

        self.question = Banner(kind="warning")
        self.question.setVisible(False)
        self.note = text_area("What you explained, in a sentence or two", lines=2)
        self.note.setAccessibleName(f"Injector's note on the patient's question: {item.title}")
        self.note_field = FormField("Injector's note (printed on the consent) *", self.note)
        self.question.layout_.addWidget(self.note_field)
        self.note_field.setVisible(not for_patient)
        self.layout_.addWidget(self.question)

        self.check.toggled.connect(self._toggled)
        self.ask.clicked.connect(self.question_asked.emit)
        self.note.textChanged.connect(lambda: self.note_edited.emit(self.note.toPlainText()))

    def _toggled(self, on: bool) -> None:
        self.toggled.emit(on)

    def show_state(self, ack: Acknowledgement | None, question: ItemQuestion | None, *,
                   locked: bool = False) -> None:
        """Set the widgets from the model without signalling. In patient mode only the
        patient's own tick shows as ticked; ``locked``: the patient has signed."""
        acknowledged = ack is not None and (ack.by == BY_PATIENT or not self.for_patient)
        with quietly(self.check):
            self.check.setChecked(acknowledged)
        self.check.setEnabled(not locked)
        self._show_who(ack)
        answered = bool(question and question.injector_note)
        # the banner says the rest
        self.ask.setVisible(self.for_patient and question is None and not locked)
        self.question.setVisible(question is not None)
        if question is not None:
            self._show_question(question)
        flagged = question is not None and not answered
        self.set_state("flag" if flagged else "done" if acknowledged else "")

    def _show_who(self, ack: Acknowledgement | None) -> None:
        text = ""
        if ack is not None and self.for_patient:
            if ack.by == BY_STAFF:  # it does not count as theirs: they tick it themselves
                text = (f"{ack.staff_name or 'Your injector'} read this aloud with you. "
                        f"Tick “{PATIENT_TICK}” yourself if you understand it.")
        elif ack is not None:
            text = who_ticked(ack, f"{ack.at:%H:%M}")
        self.who.setText(text)
        self.who.setVisible(bool(text))

    def _show_question(self, question: ItemQuestion) -> None:
        note = question.injector_note
        if self.for_patient:
            self.question.set_kind("success" if note else "info")
            self.question.set_text(f"Your injector's answer: {note}" if note else
                                   "You have a question about this. Your injector will go "
                                   "through it with you before anything is signed.")
            return
        self.question.set_kind("success" if note else "warning")
        self.question.set_text("⚑  The patient has a question about this. Answer it in person, "
                               "then note what you explained." if not note else
                               "⚑  The patient asked about this; your note is below.")
        if not self.note.hasFocus() and clean_text(self.note.toPlainText(),
                                                   multiline=True) != note:
            with quietly(self.note):
                self.note.setPlainText(note)
        self.note_field.set_error("" if note else "Required before finalizing.")


class RisksStep(StepPage):
    step_id = "risks"
    title = "Risks & expectations"
    intro = ("Read each item aloud with the patient and tick it when they say they "
             "understand: the record names you as the one who read it. Or hand the screen "
             "over: the patient then ticks each item themselves.")
    patient_title = "Risks and what to expect"
    patient_intro = ("Read each item. Tick “I understand” for each one on its own. If "
                     "anything is unclear, press “I have a question about this”: your "
                     "injector will go through it with you.")

    def __init__(self, service: Glabella, parent: QWidget | None = None, *,
                 for_patient: bool = False) -> None:
        super().__init__(service, parent, for_patient=for_patient)
        self.questions_banner = Banner(kind="warning")
        self.questions_banner.setVisible(False)
        self.next_question = QPushButton("Go to the next question")
        self.questions_banner.add_action(self.next_question)
        self.next_question.clicked.connect(self._go_to_next_question)
        self.body_layout.addWidget(self.questions_banner)
        self.progress = label("", "muted")
        self.body_layout.addWidget(self.progress)
        self.content = QWidget()
        self.content.setObjectName("body")
        self.body_layout.addWidget(self.content)
        self.body_layout.addStretch(1)
        self.cards: dict[str, ItemCard] = {}
        self._shown: list[str] | None = None  # what the cards were built for
        # who a tick made now is by (ConsultSession.ticked_by, wired by the window)
        self.ticked_by: Callable[[], tuple[str, str]] = \
            lambda: (BY_PATIENT, "") if for_patient else (BY_STAFF, "")
        self.signed_lock = Banner(SIGNED_LOCK, "info")
        self.signed_lock.setVisible(False)
        self.body_layout.insertWidget(0, self.signed_lock)

    def load(self) -> None:
        self._shown = None
        self.sync()

    def sync(self) -> None:
        if self.consent is None:
            return
        items = self.consent.required_items(self.pack)
        # the off-label reasons are shown too: a new age or area can change them alone
        ids = [i.item_id for i in items] + [u.reason for u in self.consent.area_uses(self.pack)]
        if ids != self._shown:
            self._build(items)
            self._shown = ids
        done = 0
        locked = self.for_patient and not patient_may_change(self.consent)
        self.signed_lock.setVisible(locked)
        for item_id, card in self.cards.items():
            ack = self.consent.acknowledgements.get(item_id)
            card.show_state(ack, self.consent.questions.get(item_id), locked=locked)
            done += card.check.isChecked()
        self.progress.setText(f"{'You ticked' if self.for_patient else 'Acknowledged'} "
                              f"{done} of {len(self.cards)}.")
        self._show_questions()

    def open_questions(self) -> list[str]:
        """Items the patient asked about that still have no injector's note, in order."""
        assert self.consent is not None
        return [i for i in self.cards if (q := self.consent.questions.get(i)) is not None
                and not q.injector_note]

    def _show_questions(self) -> None:
        """The injector sees the patient's open questions first, never buried in the list."""
        open_ids = self.open_questions() if not self.for_patient else []
        self.questions_banner.setVisible(bool(open_ids))
        if open_ids:
            titles = "\n".join(f"•  {self.cards[i].item.title}" for i in open_ids)
            count = len(open_ids)
            self.questions_banner.set_text(
                f"⚑  The patient has {count} question{'s' if count != 1 else ''} to go "
                f"through. Answer each in person and write a short note; the consent cannot "
                f"be finalized until each has one.\n{titles}")

    def _go_to_next_question(self) -> None:
        open_ids = self.open_questions()
        if open_ids:
            self.focus_item(open_ids[0])

    def _build(self, items: list[RequiredItem]) -> None:
        """Lay the items out: the boxed warning first and apart, risks by group, then the
        expectations, the chosen product's facts and Medication Guide, the disclosure."""
        self.content, layout = fresh_content(self.body_layout, self.content, 10)
        self.cards = {}
        by_id = {i.item_id: i for i in items}

        def add(item: RequiredItem) -> None:
            card = ItemCard(item, for_patient=self.for_patient)
            card.toggled.connect(lambda on, item=item: self._toggled(item, on))
            card.question_asked.connect(lambda item=item: self._asked(item))
            card.note_edited.connect(lambda text, item=item: self._noted(item, text))
            self.cards[item.item_id] = card
            layout.addWidget(card)
            card.toggled.connect(lambda on, card=card: self._show_next(card, on))

        for item in items:
            if item.section == "boxed":
                add(item)
        for group in self.pack.risk_groups:
            members = [by_id[r.id] for r in self.pack.risks_in(group.id) if r.id in by_id]
            if not members:
                continue
            layout.addWidget(label(f"Risks: {group.title}", "h2"))
            if group.intro:
                layout.addWidget(label(group.intro, "muted"))
            for item in members:
                add(item)
        sections = (("expectation", "What to expect"),
                    ("product", "Your product"),
                    ("guide", ""), ("off_label", "Off-label use"))
        for section, heading in sections:
            members = [i for i in items if i.section == section]
            if members and heading:
                layout.addWidget(label(heading, "h2"))
            if members and section == "off_label" and self.consent is not None:
                layout.addWidget(label(off_label_lines(self.consent.off_label_reasons(
                    self.pack)), "guidance"))
            for item in members:
                add(item)
        placed = set(self.cards)
        for item in items:  # anything the pack adds later still shows
            if item.item_id not in placed:
                add(item)

    def _show_next(self, card: ItemCard, ticked: bool) -> None:
        """A tick brings the next item into view: read on without scrolling to it."""
        if not ticked:
            return
        cards = list(self.cards.values())
        index = cards.index(card) if card in cards else -1
        if 0 <= index < len(cards) - 1:
            self.reveal(cards[index + 1])

    def _toggled(self, item: RequiredItem, on: bool) -> None:
        if self.consent is not None and self.for_patient and \
                not patient_may_change(self.consent):
            return  # signed: nothing here may clear the signature
        if on:
            by, name = self.ticked_by()
            self.apply(lambda c: c.acknowledge(item, self.service.clock, by=by,
                                               staff_name=name))
        else:
            self.apply(lambda c: c.withdraw_acknowledgement(item.item_id))

    def _asked(self, item: RequiredItem) -> None:
        if self.consent is not None and not patient_may_change(self.consent):
            return
        self.apply(lambda c: c.ask_question(item.item_id, self.service.clock))

    def _noted(self, item: RequiredItem, text: str) -> None:
        if self.consent is None or item.item_id not in self.consent.questions:
            return
        note = clean_text(text, multiline=True)[:MAX_NOTE]
        if note != self.consent.questions[item.item_id].injector_note:
            self.apply(lambda c: c.answer_question(item.item_id, note))

    def first_focus(self) -> QWidget | None:
        card = next(iter(self.cards.values()), None)
        return card.check if card is not None else None

    def focus_item(self, item_id: str) -> None:
        card = self.cards.get(item_id)
        if card is not None:
            self.reveal(card)
            question = self.consent.questions.get(item_id) if self.consent else None
            asking = question is not None and not question.injector_note
            (card.note if asking and not self.for_patient else card.check).setFocus()
