"""How long a consult takes to click and type: a new patient from sign-in to a stored consent.

The run does what a clinic does, through real input events: the injector signs in, enters
the patient, screening and plan, opens two FAQ topics and hands the screen over; the
patient confirms their date of birth, ticks every risk and expectation, looks at the
document and signs; the injector takes the screen back with the PIN, signs, finalizes.

Each click, key shortcut or drawn signature is one action; typing into a field is one
action plus its characters. At a realistic pace (2 s per action, 0.3 s per character
typed, 4 s to draw a signature) the estimate must stay under the issue's 3 minutes.
Reading time is not counted: it is the patient's own, and the point of the consult.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QWidget

from app.ui import ConsultWindow
from tests.ui.conftest import wait_finalize

SECONDS_PER_ACTION = 2.0
SECONDS_PER_CHARACTER = 0.3
SECONDS_PER_SIGNATURE = 4.0
LIMIT_SECONDS = 180.0


@dataclass
class Tally:
    clicks: int = 0
    fields: int = 0
    characters: int = 0
    signatures: int = 0
    steps: dict[str, int] = field(default_factory=dict)

    @property
    def actions(self) -> int:
        return self.clicks + self.fields + self.signatures

    @property
    def seconds(self) -> float:
        return ((self.clicks + self.fields) * SECONDS_PER_ACTION
                + self.characters * SECONDS_PER_CHARACTER
                + self.signatures * SECONDS_PER_SIGNATURE)


class CountingUser:
    """Works the window through a test Driver, counting as it goes."""

    def __init__(self, driver, window: ConsultWindow) -> None:
        self.driver, self.window, self.tally = driver, window, Tally()
        self.part = ""

    def _count(self, n: int = 1) -> None:
        self.tally.steps[self.part] = self.tally.steps.get(self.part, 0) + n

    def click(self, button: QAbstractButton) -> None:
        self.counted()
        self.driver.click(button)

    def counted(self, n: int = 1) -> None:
        """Clicks made some other way (the toolbar, a list) or not simulated one by one."""
        self.tally.clicks += n
        self._count(n)

    def type(self, widget: QWidget, text: str) -> None:
        self.tally.fields += 1
        self.tally.characters += len(text)
        self._count()
        self.driver.type_into(widget, text)

    def sign(self, pad: QWidget) -> None:
        self.tally.signatures += 1
        self._count()
        self.driver.drag(pad, [(40 + 10 * i, 80 + (25 if i % 2 else -25)) for i in range(31)])


def test_a_new_patient_from_sign_in_to_stored_consent_in_under_three_minutes(
        qtbot, service, driver_for, capsys) -> None:
    window = ConsultWindow(service)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    user = CountingUser(driver_for(window), window)

    user.part = "sign in"
    user.type(window.sign_in_screen.entry.field, "2468")  # the only staff member is chosen
    user.click(window.sign_in_screen.sign_in_button)
    assert window.mode == "injector"

    user.part = "patient"
    user.type(window.patient_page.name, "Zoë Ñúñez-Łukasz")
    user.type(window.patient_page.dob, "1988-04-17")  # the injector: the signed-in staff
    user.click(window.next_button)

    user.part = "screening"
    for card in window.screening_page.cards.values():
        user.click(card.no)
    user.click(window.next_button)

    user.part = "treatment plan"
    plan = window.plan_page
    user.counted(2)  # open the product list, choose one
    qtbot.keyClick(plan.product, Qt.Key.Key_Down)
    rows = {row.area.id: row for row in plan.areas}
    for area in ("area.glabellar", "area.lateral-canthal"):
        user.click(rows[area].check)
    user.type(plan.lot, "C1234A5")
    user.type(plan.expiry, "2027-06-30")
    user.click(window.next_button)

    user.part = "FAQ (two topics)"
    for faq in window.pack.faqs[:2]:
        user.counted()
        user.driver.open_faq(faq.id)

    user.part = "hand-over"
    user.counted()  # "Hand to patient" on the toolbar
    window.hand_action.trigger()
    view = window.patient_view
    user.type(view.gate.dob, "1988-04-17")
    user.click(view.gate.continue_button)

    user.part = "patient: risks and expectations"
    user.click(view.next_button)  # past "Your treatment"
    user.click(view.next_button)  # past the FAQ
    for card in view.risks_page.cards.values():
        view.risks_page.reveal(card)
        user.click(card.check)

    user.part = "patient: document and signature"
    user.click(view.next_button)
    qtbot.waitUntil(view.review_page.is_current, timeout=20000)  # rendered
    user.click(view.review_page.sign_button)
    panel = view.signature_page.panels["patient"]
    view.signature_page.reveal(panel.pad)
    user.sign(panel.pad)
    user.click(panel.accept)
    assert "patient" in window.consent.signatures

    user.part = "back to the injector"
    user.click(view.leave)
    user.type(window.pin_overlay.entry.field, "2468")
    user.click(window.pin_overlay.buttons["leave"])
    assert window.mode == "injector" and window.current_page() is window.signature_page

    user.part = "injector signs, finalizes"
    injector = window.signature_page.panels["injector"]
    window.signature_page.reveal(injector.pad)
    user.sign(injector.pad)
    user.click(injector.accept)
    assert window.consent.missing(window.pack) == []
    user.click(window.finalize_button)
    wait_finalize(qtbot, window)
    assert window.current_page() is window.done_page
    assert len(service.store.list_consents()) == 1

    tally = user.tally
    lines = [f"  {part:<34}{count:>4}" for part, count in tally.steps.items()]
    report = "\n".join([
        "", "Consult by simulated user actions (sign-in to stored consent):", *lines,
        f"  {'actions':<34}{tally.actions:>4}  ({tally.clicks} clicks and keys, "
        f"{tally.fields} fields typed, {tally.signatures} signatures drawn)",
        f"  {'characters typed':<34}{tally.characters:>4}",
        f"  estimated time at {SECONDS_PER_ACTION:g} s per action, "
        f"{SECONDS_PER_CHARACTER:g} s per character, {SECONDS_PER_SIGNATURE:g} s per "
        f"signature: {tally.seconds:.0f} s ({tally.seconds / 60:.1f} min)"])
    with capsys.disabled():
        print(report)
    assert tally.seconds < LIMIT_SECONDS
    window.shutdown()
