"""The consent document before signing: rendered off the window's thread, shown as pages.

``DocumentPreview`` renders one document at a time on its own ``Background`` runner and keeps
the latest; both the injector's Review step and the patient's review read from it, so the
patient sees the very render the injector saw. ``PageView`` shows its pages, scaled to
the width available.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.consult.consent import Consent
from app.document.review import ReviewDocument, fingerprint, render_review, unsigned_copy
from app.runtime.bug_log import explain
from app.runtime.service import Glabella
from app.ui.background import Background

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
