"""Every screen fits 1366 x 768 without sideways scrolling, in both modes and at larger text.

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

from app.ui import ConsultWindow

SIZE = (1366, 768)


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
            and area.objectName() != "pageView"]


def inside(window: QWidget, widget: QWidget) -> bool:
    top_left = widget.mapTo(window, widget.rect().topLeft())
    bottom_right = widget.mapTo(window, widget.rect().bottomRight())
    return window.rect().contains(top_left) and window.rect().contains(bottom_right)


@pytest.fixture
def fullscreen_is_1366(monkeypatch) -> None:
    """The offscreen test screen is 800 x 800: patient mode's full screen is made 1366 x 768."""
    def show_full_screen(self: ConsultWindow) -> None:
        self.resize(*SIZE)

    monkeypatch.setattr(ConsultWindow, "showFullScreen", show_full_screen)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "larger-text"])
def test_every_screen_fits(window, driver, qtbot, fullscreen_is_1366, large) -> None:
    shots = Shots(os.environ.get("GLABELLA_SHOTS"), "large-" if large else "")
    window.resize(*SIZE)
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
        for button in (window.back_button, window.next_button, window.finalize_button):
            assert inside(window, button), (page.step_id, button.text())
        assert window.steps.verticalScrollBar().isVisible() is False

    assert window.hand_to_patient()
    view = window.patient_view
    if large:
        view.larger.click()
    shots.take(window, "patient-0-date-of-birth")
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
        for button in (view.back_button, view.next_button, view.leave, view.larger):
            assert inside(window, button), (page.step_id, button.text())

    window.lock_patient_screen()
    shots.take(window, "patient-lock")
    assert inside(window, window.pin_overlay.card)
    driver.type_into(window.pin_overlay.entry.field, "2468")
    window.pin_overlay.buttons["staff"].click()
    assert window.mode == "injector"
    shots.take(window, "injector-after-patient-mode")

    window.open_settings()
    shots.take(window, "settings-pin")
    driver.type_into(window.pin_overlay.entry.field, "2468")
    window.pin_overlay.buttons["open"].click()
    dialog = window.settings_dialog
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        shots.take(dialog, f"settings-{dialog.tabs.tabText(index).lower()}")
        assert no_sideways_scrolling(dialog) == []
    dialog.reject()

    window.lock("by hand")
    shots.take(window, "sign-in")
    assert inside(window, window.sign_in_screen.sign_in_button)
    assert no_sideways_scrolling(window) == []


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
