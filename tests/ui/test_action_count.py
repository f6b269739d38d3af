"""How long a consult takes to click and type: a new patient, and a returning one, from
sign-in to a stored consent.

The runs do what a clinic does, through real input events: the injector signs in, enters
the patient (a returning one is found by typing part of the name and picked with Down and
Enter, the plan then starts as last time), answers screening from the keyboard (N for each
"no"), the plan, and hands the screen over; the patient confirms their date of birth, ticks
every risk and expectation, looks at the document and signs; the injector takes the screen
back with the PIN, signs, finalizes.

Each click, key press or drawn signature is one action; typing into a field is one action
plus its characters; each wheel notch is one action. Nothing is scrolled for the user: a
control out of sight is scrolled to with wheel notches over its page, counted, until all of
it shows, as a user would. At a realistic pace (2 s per action, 0.3 s per character typed,
4 s to draw a signature, 0.5 s per wheel notch) the estimate must stay under the issue's 3
minutes. Reading time is not counted: it is the patient's own, and the point of the consult.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QRadioButton,
    QScrollArea,
    QWidget,
)

from app.clinic.settings import RECONSENT_MONTHS
from app.consult.demo import DEMO_PATIENT, build_demo_consent
from app.ui import ConsultWindow
from tests.test_amendments import sign_all
from tests.ui.conftest import PATIENT_DOB, wait_finalize

SECONDS_PER_ACTION = 2.0
SECONDS_PER_CHARACTER = 0.3
SECONDS_PER_SIGNATURE = 4.0
SECONDS_PER_NOTCH = 0.5
LIMIT_SECONDS = 180.0
# The targets are 55 actions for a new patient and 30 for a returning one; with
# every risk and expectation ticked one by one (29 ticks) a full consent cannot reach them.
# These ceilings are what the runs reach today: the counting is never loosened to meet them.
NEW_PATIENT_CEILING = 77
RETURNING_CEILING = 72
CONFIRMATION_CEILING = 44  # a clinic whose full consent holds 6 months
NOTCH = 120  # one wheel notch, in eighths of a degree


@dataclass
class Tally:
    clicks: int = 0
    fields: int = 0
    characters: int = 0
    signatures: int = 0
    notches: int = 0
    steps: dict[str, int] = field(default_factory=dict)

    @property
    def actions(self) -> int:
        return self.clicks + self.fields + self.signatures + self.notches

    @property
    def seconds(self) -> float:
        return ((self.clicks + self.fields) * SECONDS_PER_ACTION
                + self.characters * SECONDS_PER_CHARACTER
                + self.signatures * SECONDS_PER_SIGNATURE
                + self.notches * SECONDS_PER_NOTCH)


def _scroll_area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


class CountingUser:
    """Works the window through real input events, counting as it goes."""

    def __init__(self, driver, window: ConsultWindow) -> None:
        self.driver, self.window, self.tally = driver, window, Tally()
        self.qtbot = driver.qtbot
        self.part = ""

    def _count(self, n: int = 1) -> None:
        self.tally.steps[self.part] = self.tally.steps.get(self.part, 0) + n

    def scroll_to(self, widget: QWidget) -> None:
        """Wheel notches over the page until ``widget`` shows whole (or the page can scroll
        no further), each one counted."""
        area = _scroll_area_of(widget)
        if area is None:
            return
        viewport, bar = area.viewport(), area.verticalScrollBar()
        for _ in range(500):
            top = widget.mapTo(viewport, QPoint(0, 0)).y()
            bottom = top + min(widget.height(), viewport.height())
            if top >= 0 and bottom <= viewport.height():
                return
            before = bar.value()
            centre = QPointF(viewport.rect().center())
            event = QWheelEvent(centre, QPointF(viewport.mapToGlobal(centre.toPoint())),
                                QPoint(0, 0), QPoint(0, NOTCH if top < 0 else -NOTCH),
                                Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                                Qt.ScrollPhase.NoScrollPhase, False)
            QApplication.sendEvent(viewport, event)
            self.tally.notches += 1
            self._count()
            if bar.value() == before:
                return  # as far as it goes
        raise AssertionError("the wheel never brought the widget into view")

    def click(self, button: QAbstractButton) -> None:
        assert button.isVisible(), f"{button.text()!r} is not on the screen"
        self.scroll_to(button)
        self.counted()
        # tick boxes and radio buttons react to their box and label, not their whole width
        box = isinstance(button, QCheckBox | QRadioButton)
        pos = QPoint(12, button.height() // 2) if box else button.rect().center()
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=pos)

    def key(self, key: Qt.Key) -> None:
        """A key pressed wherever the keyboard is."""
        self.counted()
        self.qtbot.keyClick(self.focus(), key)

    def focus(self) -> QWidget:
        """Where the keyboard is in the window (also while it is not the active one)."""
        widget = QApplication.focusWidget() or self.window.focusWidget()
        assert widget is not None
        return widget

    def counted(self, n: int = 1) -> None:
        """Clicks made some other way (the toolbar, a list) or not simulated one by one."""
        self.tally.clicks += n
        self._count(n)

    def type(self, widget: QWidget, text: str) -> None:
        self.scroll_to(widget)
        self.tally.fields += 1
        self.tally.characters += len(text)
        self._count()
        self.driver.type_into(widget, text)

    def sign(self, pad: QWidget) -> None:
        self.scroll_to(pad)
        self.tally.signatures += 1
        self._count()
        self.driver.drag(pad, [(40 + 10 * i, 80 + (25 if i % 2 else -25)) for i in range(31)])

    def report(self, title: str) -> str:
        tally = self.tally
        lines = [f"  {part:<34}{count:>4}" for part, count in tally.steps.items()]
        return "\n".join([
            "", f"{title}, by simulated user actions (sign-in to stored consent):", *lines,
            f"  {'actions':<34}{tally.actions:>4}  ({tally.clicks} clicks and keys, "
            f"{tally.fields} fields typed, {tally.signatures} signatures drawn, "
            f"{tally.notches} wheel notches)",
            f"  {'characters typed':<34}{tally.characters:>4}",
            f"  estimated time at {SECONDS_PER_ACTION:g} s per action, "
            f"{SECONDS_PER_CHARACTER:g} s per character, {SECONDS_PER_SIGNATURE:g} s per "
            f"signature, {SECONDS_PER_NOTCH:g} s per notch: {tally.seconds:.0f} s "
            f"({tally.seconds / 60:.1f} min)"])


def sign_in(qtbot, service, driver_for) -> CountingUser:
    window = ConsultWindow(service)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    user = CountingUser(driver_for(window), window)
    user.part = "sign in"
    user.type(window.sign_in_screen.entry.field, "246813")  # the only staff member is chosen
    user.click(window.sign_in_screen.sign_in_button)
    assert window.mode == "injector"
    return user


def screening_by_keyboard(user: CountingUser) -> None:
    """N for each question: the answer is given and the next question comes up."""
    window = user.window
    user.part = "screening"
    for card in window.screening_page.cards.values():
        assert user.focus() in (card.yes, card.no)
        user.key(Qt.Key.Key_N)
    assert all(a.answer == "no" for a in window.consent.screening.values())
    user.click(window.next_button)


def vial(user: CountingUser) -> None:
    plan = user.window.plan_page
    user.type(plan.lot, "C1234A5")
    user.type(plan.expiry, "2027-06-30")
    user.click(user.window.next_button)


def patient_part_and_finish(user: CountingUser, service) -> None:
    """From "Hand to patient" to the stored consent: the same for every patient."""
    window, qtbot = user.window, user.qtbot
    user.part = "hand-over"
    user.counted()  # "Hand to patient" on the toolbar
    window.hand_action.trigger()
    view = window.patient_view
    user.type(view.gate.dob, PATIENT_DOB)
    user.click(view.gate.continue_button)

    user.part = "patient: risks and expectations"
    user.click(view.next_button)  # past "Your treatment"
    user.click(view.next_button)  # past the FAQ
    for card in view.risks_page.cards.values():
        user.click(card.check)

    user.part = "patient: document and signature"
    user.click(view.next_button)
    qtbot.waitUntil(view.review_page.is_current, timeout=20000)  # rendered
    user.click(view.review_page.sign_button)
    panel = view.signature_page.panels["patient"]
    user.sign(panel.pad)
    user.click(panel.accept)
    assert "patient" in window.consent.signatures

    user.part = "back to the injector"
    user.click(view.leave)
    user.type(window.pin_overlay.entry.field, "246813")
    user.click(window.pin_overlay.buttons["leave"])
    assert window.mode == "injector" and window.current_page() is window.signature_page

    user.part = "injector signs, finalizes"
    injector = window.signature_page.panels["injector"]
    user.sign(injector.pad)
    user.click(injector.accept)
    assert window.consent.missing(window.pack) == []
    user.click(window.finalize_button)
    wait_finalize(qtbot, window)
    assert window.current_page() is window.done_page


def test_a_new_patient_from_sign_in_to_stored_consent_in_under_three_minutes(
        qtbot, service, driver_for, capsys) -> None:
    user = sign_in(qtbot, service, driver_for)
    window = user.window

    user.part = "patient"
    user.type(window.patient_page.name, "Zoë Ñúñez-Łukasz")
    user.type(window.patient_page.dob, PATIENT_DOB)  # the injector: the signed-in staff
    assert not window.patient_page.suggestions.isVisible()  # nobody on record yet
    user.click(window.next_button)

    screening_by_keyboard(user)

    user.part = "treatment plan"
    plan = window.plan_page
    user.counted(2)  # open the product list, choose one
    qtbot.keyClick(plan.product, Qt.Key.Key_Down)
    rows = {row.area.id: row for row in plan.areas}
    for area in ("area.glabellar", "area.lateral-canthal"):
        user.click(rows[area].check)
    vial(user)

    user.part = "FAQ (two topics)"
    for faq in window.pack.faqs[:2]:
        user.counted()
        user.driver.open_faq(faq.id)

    patient_part_and_finish(user, service)
    assert len(service.store.list_consents()) == 1
    with capsys.disabled():
        print(user.report("A new patient"))
    assert user.tally.seconds < LIMIT_SECONDS
    assert user.tally.actions <= NEW_PATIENT_CEILING


def returning_run(qtbot, service, driver_for) -> CountingUser:
    """A patient treated before comes back: found by name, planned as last time."""
    earlier = build_demo_consent(service.pack, service.clock, replace(DEMO_PATIENT, id="zoe"))
    sign_all(service, earlier)
    service.finalize(earlier)
    user = sign_in(qtbot, service, driver_for)
    window = user.window

    user.part = "patient (found by name)"
    page = window.patient_page
    user.type(page.name, "nunez")
    user.key(Qt.Key.Key_Down)  # into the list of patients on record
    user.key(Qt.Key.Key_Return)
    assert window.consent.patient.id == "zoe"
    user.click(window.next_button)

    screening_by_keyboard(user)

    user.part = "treatment plan (as last time)"
    assert window.consent.plan.areas == earlier.plan.areas
    assert all(r.as_last_time.isVisible() for r in window.plan_page.areas if r.planned())
    vial(user)  # a new vial: its lot and expiry

    patient_part_and_finish(user, service)
    stored = service.store.list_consents()
    assert len(stored) == 2 and {c["patient_id"] for c in stored} == {"zoe"}
    return user


def test_a_returning_patient_found_and_planned_as_last_time(
        qtbot, service, driver_for, capsys) -> None:
    user = returning_run(qtbot, service, driver_for)
    assert user.window.consent.kind == "consent"  # the clinic's default: every visit
    with capsys.disabled():
        print(user.report("A returning patient"))
    assert user.tally.seconds < LIMIT_SECONDS
    assert user.tally.actions <= RETURNING_CEILING


def test_a_returning_patient_within_a_full_consent_signs_a_confirmation(
        qtbot, service, driver_for, capsys) -> None:
    """A clinic whose full consent holds 6 months: the visit is a treatment-day
    confirmation, one reminder ticked instead of the whole checklist."""
    service.store.set_setting(RECONSENT_MONTHS, "6")
    user = returning_run(qtbot, service, driver_for)
    assert user.window.consent.kind == "confirmation"
    with capsys.disabled():
        print(user.report("A returning patient, full consent on file (confirmation)"))
    assert user.tally.seconds < LIMIT_SECONDS
    assert user.tally.actions <= CONFIRMATION_CEILING
