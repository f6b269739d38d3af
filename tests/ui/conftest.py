"""Fixtures for the window tests: offscreen Qt, a throw-away service, recorded dialogs, and
a driver that works the window the way a user does (typing, clicking, dragging)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QEvent, QPoint, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QApplication,
    QCheckBox,
    QMessageBox,
    QRadioButton,
    QWidget,
)

from app.clinic.staff import StaffDirectory, StaffMember  # noqa: E402
from app.runtime.service import Glabella  # noqa: E402
from app.ui import ConsultWindow  # noqa: E402

NOW = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)
PATIENT_NAME = "Zoë Ñúñez-Łukasz"
PATIENT_DOB = "1988-04-17"


def ui_clock() -> datetime:
    return NOW


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Glabella]:
    """A Glabella on a temporary data folder: tests never touch a real one."""
    opened = Glabella.open(tmp_path / "data", clock=ui_clock)
    yield opened
    opened.close()


class Dialogs:
    """Every message box the window tried to show, recorded instead of blocking the test."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answer = QMessageBox.StandardButton.Yes

    def record(self, kind: str) -> Callable[..., QMessageBox.StandardButton]:
        def show(_parent: QWidget, title: str, text: str, *_a: object, **_k: object
                 ) -> QMessageBox.StandardButton:
            self.shown.append((kind, title, text))
            return self.answer
        return show


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    recorder = Dialogs()
    for kind in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, recorder.record(kind))
    return recorder


def scrawl(x0: float = 40, y0: float = 80, width: float = 300) -> list[tuple[float, float]]:
    """A signature-like zig-zag, long and wide enough to count as ink."""
    return [(x0 + width * i / 30, y0 + (25 if i % 2 else -25)) for i in range(31)]


class Driver:
    """Drives a ConsultWindow through real input events."""

    def __init__(self, qtbot, window: ConsultWindow) -> None:
        self.qtbot, self.window = qtbot, window

    # -- primitives -------------------------------------------------------------------------

    def click(self, button: QAbstractButton) -> None:
        """Click a button; one on a step page is first brought into view, as a user would."""
        step = self._page_of(button)
        if step:
            self.window.go_to(step)
            self.window.current_page().reveal(button)
        # tick boxes and radio buttons react to their box and label, not their whole width
        box = isinstance(button, QCheckBox | QRadioButton)
        pos = QPoint(12, button.height() // 2) if box else button.rect().center()
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=pos)

    def type_into(self, widget: QWidget, text: str) -> None:
        """Type like a keyboard; QTest only knows ASCII, so other letters go as text events."""
        widget.setFocus()
        for ch in text:
            if ch.isascii():
                self.qtbot.keyClicks(widget, ch)
                continue
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
                QApplication.sendEvent(widget, event)

    def drag(self, widget: QWidget, points: list[tuple[float, float]]) -> None:
        """Press at the first point, move through the rest, release at the last."""
        first, *rest = [QPoint(round(x), round(y)) for x, y in points]
        self.qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=first)
        for point in rest:
            self.qtbot.mouseMove(widget, point)
        self.qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=(rest or [first])[-1])

    def _page_of(self, widget: QWidget) -> str:
        pages = self.window.pages if self.window.consult_built else []  # e.g. signing in
        return next((p.step_id for p in pages if p.isAncestorOf(widget)), "")

    # -- steps ------------------------------------------------------------------------------

    def fill_patient(self, name: str = PATIENT_NAME, dob: str = PATIENT_DOB,
                     injector: str = "Dana Whitfield", credentials: str = "RN") -> None:
        page = self.window.patient_page
        self.window.go_to("patient")
        self.type_into(page.name, name)
        if dob:
            self.type_into(page.dob, dob)
        page.injector_name.clear()
        self.type_into(page.injector_name, injector)
        page.credentials.clear()
        self.type_into(page.credentials, credentials)

    def answer_all(self, answer: str = "no") -> None:
        self.window.go_to("screening")
        for card in self.window.screening_page.cards.values():
            self.click(card.no if answer == "no" else card.yes)

    def choose_plan(self, product_id: str = "product.botox-cosmetic",
                    areas: tuple[str, ...] = ("area.glabellar",)) -> None:
        page = self.window.plan_page
        self.window.go_to("plan")
        page.product.setFocus()
        page.product.setCurrentIndex(page.product.findData(product_id))
        for row in page.areas:
            if row.area.id in areas:
                self.click(row.check)

    def open_faq(self, faq_id: str) -> None:
        page = self.window.faq_page
        self.window.go_to("faq")
        item = page.items[faq_id]
        page.tree.scrollToItem(item)
        rect = page.tree.visualItemRect(item)
        self.qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton,
                              pos=rect.center())

    def tick_all(self) -> None:
        self.window.go_to("risks")
        for card in list(self.window.risks_page.cards.values()):
            if not card.check.isChecked():
                self.click(card.check)

    def enter_pin(self, pin: str, action: str | None = None) -> None:
        """Type a PIN into the prompt over the window and press its button (or Enter)."""
        overlay = self.window.pin_overlay
        assert overlay.isVisible()
        self.type_into(overlay.entry.field, pin)
        if action is None:
            self.qtbot.keyClick(overlay.entry.field, Qt.Key.Key_Return)
        else:
            self.qtbot.mouseClick(overlay.buttons[action], Qt.MouseButton.LeftButton)

    def hand_over(self, dob: str = PATIENT_DOB) -> None:
        """Hand the screen to the patient, who confirms their date of birth."""
        assert self.window.hand_to_patient()
        gate = self.window.patient_view.gate
        self.type_into(gate.dob, dob)
        self.qtbot.mouseClick(gate.continue_button, Qt.MouseButton.LeftButton)

    def sign(self, role: str, points: list[tuple[float, float]] | None = None) -> None:
        panel = self.window.signature_page.panels[role]
        self.window.go_to("signatures")
        self.window.signature_page.reveal(panel.pad)
        self.drag(panel.pad, points or scrawl())
        self.click(panel.accept)


def demo_admin(service: Glabella) -> StaffMember:
    """The demo clinic's administrator (Dana Whitfield, RN; PIN 246813)."""
    return StaffDirectory(service.store).members()[0]


@pytest.fixture
def window(qtbot, service: Glabella) -> Iterator[ConsultWindow]:
    """The consult window with the demo administrator signed in."""
    win = ConsultWindow(service, staff=demo_admin(service))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.shutdown()  # a window left in patient mode refuses to close: stop its timers here


@pytest.fixture
def driver(qtbot, window: ConsultWindow) -> Driver:
    return Driver(qtbot, window)


@pytest.fixture
def drag(qtbot) -> Callable[[QWidget, list[tuple[float, float]]], None]:
    """Mouse-drag helper for tests that use a widget on its own."""
    return lambda widget, points: Driver(qtbot, None).drag(widget, points)  # type: ignore[arg-type]


@pytest.fixture
def signature_scrawl() -> Callable[..., list[tuple[float, float]]]:
    return scrawl



@pytest.fixture
def driver_for(qtbot) -> Iterator[Callable[[ConsultWindow], Driver]]:
    """A driver for a window the test made itself (e.g. one that starts signed out)."""
    made: list[ConsultWindow] = []

    def make(window: ConsultWindow) -> Driver:
        made.append(window)
        return Driver(qtbot, window)

    yield make
    for window in made:
        window.shutdown()


def wait_finalize(qtbot, window: ConsultWindow) -> None:
    """Finalize renders and certifies off the window's thread: wait for its outcome."""
    qtbot.waitUntil(lambda: not window.finalizing, timeout=30_000)
