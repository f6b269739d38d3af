"""TEMPORARY: a curious patient at the keyboard, real X input via xdotool (not committed)."""
import subprocess

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import PATIENT_DOB
from tests.ui.test_patient_mode import ready_for_patient

OUT = "/tmp/shots"
LOG = []


def xdo(*args):
    subprocess.run(["xdotool", *args], check=False)


def shot(qtbot, name, note=""):
    qtbot.wait(500)
    QGuiApplication.primaryScreen().grabWindow(0).save(f"{OUT}/{name}.png")
    w = QApplication.activeWindow()
    LOG.append(f"{name}: {note}")


def state(window):
    return (f"mode={window.mode} staff={window.staff.display_name if window.staff else None} "
            f"locked={window.patient_mode.locked} overlay={window.pin_overlay.isVisible()} "
            f"page={window.patient_view.current_page().step_id if window.mode == 'patient' and not window.patient_view.in_gate() else '-'}")


def test_explore(window, driver, qtbot, monkeypatch):
    monkeypatch.undo()  # real message boxes
    window.activateWindow(); window.raise_()
    qtbot.wait(300)
    ready_for_patient(driver)
    assert window.hand_to_patient()
    qtbot.wait(500)
    window.activateWindow()
    shot(qtbot, "01-gate", state(window))
    # wrong date of birth, typed for real
    window.patient_view.gate.dob.setFocus()
    xdo("type", "--delay", "30", "1990-01-01"); xdo("key", "Return")
    shot(qtbot, "02-wrong-dob", state(window))
    # sign in again with the demo PIN through real keys
    xdo("type", "--delay", "30", "2468"); xdo("key", "Return")
    qtbot.wait(800)
    shot(qtbot, "03-signed-in-again", state(window))
    assert window.hand_to_patient()
    qtbot.wait(400)
    window.activateWindow()
    window.patient_view.gate.dob.setFocus()
    xdo("type", "--delay", "30", PATIENT_DOB); xdo("key", "Return")
    qtbot.wait(500)
    shot(qtbot, "04-in-patient-mode", state(window))
    for keys in ["Escape", "alt+F4", "ctrl+r", "ctrl+l", "ctrl+comma", "ctrl+n", "ctrl+q",
                 "F11", "ctrl+w", "super"]:
        xdo("key", keys)
        qtbot.wait(400)
        LOG.append(f"key {keys}: {state(window)}")
        if window.pin_overlay.isVisible() and not window.patient_mode.locked:
            shot(qtbot, f"05-after-{keys}", state(window))
            xdo("key", "Escape"); qtbot.wait(300)
    # jump to sign
    window.patient_view.go_to("signatures")
    shot(qtbot, "06-sign-gate", state(window))
    # wrong PINs at Return to staff
    driver.click(window.patient_view.leave)
    qtbot.wait(300)
    for pin in ["0000", "1234", "1111", "2222"]:
        xdo("type", "--delay", "20", pin); xdo("key", "Return"); qtbot.wait(400)
    shot(qtbot, "07-wrong-pins", state(window))
    xdo("key", "Escape"); qtbot.wait(300)
    LOG.append(f"after escape on pin prompt: {state(window)}")
    # leave the window: alt+tab to an xterm-like second window
    helper = subprocess.Popen(["python3", "-c", "import time; time.sleep(30)"])
    xdo("key", "alt+Tab"); qtbot.wait(800)
    shot(qtbot, "08-alt-tab", state(window))
    helper.kill()
    # unlock for the patient with the demo PIN
    xdo("type", "--delay", "20", "2468"); xdo("key", "Return"); qtbot.wait(600)
    shot(qtbot, "09-after-unlock-enter", state(window))
    # minimise
    wid = subprocess.run(["xdotool", "search", "--name", "Glabella"], capture_output=True,
                         text=True).stdout.split()
    LOG.append(f"windows: {wid}")
    if wid:
        xdo("windowminimize", wid[-1]); qtbot.wait(800)
        LOG.append(f"after minimise: {state(window)}")
        window.showFullScreen(); window.activateWindow(); qtbot.wait(600)
        shot(qtbot, "10-restored", state(window))
    open(f"{OUT}/log.txt", "w").write("\n".join(LOG))
