"""Every screen fits from 1280 x 720 up, in both modes and at larger text: no sideways
scrolling, no control or text drawn smaller than it needs, nothing outside the window.

Set ``GLABELLA_SHOTS=/some/folder`` to also save each screen as a PNG there (for looking
at them; e.g. with ``QT_QPA_PLATFORM=offscreen:configfile=...`` for a 1366 x 768 screen,
and ``QT_SCALE_FACTOR=1.5`` for high DPI).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget
from pytestqt.exceptions import TimeoutError  # noqa: A004 - pytest-qt's own, raised by waitUntil

from app.ui import ConsultWindow, style
from tests.ui.fit_check import SIDEWAYS_OK, clipped

SIZES = {"1280x720": (1280, 720), "1366x768": (1366, 768), "1920x1080": (1920, 1080)}


class Shots:
    def __init__(self, folder: str | None, prefix: str) -> None:
        self.folder = Path(folder) if folder else None
        self.prefix = prefix
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)

    def take(self, window: QWidget, name: str) -> None:
        QCursor.setPos(window.mapToGlobal(window.rect().bottomRight()) + QPoint(50, 50))
        QApplication.processEvents()
        if self.folder is not None:
            window.grab().save(str(self.folder / f"{self.prefix}{name}.png"))


def no_sideways_scrolling(root: QWidget) -> list[str]:
    """Scroll areas showing a horizontal scroll bar (there should be none). The document
    viewer's pages are the exception: Larger text zooms them past the width on purpose."""
    return [area.accessibleName() or area.objectName() or type(area).__name__
            for area in root.findChildren(QAbstractScrollArea)
            if area.isVisible() and area.horizontalScrollBar().isVisible()
            and area.objectName() != SIDEWAYS_OK]


def inside(window: QWidget, widget: QWidget) -> bool:
    top_left = widget.mapTo(window, widget.rect().topLeft())
    bottom_right = widget.mapTo(window, widget.rect().bottomRight())
    return window.rect().contains(top_left) and window.rect().contains(bottom_right)


def cut_short(qtbot, window: QWidget) -> list[str]:
    """What is still drawn cut short once the screen has settled (a page's document
    images arrive a moment after the page)."""
    try:
        qtbot.waitUntil(lambda: not clipped(window), timeout=1500)
    except TimeoutError:
        pass  # said below: what is cut short
    return clipped(window)


def fits_the_smallest_screen(window: QWidget) -> bool:
    """A maximised window on 1280 x 720, less a title bar and a taskbar, is at least this."""
    need = window.minimumSizeHint().expandedTo(window.minimumSize())
    return need.width() <= 1280 and need.height() <= style.MIN_WINDOW[1]


@pytest.mark.parametrize(("size", "large"), [("1280x720", False), ("1280x720", True),
                                             ("1366x768", True), ("1920x1080", True)],
                         ids=["1280-normal", "1280-larger", "1366-larger", "1920-larger"])
