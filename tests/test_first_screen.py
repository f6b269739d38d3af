"""The sign-in screen's content, read before the records are opened properly."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from app.base.paths import DataPaths
from app.clinic.staff import DEMO_HINT, DEMO_PIN_KEY, StaffDirectory
from app.runtime.first_screen import read_first_screen
from app.runtime.instance_lock import AlreadyOpenError, InstanceLock
from app.runtime.service import Glabella
from tests import db_keys


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder as an every-day start finds it: made, then closed."""
    folder = tmp_path / "data"
    Glabella.open(folder).close()
    return folder


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_it_reads_the_clinic_the_staff_and_the_demo_hint_and_holds_the_lock(data_dir) -> None:
    before = _sha256(DataPaths(data_dir).database)
    first = read_first_screen(data_dir)
    assert first is not None
    try:
        assert first.clinic_name == "Glabella Demo Clinic"
        assert [m.display_name for m in first.members] == ["Dana Whitfield, RN"]
        assert first.demo_hint == DEMO_HINT
        assert first.lock.held
        with pytest.raises(AlreadyOpenError):  # a second Glabella waits for this one
            InstanceLock(DataPaths(data_dir).lock).acquire()
        # and the full open goes on with the lock it was given
        service = Glabella.open(data_dir, lock=first.lock)
        assert [m.id for m in StaffDirectory(service.store).members()] == \
            [m.id for m in first.members]
        service.close()
        assert not first.lock.held
    finally:
        first.lock.release()
    assert _sha256(DataPaths(data_dir).database) == before  # a look changes nothing


def test_staff_changes_show_on_the_next_start(data_dir) -> None:
    service = Glabella.open(data_dir)
    directory = StaffDirectory(service.store)
    demo = directory.members()[0]
    added = directory.add("Ünal Şahin-高橋", "MD", "Dermatologist", "975318")
    directory.reset_pin(demo.id, "135792")  # no longer the demo PIN
    service.close()
    first = read_first_screen(data_dir)
    assert first is not None
    first.lock.release()
    assert {m.id for m in first.members} == {demo.id, added.id}
    assert first.demo_hint == ""


def test_an_older_database_without_the_fingerprint_shows_the_hint_once_open(data_dir) -> None:
    with db_keys.open_store(DataPaths(data_dir).database) as store:
        store.database.execute("DELETE FROM settings WHERE key = ?", [DEMO_PIN_KEY])
        store.database.conn.commit()
    first = read_first_screen(data_dir)
    assert first is not None
    first.lock.release()
    assert first.demo_hint == ""  # no scrypt before the first paint...
    service = Glabella.open(data_dir)
    assert StaffDirectory(service.store).demo_hint() == DEMO_HINT  # ...but once open
    service.close()


def test_anything_unusual_leaves_it_to_the_full_open(tmp_path, data_dir) -> None:
    assert read_first_screen(tmp_path / "nothing-here") is None
    not_sqlite = tmp_path / "text"
    not_sqlite.mkdir()
    (not_sqlite / "glabella.db").write_text("not a database", encoding="utf-8")
    assert read_first_screen(not_sqlite) is None
    assert (not_sqlite / "glabella.db").read_text(encoding="utf-8") == "not a database"
    InstanceLock(DataPaths(not_sqlite).lock).acquire().release()  # it was let go

    empty = tmp_path / "empty"
    empty.mkdir()
    db_keys.open_store(DataPaths(empty).database).close()  # a database, nobody on the staff list
    assert read_first_screen(empty) is None

    with InstanceLock(DataPaths(data_dir).lock):  # another Glabella has the folder
        assert read_first_screen(data_dir) is None


def test_the_first_screen_path_loads_neither_sqlite_utils_nor_the_records() -> None:
    code = ("import sys, app.cli.main, app.runtime.first_screen, app.ui\n"
            "heavy = ('sqlite_utils', 'app.runtime.service', 'app.consult.consent',\n"
            "         'app.consult.content', 'app.clinic.settings', 'db.store', 'reportlab',\n"
            "         'pyhanko')\n"
            "print(','.join(sorted(m for m in sys.modules if m in heavy)))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={"QT_QPA_PLATFORM": "offscreen",
                                             "PATH": "/usr/bin:/bin"})
    assert result.stdout.strip() == ""
