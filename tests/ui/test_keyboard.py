"""A whole consult from sign-in to a stored consent with the keyboard alone."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.ui import ConsultWindow

CTRL = Qt.KeyboardModifier.ControlModifier


class Keyboard:
    """Keys go to whatever has the focus, as on a real keyboard; nothing is clicked."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.presses = 0

    @staticmethod
    def focused() -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
            ) -> None:
        self.presses += 1
        self.qtbot.keyClick(self.focused(), key, modifier)

    def type(self, text: str) -> None:
        for ch in text:
            self.presses += 1
            if ch.isascii():
                self.qtbot.keyClicks(self.focused(), ch)
                continue
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(self.focused(), QKeyEvent(
                    kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))

    def tab_to(self, target: QWidget, limit: int = 60) -> int:
        """Press Tab until ``target`` has the focus; how many presses it took."""
        for count in range(limit + 1):
            if self.focused() is target:
                return count
            self.key(Qt.Key.Key_Tab)
        raise AssertionError(f"Tab never reached {target.accessibleName() or target}")


def test_a_whole_consult_with_the_keyboard_only(qtbot, service, drag, signature_scrawl
                                                ) -> None:
    """Every step by keys: Tab, Space, arrows, typing, Enter, Ctrl+PgDown for Next.

    The one exception is the signature itself: a signature pad takes pointer input (mouse,
    finger, stylus) by nature, and typing a name is not a signature image. The strokes are
    drawn with pointer events; everything around them (Accept included) is keys.
    """
    window = ConsultWindow(service)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    keys = Keyboard(qtbot)

    # sign in: one staff member, so the PIN field already has the focus
    assert keys.focused() is window.sign_in_screen.entry.field
    keys.type("246813")
    keys.key(Qt.Key.Key_Return)
    assert window.mode == "injector"

    # patient: name, date of birth; the injector is the signed-in staff member
    page = window.patient_page
    assert keys.focused() is page.name
    keys.type("Zoë Ñúñez-Łukasz")
    keys.key(Qt.Key.Key_Tab)
    assert keys.focused() is page.dob
    keys.type("1988-04-17")
    assert window.consent.patient is not None
    assert window.consent.injector.display_name == "Dana Whitfield, RN"

    # screening: Next puts the keyboard on the first question; as in any radio group, Tab
    # enters the Yes/No pair, an arrow moves within it and Space chooses
    keys.key(Qt.Key.Key_PageDown, CTRL)
    assert window.current_page() is window.screening_page
    for card in window.screening_page.cards.values():
        keys.tab_to(card.yes)
        keys.key(Qt.Key.Key_Right)
        keys.key(Qt.Key.Key_Space)
        assert card.answer() == "no", card.question.text
    assert len(window.consent.screening) == len(window.pack.screening)

    # plan: the product by arrow key, an area by Space
    keys.key(Qt.Key.Key_PageDown, CTRL)
    plan = window.plan_page
    assert keys.focused() is plan.product
    keys.key(Qt.Key.Key_Down)
    assert window.consent.plan.product_id == "product.botox-cosmetic"
    keys.tab_to(plan.areas[0].check)
    keys.key(Qt.Key.Key_Space)
    assert window.consent.plan.area_ids() == ["area.glabellar"]

    # FAQ: type to search, Enter opens the first match, arrows the next ones, Space marks
    # a topic discussed
    keys.key(Qt.Key.Key_PageDown, CTRL)
    faq = window.faq_page
    assert keys.focused() is faq.search
    keys.type("bruise")
    keys.key(Qt.Key.Key_Return)
    assert keys.focused() is faq.tree and len(window.consent.faq_views) == 1
    assert "bruis" in faq.answer.toPlainText().lower()
    keys.tab_to(faq.discussed)
    keys.key(Qt.Key.Key_Space)
    assert any(v.discussed_in_person for v in window.consent.faq_views.values())

    # risks and expectations: Space on each tick box, one at a time
    keys.key(Qt.Key.Key_PageDown, CTRL)
    checklist = window.risks_page
    for card in checklist.cards.values():
        keys.tab_to(card.check)
        keys.key(Qt.Key.Key_Space)
    assert not [m for m in window.consent.missing(window.pack) if m.step == "risks"]

    # review: the document, scrolled by keys
    keys.key(Qt.Key.Key_PageDown, CTRL)
    assert keys.focused() is window.review_page.pages
    qtbot.waitUntil(window.review_page.is_current, timeout=20000)
    scroll = window.review_page.pages.verticalScrollBar()
    qtbot.waitUntil(lambda: scroll.maximum() > 0)  # laid out
    keys.key(Qt.Key.Key_PageDown)
    assert scroll.value() > 0

    # signatures: strokes by pointer (see above); Accept by keys
    keys.key(Qt.Key.Key_PageDown, CTRL)
    for role in ("patient", "injector"):
        panel = window.signature_page.panels[role]
        keys.tab_to(panel.pad)
        window.signature_page.reveal(panel.pad)
        drag(panel.pad, signature_scrawl())
        keys.tab_to(panel.accept)
        keys.key(Qt.Key.Key_Space)
        assert role in window.consent.signatures

    # finalize
    assert window.finalize_button.isEnabled()
    keys.tab_to(window.finalize_button, limit=80)
    with qtbot.waitSignal(window.finalized):
        keys.key(Qt.Key.Key_Space)
    assert window.current_page() is window.done_page
    [row] = service.store.list_consents()
    assert row["patient_name"] == "Zoë Ñúñez-Łukasz"
    print(f"\nkeyboard-only consult: {keys.presses} key presses")
    window.shutdown()


def test_tab_leaves_a_date_box_that_is_not_set(qtbot, window, driver) -> None:
    """No keyboard trap: an unset expiry (the plan's next fields are the areas) lets Tab on."""
    driver.fill_patient()
    window.go_to("plan")
    plan = window.plan_page
    plan.expiry.setFocus()
    assert not plan.expiry.is_set()
    qtbot.keyClick(plan.expiry, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is plan.areas[0].check