def test_every_screen_fits(window, driver, qtbot, monkeypatch, size, large) -> None:
    width, height = SIZES[size]
    # the offscreen test screen is 800 x 800: patient mode's full screen is made this size
    monkeypatch.setattr(ConsultWindow, "showFullScreen",
                        lambda self: self.resize(width, height))
    shots = Shots(os.environ.get("GLABELLA_SHOTS"), f"{size}-{'large-' if large else ''}")
    window.resize(width, height)
    driver.fill_patient()
    driver.answer_all("no")
    driver.click(window.screening_page.cards["screen.bleeding"].yes)
    driver.choose_plan("product.dysport", ("area.glabellar", "area.forehead"))
    driver.open_faq(window.pack.faqs[2].id)
    if large:
        window.large_text_action.trigger()
    for page in window.pages:
        window.go_to(page.step_id)
        if page.step_id == "review":
            qtbot.waitUntil(lambda: window.review_page.is_current(), timeout=15000)
        shots.take(window, f"injector-{window.current_index() + 1}-{page.step_id}")
        assert no_sideways_scrolling(window) == [], page.step_id
        assert cut_short(qtbot, window) == [], page.step_id
        assert fits_the_smallest_screen(window), (page.step_id, window.minimumSizeHint())
        for button in (window.back_button, window.next_button, window.finalize_button):
            assert inside(window, button), (page.step_id, button.text())
        assert window.steps.verticalScrollBar().isVisible() is False

    assert window.hand_to_patient()
    view = window.patient_view
    if large:
        view.larger.click()
    shots.take(window, "patient-0-date-of-birth")
    assert cut_short(qtbot, window) == []
    assert inside(window, view.gate.continue_button)
    driver.type_into(view.gate.dob, "1988-04-17")
    view.gate.continue_button.click()
    for index, page in enumerate(view.pages, start=1):
        view.go_to(page.step_id)
        if page.step_id == "review":
            qtbot.waitUntil(lambda: view.review_page.is_current(), timeout=15000)
        if page.step_id == "risks":
            first = next(iter(view.risks_page.cards.values()))
            first.check.click()
            first.ask.click()
        shots.take(window, f"patient-{index}-{page.step_id}")
        assert no_sideways_scrolling(window) == [], page.step_id
        assert cut_short(qtbot, window) == [], page.step_id
        assert fits_the_smallest_screen(window), (page.step_id, window.minimumSizeHint())
        for button in (view.back_button, view.next_button, view.leave, view.larger):
            assert inside(window, button), (page.step_id, button.text())

    window.lock_patient_screen()
    shots.take(window, "patient-lock")
    assert inside(window, window.pin_overlay.card)
    assert cut_short(qtbot, window) == []
    driver.type_into(window.pin_overlay.entry.field, "246813")
    window.pin_overlay.buttons["staff"].click()
    assert window.mode == "injector"
    shots.take(window, "injector-after-patient-mode")

    window.open_settings()
    shots.take(window, "settings-pin")
    driver.type_into(window.pin_overlay.entry.field, "246813")
    window.pin_overlay.buttons["open"].click()
    dialog = window.settings_dialog
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        shots.take(dialog, f"settings-{dialog.tabs.tabText(index).lower()}")
        assert no_sideways_scrolling(dialog) == []
        assert cut_short(qtbot, dialog) == [], dialog.tabs.tabText(index)
    dialog.reject()

    window.lock("by hand")
    shots.take(window, "sign-in")
    assert inside(window, window.sign_in_screen.sign_in_button)
    assert no_sideways_scrolling(window) == []
    assert cut_short(qtbot, window) == []


def test_the_window_never_outgrows_its_screen(qtbot, service) -> None:
    """Not maximised, the window is 1366 x 768 at most and never larger than its screen
    (the offscreen screen here is 800 x 800); it was always 1366 x 768."""
    window = ConsultWindow(service)
    qtbot.addWidget(window)
    free = window.screen().availableGeometry()
    assert window.width() <= max(free.width(), style.MIN_WINDOW[0])
    assert window.height() <= max(free.height() - style.TITLE_BAR_PX, style.MIN_WINDOW[1])
    assert window.minimumWidth() <= 1280 and window.minimumHeight() <= 720


def elided_faq_questions(tree) -> list[str]:
    """FAQ questions whose row is too short for their wrapped text (drawn cut short)."""
    from PySide6.QtCore import QRect, Qt

    cut = []
    metrics = tree.fontMetrics()
    for i in range(tree.topLevelItemCount()):
        category = tree.topLevelItem(i)
        for j in range(category.childCount()):
            item = category.child(j)
            row = tree.visualItemRect(item)
            needed = metrics.boundingRect(QRect(0, 0, row.width() - 8, 10_000),
                                          Qt.TextFlag.TextWordWrap, item.text(0)).height()
            if row.height() < needed:
                cut.append(item.text(0))
    return cut


@pytest.mark.parametrize("large", [False, True], ids=["normal", "larger-text"])
def test_faq_questions_wrap_and_are_never_cut_short(window, qtbot, large) -> None:
    window.resize(1366, 768)
    window.show()
    window.large_text_action.setChecked(large)
    window.go_to("faq")
    tree = window.faq_page.tree
    qtbot.waitUntil(lambda: tree.viewport().width() > 100)
    QApplication.processEvents()
    assert elided_faq_questions(tree) == []
    # the longest question takes more than one line at the larger size
    if large:
        longest = max((tree.topLevelItem(i).child(j) for i in range(tree.topLevelItemCount())
                       for j in range(tree.topLevelItem(i).childCount())),
                      key=lambda item: len(item.text(0)))
        assert tree.visualItemRect(longest).height() > 1.8 * tree.fontMetrics().height()
