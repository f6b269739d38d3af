"""Contrast, accessible names and a visible keyboard focus, on every screen."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QWidget

from app.ui import style


def luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # WCAG's example


@pytest.mark.parametrize("foreground, background, where", style.TEXT_PAIRS,
                         ids=[w for *_, w in style.TEXT_PAIRS])
def test_every_text_colour_pair_meets_wcag_aa(foreground, background, where) -> None:
    assert contrast(foreground, background) >= 4.5, where


@pytest.mark.parametrize("body_pt", [style.BODY_PT, style.PATIENT_LARGE_BODY_PT])
def test_the_stylesheet_uses_no_text_colour_outside_the_checked_pairs(body_pt) -> None:
    sheet = style.stylesheet(body_pt)
    used = set(re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", sheet))
    used |= set(re.findall(r"selection-color:\s*(#[0-9a-fA-F]{6})", sheet))
    checked = {fg.lower() for fg, _, _ in style.TEXT_PAIRS}
    assert used and {c.lower() for c in used} <= checked


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface else ""


def interactive(root: QWidget) -> list[QWidget]:
    """Widgets a keyboard user can reach on this screen right now."""
    return [w for w in root.findChildren(QWidget)
            if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
            and not w.objectName().startswith("qt_") and w.parent() is not None
            and "QScrollBar" not in type(w).__name__]


def unnamed(root: QWidget) -> list[str]:
    return [f"{type(w).__name__} {w.objectName()}" for w in interactive(root)
            if not accessible_name(w)]


def every_screen(window, driver, qtbot):
    """Walk the window through each screen, yielding a name for each."""
    driver.fill_patient()
    driver.click(window.screening_page.cards["screen.pregnancy"].yes)
    driver.choose_plan("product.dysport", ("area.glabellar", "area.forehead"))
    driver.open_faq(window.pack.faqs[0].id)
    for page in window.pages:
        window.go_to(page.step_id)
        yield f"injector {page.step_id}"
    window.hand_to_patient()
    yield "patient date of birth"
    driver.type_into(window.patient_view.gate.dob, "1988-04-17")
    window.patient_view.gate.continue_button.click()
    for page in window.patient_view.pages:
        window.patient_view.go_to(page.step_id)
        yield f"patient {page.step_id}"
    window.lock_patient_screen()
    yield "patient lock"
    driver.enter_pin("246813", "staff")
    window.lock("by hand")
    yield "sign-in"


def test_every_interactive_control_has_an_accessible_name(window, driver, qtbot) -> None:
    problems = {}
    for screen in every_screen(window, driver, qtbot):
        missing = unnamed(window)
        if missing:
            problems[screen] = missing
    assert problems == {}


def test_settings_controls_have_accessible_names(window, driver) -> None:
    window.settings_action.trigger()
    driver.enter_pin("246813", "open")
    dialog = window.settings_dialog
    problems = {}
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        missing = unnamed(dialog)
        if missing:
            problems[dialog.tabs.tabText(index)] = missing
    assert problems == {}


def test_the_keyboard_focus_is_visible_on_every_control(window, driver, qtbot) -> None:
    """Each control looks different with the focus than without it."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    invisible = {}
    for screen in every_screen(window, driver, qtbot):
        for widget in interactive(window):
            window.setFocus()  # a neutral place
            QApplication.processEvents()
            before = widget.grab().toImage()
            widget.setFocus(Qt.FocusReason.TabFocusReason)
            QApplication.processEvents()
            if not widget.hasFocus():
                continue
            if widget.grab().toImage() == before:
                invisible.setdefault(screen, []).append(
                    accessible_name(widget) or type(widget).__name__)
    assert invisible == {}
