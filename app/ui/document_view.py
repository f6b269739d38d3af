"""The consent document before signing: rendered off the window's thread, shown as pages.

``DocumentPreview`` renders one document at a time on its own ``Background`` runner and keeps
the latest; both the injector's Review step and the patient's review read from it, so the
patient sees the very render the injector saw. ``PageView`` shows its pages, scaled to
the width available.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.consult.consent import Consent
from app.document.review import ReviewDocument, fingerprint, render_review, unsigned_copy
from app.runtime.bug_log import explain
from app.runtime.service import Glabella
from app.ui.background import Background
from app.ui.widgets import label

BASE_DPI = 110.0  # at 1x: A4 is ~910 px wide, as wide as the page area at 1366 x 768


class DocumentPreview(QObject):
    """Renders the unsigned consent document in the background; one render at a time."""

    ready = Signal(str)  # fingerprint of the document now in ``document``
    failed = Signal(str, str)  # fingerprint, what went wrong

    def __init__(self, service: Glabella, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        # one thread: reportlab's font registry and pdfium render one document at a time
        self.background = Background(self)
        self.document: ReviewDocument | None = None
        self.pending: str | None = None
        self.error: tuple[str, str] | None = None
        self.dpi = BASE_DPI

    def fingerprint(self, consent: Consent) -> str:
        return fingerprint(consent, self.service.clinic)

    def is_current(self, consent: Consent) -> bool:
        return self.document is not None and \
            self.document.fingerprint == self.fingerprint(consent)

    def request(self, consent: Consent, device_pixel_ratio: float = 1.0) -> bool:
        """Start rendering ``consent`` unless it is shown or on its way; True if current."""
        self.dpi = BASE_DPI * max(device_pixel_ratio, 1.0)
        wanted = self.fingerprint(consent)
        if self.document is not None and self.document.fingerprint == wanted:
            return True
        if self.pending == wanted:
            return False
        self.pending = wanted
        # the worker gets its own copy: the consult may change while it renders
        copy, pack, clinic, dpi = unsigned_copy(consent), self.service.pack, \
            self.service.clinic, self.dpi
        self.background.run(lambda: render_review(copy, pack, clinic, dpi=dpi),
                            lambda document: self._finished(wanted, document),
                            lambda exc: self._failed(wanted, exc))
        return False

    def wait(self, ms: int = -1) -> bool:
        """Let a render in progress finish (before finalizing or closing)."""
        return self.background.wait(ms)

    def _finished(self, wanted: str, document: ReviewDocument) -> None:
        if self.pending == wanted:
            self.pending = None
        self.document = document
        self.error = None
        self.ready.emit(wanted)

    def _failed(self, wanted: str, exc: BaseException) -> None:
        """Shown in the Review step: a known error's message; a bug is logged first."""
        if self.pending == wanted:
            self.pending = None
        message = explain(exc, self.service.paths.logs, "Rendering it")
        self.error = (wanted, message)
        self.failed.emit(wanted, message)


class PageView(QScrollArea):
    """The document's pages one under another, each as wide as the view allows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageView")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrow keys and PgUp/PgDn scroll
        # pages are fitted to the width: only ever scrolled up and down
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setAccessibleName("The consent document, page by page")
        self.holder = QWidget()
        self.holder.setObjectName("pageHolder")
        self.column = QVBoxLayout(self.holder)
        self.column.setContentsMargins(12, 12, 12, 12)
        self.column.setSpacing(14)
        self.status = label("", "muted")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.column.addWidget(self.status)
        self.column.addStretch(1)
        self.setWidget(self.holder)
        self.images: list[QImage] = []
        self.pages: list[QLabel] = []
        self.shown: str = ""  # fingerprint of the document on show

    def show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def show_document(self, document: ReviewDocument) -> None:
        for old in self.pages:
            self.column.removeWidget(old)
            old.deleteLater()
        self.pages, self.images = [], []
        total = len(document.pages)
        for number, page in enumerate(document.pages, start=1):
            image = QImage(page.rgbx, page.width, page.height, page.stride,
                           QImage.Format.Format_RGBX8888).copy()  # owns its pixels
            self.images.append(image)
            shown = QLabel()
            shown.setObjectName("documentPage")
            shown.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            shown.setAccessibleName(f"Page {number} of {total}")
            shown.setAccessibleDescription(page.text)
            self.pages.append(shown)
            self.column.insertWidget(self.column.count() - 1, shown)
        self.shown = document.fingerprint
        self.show_status("")
        self._scale()

    def page_text(self) -> str:
        """What the pages say (their accessible descriptions), for tests and screen readers."""
        return "\n".join(page.accessibleDescription() for page in self.pages)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._scale()

    def _scale(self) -> None:
        """Fit the view's width (never more than a quarter past the render's own size)."""
        ratio = self.devicePixelRatioF()
        margins = self.column.contentsMargins()
        width = max(self.viewport().width() - margins.left() - margins.right(), 200)
        for image, shown in zip(self.images, self.pages, strict=True):
            logical = min(width, image.width() / ratio * 1.25)
            pixmap = QPixmap.fromImage(image.scaledToWidth(
                round(logical * ratio), Qt.TransformationMode.SmoothTransformation))
            pixmap.setDevicePixelRatio(ratio)
            shown.setPixmap(pixmap)
