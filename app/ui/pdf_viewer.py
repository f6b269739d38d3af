"""Glabella's own PDF viewer: real pages at a readable size, zoom, page by page, read-only.

``PageView`` shows page images one under another and notes how far down each page has
been on screen (``app.document.reading``: the document counts as read when every page was
shown to its end). ``PdfViewer`` adds the controls (previous/next page, "page N of M",
zoom out/in, fit width; Ctrl+plus/minus/0) and renders pages again, off the window's
thread, when a zoom needs more detail than the images on show have.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeyEvent, QPaintEvent, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.document.raster import PageImage, rasterise
from app.document.reading import ReadingProgress
from app.runtime.bug_log import explain
from app.ui.background import Background
from app.ui.widgets import label, row

ACTUAL_SIZE = 96 / 72  # logical pixels per point at 100 %
ZOOM_STEP = 1.25
MIN_SCALE, MAX_SCALE = 0.5, 4.0  # logical pixels per point
ZOOM_IN_KEYS = (Qt.Key.Key_Plus, Qt.Key.Key_Equal)


def to_qimage(page: PageImage) -> QImage:
    # copy(): the QImage owns its pixels, not the rasteriser's buffer
    return QImage(page.rgbx, page.width, page.height, page.stride,
                  QImage.Format.Format_RGBX8888).copy()


class PageView(QScrollArea):
    """The pages one under another; fitted to the width, or at a zoom of their own."""

    progressed = Signal()  # the page on show, or how much has been read, changed
    wants_dpi = Signal(float)  # the zoom needs images rendered at this resolution

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageView")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrows and PgUp/PgDn scroll
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setAccessibleName("The document, page by page")
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
        self.points: list[tuple[float, float]] = []
        self.pages: list[QLabel] = []
        self.shown: str = ""  # the key (e.g. fingerprint) of the document on show
        self.reading = ReadingProgress()
        self.dpi = 0.0  # the resolution the images were rendered at
        self.fit = True  # fit the width, else ``custom`` logical pixels per point
        self.custom = ACTUAL_SIZE
        self.text_scale = 1.0  # "Larger text": the fitted width times this
        # what is on screen is noted once the layout settled after any change
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(15)
        self._settle.timeout.connect(self._note_view)
        self._refit = QTimer(self)  # a timer of this view's own dies with it
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit_holder)
        self.verticalScrollBar().valueChanged.connect(self._note_view)
        self.horizontalScrollBar().valueChanged.connect(self._note_view)

    # -- what is shown --------------------------------------------------------------------

    def show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def show_pages(self, key: str, pages: Sequence[PageImage], dpi: float) -> None:
        """A document's pages; the same ``key`` again keeps the place and what was read."""
        same = key == self.shown and len(pages) == len(self.pages)
        if not same:
            for old in self.pages:
                self.column.removeWidget(old)
                old.deleteLater()
            self.pages = []
            self.reading = ReadingProgress(key, len(pages))
            for number, page in enumerate(pages, start=1):
                shown = QLabel()
                shown.setObjectName("documentPage")
                shown.setAlignment(Qt.AlignmentFlag.AlignHCenter)
                shown.setAccessibleName(f"Page {number} of {len(pages)}")
                shown.setAccessibleDescription(page.text)
                self.pages.append(shown)
                self.column.insertWidget(self.column.count() - 1, shown)
        self.images = [to_qimage(page) for page in pages]
        self.points = [page.points for page in pages]
        self.dpi, self.shown = dpi, key
        self.show_status("")
        self._scale()
        if not same:
            self.verticalScrollBar().setValue(0)
        self.progressed.emit()

    def page_text(self) -> str:
        """What the pages say (their accessible descriptions), for tests and screen readers."""
        return "\n".join(page.accessibleDescription() for page in self.pages)

    # -- zoom -------------------------------------------------------------------------------

    def fitted_scale(self) -> float:
        """Logical pixels per point that make the widest page fill the view's width."""
        margins = self.column.contentsMargins()
        width = max(self.viewport().width() - margins.left() - margins.right(), 200)
        widest = max((w for w, _h in self.points), default=595.0)
        return width / widest

    def scale(self) -> float:
        wanted = self.fitted_scale() * self.text_scale if self.fit else self.custom
        return min(max(wanted, MIN_SCALE), MAX_SCALE)

    def zoom_by(self, factor: float) -> None:
        self.custom = min(max(self.scale() * factor, MIN_SCALE), MAX_SCALE)
        self.fit = False
        self._rescale_keeping_place()

    def fit_width(self) -> None:
        self.fit = True
        self._rescale_keeping_place()

    def set_text_scale(self, ratio: float) -> None:
        """Larger text, larger pages: back to the fitted width, times ``ratio``."""
        self.text_scale, self.fit = ratio, True
        self._rescale_keeping_place()

    def percent(self) -> int:
        return round(self.scale() / ACTUAL_SIZE * 100)

    # -- pages ------------------------------------------------------------------------------

    def current_page(self) -> int:
        """The page under the top third of the view (0-based)."""
        mark = self.verticalScrollBar().value() + self.viewport().height() // 3
        for index, page in enumerate(self.pages):
            if page.geometry().bottom() + self.column.spacing() >= mark:
                return index
        return max(len(self.pages) - 1, 0)

    def go_to_page(self, index: int) -> None:
        if self.pages:
            page = self.pages[min(max(index, 0), len(self.pages) - 1)]
            self.verticalScrollBar().setValue(page.geometry().top() - self.column.spacing())
            self._note_view()

    # -- Qt -----------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width() and self.fit:
            self._scale()
        self._settle.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self.pages:
            self._refit.start()
        self._settle.start()

    def _fit_holder(self) -> None:
        """Qt's scroll area does not always grow its widget when the pages get their images
        (pages squeezed into strips in patient mode), so it is grown here."""
        self.column.invalidate()
        wanted = self.holder.minimumSizeHint()
        if self.holder.height() < wanted.height() or self.holder.width() < wanted.width():
            self.holder.resize(max(wanted.width(), self.viewport().width()),
                               max(wanted.height(), self.viewport().height()))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.pages and not self.reading.is_read():
            self._settle.start()  # what is painted is what the reader sees

    # -- inside -----------------------------------------------------------------------------

    def _rescale_keeping_place(self) -> None:
        bar = self.verticalScrollBar()
        where = bar.value() / max(bar.maximum(), 1)
        self._scale()
        self.holder.adjustSize()
        bar.setValue(round(where * bar.maximum()))
        self.progressed.emit()

    def _scale(self) -> None:
        """Each page at the current zoom, from the rendered images (sharp up to their dpi)."""
        ratio = self.devicePixelRatioF()
        scale = self.scale()
        for image, (width_pt, _h), shown in zip(self.images, self.points, self.pages,
                                                  strict=True):
            pixmap = QPixmap.fromImage(image.scaledToWidth(
                round(width_pt * scale * ratio), Qt.TransformationMode.SmoothTransformation))
            pixmap.setDevicePixelRatio(ratio)
            shown.setPixmap(pixmap)
        self._refit.start()
        wanted = scale * ratio * 72
        if self.images and wanted > self.dpi * 1.1:
            self.wants_dpi.emit(wanted)
        self._settle.start()

    def _laid_out(self) -> bool:
        """Every page is at its place, as tall as its image, below the one before."""
        self.column.activate()
        bottom = -1
        for page in self.pages:
            pixmap = page.pixmap()
            rect = page.geometry()
            if pixmap.isNull() or abs(rect.height() - pixmap.deviceIndependentSize().height()) > 1 \
                    or rect.top() <= bottom:
                return False
            bottom = rect.bottom()
        return True

    def _note_view(self) -> None:
        """Count what is on screen now towards reading the document."""
        if not self.pages or not self.isVisible():
            return
        if not self._laid_out():  # new pages sit at (0, 0) until the layout has run
            self._settle.start()
            return
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        for index, page in enumerate(self.pages):
            rect = page.geometry()
            height = max(rect.height(), 1)
            seen_top, seen_bottom = max(top, rect.top()), min(bottom, rect.bottom() + 1)
            if seen_bottom > seen_top:
                self.reading.saw(index, (seen_top - rect.top()) / height,
                                 (seen_bottom - rect.top()) / height)
        self.progressed.emit()  # the page number may have moved even when nothing was read


