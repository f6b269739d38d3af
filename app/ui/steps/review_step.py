"""Review: the exact document that will be signed, page by page, before anyone signs."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QScrollArea, QWidget

from app.runtime.service import Glabella
from app.ui.document_view import DocumentPreview, PageView
from app.ui.steps.base import StepPage
from app.ui.style import set_role
from app.ui.widgets import Card, label

PREPARING = "Preparing the document…"


class ReviewStep(StepPage):
    step_id = "review"
    title = "Review the document"
    nav_title = "Review"
    intro = ("This is the consent document exactly as it will be signed. Read it with the "
             "patient; if anything is wrong, change it before anyone signs.")
    patient_title = "Your document"
    patient_intro = ("This is the document you are asked to sign, exactly as it will be "
                     "stored. Take your time; scroll to read every page.")
    scrolls = False

    sign_requested = Signal()

    def __init__(self, service: Glabella, parent: QWidget | None = None, *,
                 for_patient: bool = False, preview: DocumentPreview | None = None) -> None:
        super().__init__(service, parent, for_patient=for_patient)
        self.preview = preview or DocumentPreview(service, self)
        self.pages = PageView()
        side = Card(spacing=10)
        side.layout_.addWidget(label("What signing means", "h2"))
        self.roles = [r for r in self.pack.signature_roles
                      if r.id == "patient" or not for_patient]
        for role in self.roles:
            side.layout_.addWidget(label(role.label + ("" if role.required else " (optional)"),
                                         "h3"))
            side.layout_.addWidget(label(f"“{role.intent}”", "guidance"))
        side.layout_.addWidget(label(
            "Signatures are added on the next step. Changing anything after signing clears "
            "them, so what is signed is always what was reviewed.", "small"))
        self.sign_button = QPushButton("Continue to sign →" if for_patient
                                       else "Go to signatures →")
        set_role(self.sign_button, "primary")
        side.layout_.addWidget(self.sign_button)
        side.layout_.addStretch(1)
        # the statements scroll on their own when the text is large: they never clip
        self.side = QScrollArea()
        self.side.setWidgetResizable(True)
        self.side.setFrameShape(QFrame.Shape.NoFrame)
        self.side.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.side.setWidget(side)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addWidget(self.pages, 1)
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

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        super().showEvent(event)
        self._fit_side()

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        self._fit_side()

    def changeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._fit_side()  # "Larger text"

    def _fit_side(self) -> None:
        """About a third of the width for the statements, however large the text, and
        never narrower than their widest word or button (that was cut off on the right)."""
        content = self.side.widget()
        scroll_bar = self.side.verticalScrollBar().sizeHint().width()
        least = (content.minimumSizeHint().width() if content else 0) + scroll_bar
        self.side.setFixedWidth(max(300, least, min(
            22 * self.fontMetrics().averageCharWidth() * 2, self.width() // 3)))

    def hideEvent(self, event) -> None:  # noqa: ANN001, N802
        self._debounce.stop()  # nothing to render for a page nobody sees
        super().hideEvent(event)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only  # reading stays possible; nothing here edits the consent

    def first_focus(self) -> QWidget | None:
        return self.pages

    def load(self) -> None:
        self.pages.shown = ""
        self.sync()

    def enter(self) -> None:
        self._request()

    def sync(self) -> None:
        if self.isVisible():
            self._debounce.start()

    def is_reviewed(self) -> bool:
        """The pages on show are the document as it stands now."""
        return self.consent is not None and bool(self.pages.shown) and \
            self.pages.shown == self.preview.fingerprint(self.consent)

    def _request(self) -> None:
        if self.consent is None or self.is_reviewed():
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
            self.pages.show_document(document)
            self.changed.emit()  # nothing in the consult changed, but the step's mark did

    def _failed(self, _fingerprint: str, message: str) -> None:
        self.pages.show_status(f"The document could not be shown: {message}")
