"""Signatures: one panel per role, each with its statement, printed name and signing pad.

In patient mode the patient's pad opens only once they have ticked every item themselves
and each question they raised has its answer; until then the page says what is left. A
signature a change cleared says why, on both modes' pages, until it is signed again.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from app.consult.consent import Consent, Signature
from app.consult.content import SignatureRole
from app.consult.patient import clean_text
from app.consult.patient_rules import before_patient_signs, cleared_for_patient
from app.consult.signature_image import Stroke, has_enough_ink, strokes_to_png
from app.runtime.service import Glabella
from app.ui.signature_pad import SignaturePad
from app.ui.steps.base import StepPage
from app.ui.steps.signing_gate import SigningGate
from app.ui.style import set_role
from app.ui.widgets import Banner, Card, FormField, label, quietly, row

NOT_ENOUGH_INK = "A signature needs more than a dot or a tick. Please sign again."
CLEARED = "This signature was cleared because {why} after it was signed. Please review and " \
    "sign again."


class SignaturePanel(Card):
    """Statement, printed name, pad, Undo/Clear and "Accept signature" for one role."""

    accept_requested = Signal()
    edited = Signal()  # ink or printed name changed

    def __init__(self, role: SignatureRole, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self._prefilled = ""
        self._locked = False
        self.signed_strokes: list[Stroke] | None = None  # what the accepted signature shows
        title = label(role.label + ("" if role.required else " (optional)"), "h2")
        self.status = label("Not signed", "badge-none", wrap=False)
        self.layout_.addLayout(row(title, self.status, stretch=False, grow=title))
        self.layout_.addWidget(label(f"“{role.intent}”", "guidance"))
        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.name.setPlaceholderText("Printed name of the person signing")
        self.name_field = FormField(f"{role.label}'s printed name", self.name)
        self.layout_.addWidget(self.name_field)
        self.pad = SignaturePad(f"{role.label} signature pad")
        self.layout_.addWidget(self.pad)
        self.undo = QPushButton("Undo stroke")
        self.undo.setAccessibleName(f"Undo last stroke of the {role.label} signature")
        self.clear = QPushButton("Clear")
        self.clear.setAccessibleName(f"Clear the {role.label} signature pad")
        self.accept = QPushButton("Accept signature")
        self.accept.setAccessibleName(f"Accept the {role.label} signature")
        set_role(self.accept, "primary")
        self.message = Banner(kind="danger")
        self.message.setVisible(False)
        buttons = row(self.undo, self.clear, stretch=True)
        buttons.addWidget(self.accept)
        self.layout_.addLayout(buttons)
        self.layout_.addWidget(self.message)

        self.undo.clicked.connect(self.pad.undo)
        self.clear.clicked.connect(self.pad.clear)
        self.accept.clicked.connect(self.accept_requested.emit)
        self.pad.changed.connect(self._edited)
        self.name.textChanged.connect(self._edited)

    def _edited(self) -> None:
        self.show_message("")
        self.edited.emit()

    def printed_name(self) -> str:
        return clean_text(self.name.text())

    def prefill_name(self, name: str) -> None:
        """Offer ``name`` unless the user typed something else."""
        if self.name.text() in ("", self._prefilled) and name != self.name.text():
            with quietly(self.name):
                self.name.setText(name)
        self._prefilled = name

    def show_message(self, text: str, kind: str = "danger") -> None:
        self.message.set_text(text)
        self.message.set_kind(kind)
        self.message.setVisible(bool(text))

    def show_signature(self, signature: Signature | None, cleared: str = "") -> None:
        """Show ``signature`` (or none); ``cleared``: why a change cleared it, if one did."""
        if signature is not None:
            if self.pad.strokes() != signature.strokes:  # signed on the other mode's pad
                with quietly(self.pad):
                    self.pad.set_strokes(signature.strokes)
            when = signature.signed_at.strftime("%H:%M")
            self.status.setText(f"✓ Signed at {when} by {signature.printed_name}")
            set_role(self.status, "badge-approved")
            self.set_state("done")
            self.accept.setEnabled(False)
            self.signed_strokes = [[(float(x), float(y)) for x, y in stroke]
                                   for stroke in signature.strokes]
            return
        if self.signed_strokes is not None and self.pad.strokes() == self.signed_strokes:
            with quietly(self.pad):
                self.pad.clear()
        if cleared and self.message.text() != cleared:
            self.show_message(cleared, "warning")
        self.signed_strokes = None
        self.status.setText("Not signed" if self.role.required else "Not signed (optional)")
        set_role(self.status, "badge-none")
        self.set_state("")
        self.accept.setEnabled(not self._locked)

    def set_locked(self, locked: bool) -> None:
        self._locked = locked
        for widget in (self.name, self.pad, self.undo, self.clear, self.accept):
            widget.setEnabled(not locked)


class SignatureStep(StepPage):
    step_id = "signatures"
    title = "Signatures"
    intro = ("Sign last. Changing anything in the consult afterwards clears the signatures, "
             "so what is signed is always what was reviewed.")
    patient_title = "Sign"
    patient_intro = ("Sign with your finger, a stylus or the mouse, then press “Accept "
                     "signature”. Your signature goes on the document you reviewed.")

    go_to_item = Signal(str, str)  # step id, item id: what is left before the patient signs
    hand_back = Signal()  # the patient's question goes to staff first

    def __init__(self, service: Glabella, parent: QWidget | None = None, *,
                 for_patient: bool = False) -> None:
        super().__init__(service, parent, for_patient=for_patient)
        self.summary = Banner(kind="info")
        self.body_layout.addWidget(self.summary)
        # the patient reads why their signature was cleared first, above everything else
        self.cleared_banner = Banner(kind="warning")
        self.cleared_banner.setVisible(False)
        self.body_layout.addWidget(self.cleared_banner)
        self.gate = SigningGate()
        self.gate.setVisible(False)
        self.gate.go_to_item.connect(self.go_to_item.emit)
        self.gate.hand_back.connect(self.hand_back.emit)
        self.body_layout.addWidget(self.gate)
        self.thanks = Banner("✓  Thank you. Please hand the screen back to your injector.",
                             "success")
        self.thanks.setVisible(False)
        self.body_layout.addWidget(self.thanks)
        self.panels: dict[str, SignaturePanel] = {}
        # in patient mode the patient signs for themselves only
        roles = [r for r in self.pack.signature_roles if r.id == "patient" or not for_patient]
        for role in roles:
            panel = SignaturePanel(role)
            panel.accept_requested.connect(lambda role_id=role.id: self.accept(role_id))
            panel.edited.connect(lambda role_id=role.id: self._edited(role_id))
            self.panels[role.id] = panel
            self.body_layout.addWidget(panel)
        self.body_layout.addStretch(1)

    def load(self) -> None:
        assert self.consent is not None
        for role_id, panel in self.panels.items():
            signature = self.consent.signatures.get(role_id)
            panel.signed_strokes = None
            panel.show_message("")
            with quietly(panel.pad, panel.name):
                panel.pad.set_strokes(signature.strokes if signature else [])
                panel.name.setText(signature.printed_name if signature else "")
        self.sync()

    def sync(self) -> None:
        if self.consent is None:
            return
        if self.for_patient:  # first: locking sets the buttons that signing then turns off
            self._gate_patient()
        for role_id, panel in self.panels.items():
            panel.prefill_name(self._default_name(self.consent, role_id))
            panel.show_signature(self.consent.signatures.get(role_id),
                                 self._cleared(self.consent, role_id))
        self.summary.set_text(self._summary(self.consent))
        self.thanks.setVisible(self.for_patient and "patient" in self.consent.signatures)

    def patient_may_sign(self) -> bool:
        """In patient mode: whether the patient's pad is open (see ``before_patient_signs``)."""
        return self.consent is not None and before_patient_signs(self.consent,
                                                                 self.pack).ready

    def _gate_patient(self) -> None:
        """The patient's pad opens only when nothing is left; until then, what is."""
        assert self.consent is not None
        left = before_patient_signs(self.consent, self.pack)
        signed = "patient" in self.consent.signatures
        cleared = cleared_for_patient(self.consent)
        self.cleared_banner.set_text(cleared)
        self.cleared_banner.setVisible(bool(cleared))
        self.gate.show_left(left)
        self.gate.setVisible(not left.ready and not signed)
        panel = self.panels["patient"]
        panel.setVisible(left.ready or signed)
        panel.set_locked(self.read_only or not left.ready)

    def _cleared(self, consent: Consent, role_id: str) -> str:
        if self.for_patient:  # said in the banner at the top instead
            return ""
        why = consent.cleared.get(role_id)
        return CLEARED.format(why=why) if why else ""

    def first_focus(self) -> QWidget | None:
        if self.for_patient and self.gate.isVisibleTo(self):
            return self.gate.hand_back_button if self.gate.questions.isVisibleTo(self) \
                else None
        unsigned = [p for role_id, p in self.panels.items()
                    if self.consent is None or role_id not in self.consent.signatures]
        return (unsigned or list(self.panels.values()))[0].pad

    def set_read_only(self, read_only: bool) -> None:
        """The page stays readable; only the signing controls lock."""
        self.read_only = read_only
        for panel in self.panels.values():
            panel.set_locked(read_only)
        if self.for_patient and self.consent is not None:
            self._gate_patient()

    def focus_item(self, item_id: str) -> None:
        panel = self.panels.get(item_id)
        if panel is not None:
            self.reveal(panel)
            panel.pad.setFocus()

    @staticmethod
    def _default_name(consent: Consent, role_id: str) -> str:
        if role_id == "patient" and consent.patient:
            return consent.patient.full_name
        if role_id == "injector" and consent.injector:
            return consent.injector.display_name
        return ""

    def _summary(self, consent: Consent) -> str:
        patient = consent.patient
        product = self.pack.product(consent.plan.product_id)
        areas = [a.plain_name if self.for_patient else a.name
                 for i in consent.plan.area_ids() if (a := self.pack.area(i))]
        off = [] if self.for_patient else consent.off_label_area_ids(self.pack)
        lines = [
            "Signing for: " + (f"{patient.full_name}, born {patient.date_of_birth:%Y-%m-%d}"
                               if patient else "patient details not complete"),
            "Treatment: " + (product.name if product else "no product chosen")
            + (f" — {', '.join(areas)}" if areas else ""),
        ]
        if off:
            lines.append(f"Off-label areas: {len(off)} (disclosed on the checklist)")
        return "\n".join(lines)

    def accept(self, role_id: str) -> bool:
        """Sign for ``role_id`` with the pad's ink; False (and a message) when refused."""
        panel = self.panels[role_id]
        strokes = panel.pad.strokes()
        if self.consent is None or self.read_only:
            return False
        if self.for_patient and not self.patient_may_sign():
            return False  # the pad is closed; the page says what is left
        if not has_enough_ink(strokes):
            panel.show_message(NOT_ENOUGH_INK)
            return False
        name = panel.printed_name()
        if not name:
            panel.name_field.set_error("Type the printed name of the person signing.")
            panel.name.setFocus()
            return False
        panel.name_field.set_error("")
        png = strokes_to_png(strokes)
        self.apply(lambda c: c.sign(self.pack, role_id, name, png, strokes, self.service.clock))
        return True

    def _edited(self, role_id: str) -> None:
        """New ink or another name after accepting withdraws that signature."""
        panel = self.panels[role_id]
        signature = self.consent.signatures.get(role_id) if self.consent else None
        if panel.printed_name():
            panel.name_field.set_error("")
        if signature is None:
            return
        if panel.pad.strokes() != signature.strokes or panel.printed_name() != \
                signature.printed_name:
            panel.signed_strokes = None
            self.apply(lambda c: c.clear_signature(role_id))
