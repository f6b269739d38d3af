"""What every step page shares: a heading, a scrolling body, and the edit-then-signal loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from app.consult.consent import Consent
from app.runtime.service import Glabella
from app.ui.widgets import label


class StepPage(QWidget):
    """One step of the consult, a thin view over ``self.consent``.

    Pages change the consent only through ``apply`` and then emit ``changed``; the window
    answers every ``changed`` by calling ``sync`` on all pages, which updates what depends
    on other steps without overwriting anything the user is typing.
    """

    changed = Signal()
    step_id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    nav_title: ClassVar[str] = ""  # the name in the step list, when shorter than the title
    intro: ClassVar[str] = ""
    # In patient mode the same page speaks to the patient: its own title and words.
    patient_title: ClassVar[str] = ""
    patient_intro: ClassVar[str] = ""
    scrolls: ClassVar[bool] = True

    def __init__(self, service: Glabella, parent: QWidget | None = None, *,
                 for_patient: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.service = service
        self.pack = service.pack
        self.for_patient = for_patient
        self.consent: Consent | None = None
        self.read_only = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        header = QWidget()
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(28, 20, 28, 8)
        header_layout.setSpacing(4)
        self.heading = label(self.page_title(), "h1")
        header_layout.addWidget(self.heading)
        intro = self.patient_intro if for_patient and self.patient_intro else self.intro
        if intro:
            header_layout.addWidget(label(intro, "intro"))
        outer.addWidget(header)

        self.body = QWidget()
        self.body.setObjectName("body")
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(28, 8, 28, 24)
        self.body_layout.setSpacing(14)
        # not ``scroll``: that name is QWidget's method for scrolling its contents
        self.scroll_area: QScrollArea | None = None
        if self.scrolls:
            self.scroll_area = QScrollArea()
            self.scroll_area.setWidgetResizable(True)
            self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
            # not a Tab stop of its own: focus moving through the page scrolls it, and
            # PgUp/PgDn from any control inside reach it
            self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.scroll_area.setWidget(self.body)
            outer.addWidget(self.scroll_area, 1)
        else:
            outer.addWidget(self.body, 1)

    @classmethod
    def step_name(cls) -> str:
        return cls.nav_title or cls.title

    def page_title(self) -> str:
        return self.patient_title if self.for_patient and self.patient_title else self.title

    def nav_name(self) -> str:
        """The name in the step list: in patient mode, the page's patient title."""
        return self.page_title() if self.for_patient else self.step_name()

    # -- the window calls these -----------------------------------------------------------

    def bind(self, consent: Consent) -> None:
        """Show a (new) consent: every widget is reset from the model."""
        self.consent = consent
        self.set_read_only(consent.finalized_at is not None)
        self.load()

    def load(self) -> None:
        """Reset widgets from ``self.consent``."""

    def sync(self) -> None:
        """The consent changed (maybe on another page): update what depends on it."""

    def leave(self) -> None:
        """The user is moving to another step."""

    def enter(self) -> None:
        """This step is now the one shown."""

    def first_focus(self) -> QWidget | None:
        """Where the keyboard starts when the step opens (None: the step list keeps it)."""
        return None

    def focus_item(self, item_id: str) -> None:
        """Bring the widget for ``item_id`` (a question, item or role) into view."""

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.body.setEnabled(not read_only)

    # -- helpers for subclasses -------------------------------------------------------------

    def apply(self, change: Callable[[Consent], object]) -> None:
        """Make one change to the consent and tell the window; ignored once finalized."""
        if self.consent is None or self.read_only:
            return
        change(self.consent)
        self.changed.emit()

    def reveal(self, widget: QWidget) -> None:
        if self.scroll_area is not None:
            self.scroll_area.ensureWidgetVisible(widget, 40, 60)


def fresh_content(body_layout: QVBoxLayout, old: QWidget, spacing: int
                  ) -> tuple[QWidget, QVBoxLayout]:
    """A new, empty widget in ``old``'s place in ``body_layout``, for a part of a page that
    is rebuilt whole from the consent, and the layout to fill it through; ``old`` is hidden
    at once and deleted once Qt is done with it."""
    content = QWidget()
    content.setObjectName("body")
    layout = QVBoxLayout(content)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    body_layout.replaceWidget(old, content)
    old.hide()
    old.deleteLater()
    return content, layout


def off_label_lines(reasons: list[str]) -> str:
    """The off-label reasons as staff read them above the plan and the disclosure."""
    return "Off-label in this plan:\n" + "\n".join(f"•  {r}" for r in reasons)
