"""Review: the exact document that will be signed, page by page, before anyone signs."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.runtime.service import Glabella
from app.ui import style
from app.ui.document_view import DocumentPreview
from app.ui.pdf_viewer import PdfViewer
from app.ui.steps.base import StepPage
from app.ui.style import set_role
from app.ui.widgets import Card, label, row

PREPARING = "Preparing the document…"


class ReviewStep(StepPage):
    step_id = "review"
    title = "Review the document"
    nav_title = "Review"
    intro = ("This is the consent document exactly as it will be signed. Read it with the "
             "patient; if anything is wrong, change it before anyone signs.")
    patient_title = "Your document"
    patient_intro = ("This is the document you are asked to sign, exactly as it will be "
                     "stored. Take your time and read every page to the end. Use + and − "
                     "to make it larger or smaller.")
    scrolls = False

    sign_requested = Signal()

    def __init__(self, service: Glabella, parent: QWidget | None = None, *,
                 for_patient: bool = False, preview: DocumentPreview | None = None) -> None:
        super().__init__(service, parent, for_patient=for_patient)
        self.preview = preview or DocumentPreview(service, self)
        self.viewer = PdfViewer(logs=service.paths.logs)
        self.pages = self.viewer.view
        self._read = False  # whether the step's mark last said "read"
        self.roles = [r for r in self.pack.signature_roles
                      if r.id == "patient" or not for_patient]
        self.sign_button = QPushButton("Continue to sign →" if for_patient
                                       else "Go to signatures →")
        set_role(self.sign_button, "primary")
        side = Card(spacing=10)
        if for_patient:
            # the patient's pages get the whole width: their statement and the button
            # sit in one line under the document
            statement = label(f"By signing you say: “{self.roles[0].intent}”", "guidance")
            side.layout_.addLayout(row(statement, self.sign_button, grow=statement,
                                       stretch=False))
        else:
            side.layout_.addWidget(label("What signing means", "h2"))
            for role in self.roles:
                side.layout_.addWidget(label(role.label + ("" if role.required else
                                                           " (optional)"), "h3"))
                side.layout_.addWidget(label(f"“{role.intent}”", "guidance"))
            side.layout_.addWidget(label(
                "Signatures are added on the next step. Changing anything after signing "
                "clears them, so what is signed is always what was reviewed.", "small"))
            side.layout_.addWidget(self.sign_button)
            side.layout_.addStretch(1)
        # the statements scroll on their own when the text is large: they never clip
        self.side = QScrollArea()
        self.side.setWidgetResizable(True)
        self.side.setFrameShape(QFrame.Shape.NoFrame)
        self.side.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.side.setWidget(side)
        columns = QVBoxLayout() if for_patient else QHBoxLayout()
        columns.setSpacing(10 if for_patient else 16)
        columns.addWidget(self.viewer, 1)
        columns.addWidget(self.side)
        self.body_layout.addLayout(columns, 1)
        self.pages.show_status(PREPARING)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self._request)
        self.preview.ready.connect(self._ready)
        self.preview.failed.connect(self._failed)
        self.sign_button.clicked.connect(self.sign_requested.emit)
        self.pages.progressed.connect(self._progressed)

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        super().showEvent(event)
        self._fit_side()

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        self._fit_side()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            if event.type() == QEvent.Type.FontChange:  # "Larger text" restyled the window
                base = style.PATIENT_BODY_PT if self.for_patient else style.BODY_PT
                ratio = round(self.font().pointSizeF() / base, 2)
                if ratio > 0 and ratio != self.pages.text_scale:
                    self.pages.set_text_scale(ratio)
            if self.isVisible():
                self._fit_side()

    def _fit_side(self) -> None:
        """The statements never scrolled sideways or clipped: the patient's under the pages,
        as tall as they need; the staff's beside them, at most about a quarter of the width
        however large the text, and never narrower than their widest word or button."""
        inside = self.side.widget()
        if self.for_patient:
            if inside is not None:
                self.side.setFixedHeight(inside.sizeHint().height() + 2)
            return
        scroll_bar = self.side.verticalScrollBar().sizeHint().width()
        least = (inside.minimumSizeHint().width() if inside else 0) + scroll_bar
        # the least it needs is its minimum, so the window's own minimum never grows with
        # the window (a fixed width did: maximised at 1920, it could not be made smaller)
        self.side.setMinimumWidth(max(260, least))
        self.side.setMaximumWidth(max(260, least, min(
            20 * self.fontMetrics().averageCharWidth() * 2, self.width() // 4)))

    def hideEvent(self, event) -> None:  # noqa: ANN001, N802
        self._debounce.stop()  # nothing to render for a page nobody sees
        super().hideEvent(event)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only  # reading stays possible; nothing here edits the consent

    def first_focus(self) -> QWidget | None:
        return self.pages  # PgUp/PgDn read on; the viewer's buttons are a Tab away

    def load(self) -> None:
        self.pages.shown = ""
        self.sync()

    def enter(self) -> None:
        self._request()

    def sync(self) -> None:
        if self.isVisible() and not self.is_current():  # a mark's change alone renders nothing
            self._debounce.start()

    def is_current(self) -> bool:
        """The pages on show are the document as it stands now."""
        return self.consent is not None and bool(self.pages.shown) and \
            self.pages.shown == self.preview.fingerprint(self.consent)

    def is_reviewed(self) -> bool:
        """The document as it stands now was read here: every page shown to its end."""
        return self.is_current() and self.pages.reading.key == self.pages.shown and \
            self.pages.reading.is_read()

    def _progressed(self) -> None:
        if self.is_reviewed() != self._read:
            self._read = not self._read
            self.changed.emit()  # nothing in the consult changed, but the step's mark did

    def _request(self) -> None:
        if self.consent is None or self.is_current():
            return
        if self.preview.request(self.consent, self.devicePixelRatioF()):
            self._show_current()
        else:
            self.pages.show_status(PREPARING)

    def _ready(self, fingerprint: str) -> None:
        if self.consent is not None and fingerprint == self.preview.fingerprint(self.consent):
            self._show_current()
        # else: an older render; the newer one is on its way

    def _show_current(self) -> None:
        document = self.preview.document
        if document is None or self.pages.shown == document.fingerprint:
            return
        if self.isVisible() or not self.pages.shown:
            self.viewer.show_document(document.fingerprint, document.pdf, document.pages,
                                      self.preview.dpi)
            self._progressed()

    def _failed(self, _fingerprint: str, message: str) -> None:
        self.pages.show_status(f"The document could not be shown: {message}")