class PdfViewer(QWidget):
    """A ``PageView`` with its controls; ``show_pdf`` renders a stored PDF off the thread."""

    def __init__(self, parent: QWidget | None = None, *, dpi: float = 110.0,
                 logs: Path | None = None) -> None:
        super().__init__(parent)
        self.view = PageView()
        self.logs = logs  # where a bug while rendering is logged
        self.pdf: bytes | None = None
        self.base_dpi = dpi
        self._rendering: float | None = None  # the dpi on its way
        self._wanted = 0.0
        self.background = Background(self)
        self.previous_button = QPushButton("‹ Previous")
        self.next_button = QPushButton("Next ›")
        self.where = label("", "muted", wrap=False)
        # on its own line under the buttons, wrapped: it never pushes a button out of sight
        self.read_state = label("", "small")
        self.zoom_out_button = QPushButton("−")
        self.zoom_label = label("", "muted", wrap=False)
        self.zoom_in_button = QPushButton("+")
        self.fit_button = QPushButton("Fit width")
        for button, name, keys in (
                (self.previous_button, "Previous page", ""),
                (self.next_button, "Next page", ""),
                (self.zoom_out_button, "Zoom out", "Ctrl+minus"),
                (self.zoom_in_button, "Zoom in", "Ctrl+plus"),
                (self.fit_button, "Fit the page to the width", "Ctrl+0")):
            button.setAccessibleName(name)
            button.setToolTip(f"{name} ({keys})" if keys else name)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        # the zoom's figure goes on the line under the buttons, beside what is left to read:
        # one row of buttons then fits beside the statements at 1280 px with larger text
        controls = row(self.previous_button, self.where, self.next_button,
                       self.zoom_out_button, self.zoom_in_button, self.fit_button, spacing=6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(controls)
        layout.addLayout(row(self.read_state, self.zoom_label, grow=self.read_state,
                             stretch=False))
        layout.addWidget(self.view, 1)
        self.previous_button.clicked.connect(lambda: self.step_page(-1))
        self.next_button.clicked.connect(lambda: self.step_page(1))
        self.zoom_out_button.clicked.connect(lambda: self.view.zoom_by(1 / ZOOM_STEP))
        self.zoom_in_button.clicked.connect(lambda: self.view.zoom_by(ZOOM_STEP))
        self.fit_button.clicked.connect(self.view.fit_width)
        self.view.progressed.connect(self._update_controls)
        self.view.wants_dpi.connect(self._render_at)
        self._update_controls()

    # -- documents --------------------------------------------------------------------------

    def show_document(self, key: str, pdf: bytes, pages: Sequence[PageImage],
                      dpi: float) -> None:
        """Pages rendered already (the review's render), and their PDF for sharper zooms."""
        self.pdf = pdf
        self.view.show_pages(key, pages, dpi)

    def show_pdf(self, key: str, pdf: bytes) -> None:
        """A PDF not rendered yet: its pages arrive from the background."""
        self.pdf, self.view.shown = pdf, ""
        self.view.show_status("Opening the document…")
        self._render_at(self.base_dpi * max(self.devicePixelRatioF(), 1.0), key=key)

    def wait(self, ms: int = -1) -> bool:
        return self.background.wait(ms)

    def step_page(self, step: int) -> None:
        self.view.go_to_page(self.view.current_page() + step)
        self.view.setFocus()

    # -- keys: Ctrl+plus/minus zoom here, whatever else they do elsewhere in the window ---------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and self._zoom_key(event) is not None:
            event.accept()  # the key comes to keyPressEvent instead of a window shortcut
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        action = self._zoom_key(event)
        if action is None:
            super().keyPressEvent(event)
            return
        action()
        event.accept()

    def _zoom_key(self, event: QKeyEvent) -> Callable[[], None] | None:
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return None
        key = event.key()
        if key in ZOOM_IN_KEYS:
            return lambda: self.view.zoom_by(ZOOM_STEP)
        if key == Qt.Key.Key_Minus:
            return lambda: self.view.zoom_by(1 / ZOOM_STEP)
        if key == Qt.Key.Key_0:
            return self.view.fit_width
        return None

    # -- inside -----------------------------------------------------------------------------

    def _update_controls(self) -> None:
        view = self.view
        count = len(view.pages)
        current = view.current_page()
        self.where.setText(f"Page {current + 1} of {count}" if count else "")
        self.previous_button.setEnabled(count > 0 and current > 0)
        self.next_button.setEnabled(count > 0 and current < count - 1)
        self.zoom_label.setText(f"{view.percent()} %" if count else "")
        remaining = view.reading.remaining()
        self.read_state.setText("" if not count else remaining or "✓ Read to the end")
        for button in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            button.setEnabled(count > 0)

    def _render_at(self, dpi: float, key: str | None = None) -> None:
        """Render the PDF again at ``dpi`` (one render at a time; the latest wish wins)."""
        pdf, key = self.pdf, key or self.view.shown
        self._wanted = max(self._wanted, dpi) if key == self.view.shown else dpi
        if pdf is None or self._rendering is not None:
            return
        self._rendering = dpi = round(self._wanted / 10 + 0.5) * 10

        def done(pages: tuple[PageImage, ...]) -> None:
            self._rendering = None
            if self.pdf is pdf:
                self.view.show_pages(key, pages, dpi)
                if self._wanted > dpi * 1.1:
                    self._render_at(self._wanted)

        def failed(exc: BaseException) -> None:
            self._rendering = None
            reason = explain(exc, self.logs, "Showing it") if self.logs else \
                "it could not be read"
            self.view.show_status(f"The document could not be shown: {reason}")
        self.background.run(lambda: rasterise(pdf, dpi=dpi), done, failed)

