"""The records window's date presets (one click each) and its CSV register export."""

from __future__ import annotations

import csv
import os
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.ui.records import RecordsWindow
from tests.ui.test_records_screen import TZ, built, listed, service  # noqa: F401 (fixtures)


@pytest.fixture
def records_on(qtbot, service):  # noqa: F811 - the imported fixture
    """The records window with the clinic's clock at ``when``."""
    def make(when: datetime) -> RecordsWindow:
        service.clock = lambda: when
        win = RecordsWindow(service, actor=lambda: "Dana Whitfield, RN")
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        return win
    return make


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_date_presets_filter_the_register_in_one_click(records_on, built, qtbot):  # noqa: F811
    ids = built[1]
    win = records_on(datetime(2026, 6, 1, 12, 0, tzinfo=TZ))
    assert len(listed(win)) == 4
    click(qtbot, win.filters.presets["Today"])
    assert listed(win) == [ids["hanako"]]
    assert (win.filters.date_from.value(), win.filters.date_to.value()) == \
        (date(2026, 6, 1), date(2026, 6, 1))
    click(qtbot, win.filters.presets["Last month"])  # 2 May to 1 June
    assert listed(win) == [ids["hanako"], ids["zoe_may"]]
    click(qtbot, win.filters.clear_button)
    assert len(listed(win)) == 4
    win.close()
    win = records_on(datetime(2026, 5, 25, 9, 0, tzinfo=TZ))
    click(qtbot, win.filters.presets["Last 7 days"])  # 19 to 25 May
    assert listed(win) == [ids["zoe_may"]]
    assert win.filters.date_from.value() == date(2026, 5, 19)


def test_the_register_is_exported_as_csv_from_the_window(records_on, built, qtbot,  # noqa: F811
                                                         tmp_path, monkeypatch):
    ids = built[1]
    win = records_on(datetime(2026, 6, 1, 12, 0, tzinfo=TZ))
    asked: list[str] = []

    def save_as(_parent, _title, suggested, _filter):  # noqa: ANN001
        asked.append(suggested)
        return str(tmp_path / "usb" / "register"), "CSV files (*.csv)"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    click(qtbot, win.export_button)
    assert asked[0].endswith("register-2026-06-01.csv")
    out = tmp_path / "usb" / "register.csv"  # the extension added
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["consent_id"] for r in rows) == sorted(
        ids[k] for k in ("zoe_march", "zoe_may", "ana", "hanako"))
    assert {r["patient_name"] for r in rows} >= {"Zoë Ñúñez-Łukasz", "Ana Núñez", "山田 花子"}
    assert win.statusBar().currentMessage() == f"Exported 4 consents to {out}."


def test_exporting_to_a_read_only_folder_says_why(records_on, qtbot, tmp_path,  # noqa: F811
                                                  monkeypatch, dialogs):
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
    elif subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
        pytest.skip("running as root without chattr: cannot make a read-only folder")
    try:
        win = records_on(datetime(2026, 6, 1, 12, 0, tzinfo=TZ))
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *_a: (str(folder / "register.csv"), ""))
        click(qtbot, win.export_button)
    finally:
        if os.geteuid() != 0:
            folder.chmod(0o755)
        else:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    [(kind, title, text)] = dialogs.shown
    assert (kind, title) == ("critical", "Register not exported")
    assert text.startswith(f"The register could not be saved to {folder / 'register.csv'}: "
                           "the folder or file is read-only")
    assert "Traceback" not in text
    assert list(Path(folder).iterdir()) == []
