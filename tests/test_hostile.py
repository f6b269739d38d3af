"""Hostile conditions: each a plain message, the consult kept, nothing stored half-way.

A second running copy, a read-only folder or file, a full disk (a file-size limit in a
child process; a real full file system when the tests run as root), a corrupt or foreign
file, a database from a newer Glabella, and a database kept busy by another program.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.cli.main import main
from app.consult.demo import build_demo_consent
from app.runtime.instance_lock import ALREADY_OPEN
from app.runtime.service import (
    AlreadyOpen,
    DamagedDatabaseError,
    Glabella,
    OpenError,
    ReadOnlyError,
    SaveFailed,
    open_service,
)
from tests import db_keys

REPO = Path(__file__).resolve().parent.parent
HOLD_OPEN = """
import sys
from pathlib import Path
from app.runtime.service import Glabella
service = Glabella.open(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def clinic(certified, tmp_path):
    return certified.copy(tmp_path / "data")


@pytest.fixture
def draft_file(clinic, pack, clock, tmp_path) -> tuple[Path, str]:
    consent = build_demo_consent(pack, clock)
    return db_keys.sealed_draft(consent, clinic.data_dir, tmp_path), consent.id


def _consent_ids(data: Path) -> set[str]:
    conn = db_keys.connect(data / "glabella.db")
    try:
        return {r[0] for r in conn.execute("SELECT id FROM consents")}
    finally:
        conn.close()


def _sound(data: Path) -> None:
    """integrity ok, nothing half-written, the audit chain whole."""
    with db_keys.open_store(data / "glabella.db") as store:
        assert store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.execute("SELECT count(*) FROM consents WHERE status != 'signed'"
                             ).fetchone()[0] == 0
        assert store.audit_chain().intact


# -- (a) a second running copy -----------------------------------------------------------

@contextmanager
def _another_copy(data: Path) -> Iterator[subprocess.Popen]:
    child = subprocess.Popen([sys.executable, "-c", HOLD_OPEN, str(data)], cwd=REPO,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()


def test_second_copy_is_refused_but_reading_goes_on(clinic, draft_file, capsys, staff):
    data = clinic.data_dir
    path, consent_id = draft_file
    before = path.read_bytes()
    with _another_copy(data) as other:
        assert main(["finalize", *staff, str(path), "--data-dir", str(data)]) == 2
        err = capsys.readouterr().err
        assert f"glabella: {ALREADY_OPEN}" in err
        assert f"(process {other.pid})" in err
        with pytest.raises(AlreadyOpen) as info:
            open_service(data)
        assert info.value.message.startswith(ALREADY_OPEN)
        # headless commands that only read go on
        assert main(["records", "search", *staff, "nunez", "--data-dir", str(data)]) == 0
        assert main(["audit", "verify", "--data-dir", str(data)]) == 0
        capsys.readouterr()
        other.send_signal(signal.SIGKILL)  # a crash: the operating system drops the lock
        other.wait()
    assert path.read_bytes() == before
    assert consent_id not in _consent_ids(data)
    assert main(["finalize", *staff, str(path), "--data-dir", str(data)]) == 0
    assert consent_id in _consent_ids(data)


def test_one_process_cannot_open_a_folder_twice_and_close_releases_it(clinic):
    first = Glabella.open(clinic.data_dir)
    try:
        with pytest.raises(AlreadyOpen):
            open_service(clinic.data_dir)
    finally:
        first.close()
    open_service(clinic.data_dir).close()


# -- (b) read-only folder or file ---------------------------------------------------------

@contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """chmod for an ordinary account; root ignores modes, so the immutable flag for root."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(mode & 0o555)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("running as root without chattr: cannot make a read-only file")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.parametrize("which", ["folder", "database file"])
def test_read_only_folder_or_file_is_refused_at_start(clinic, draft_file, capsys, which, staff):
    data = clinic.data_dir
    target = data if which == "folder" else data / "glabella.db"
    path, consent_id = draft_file
    with _read_only(target):
        assert main(["finalize", *staff, str(path), "--data-dir", str(data)]) == 2
        err = capsys.readouterr().err
        with pytest.raises(ReadOnlyError) as info:
            open_service(data)
    what = f"The data folder {data}" if which == "folder" else \
        f"The clinic database {data / 'glabella.db'}"
    assert f"glabella: {what} is read-only for this account, so no consent could be " \
           f"saved: Glabella did not start." in err
    assert info.value.message in err
    assert consent_id not in _consent_ids(data)
    _sound(data)


# -- (c) a full disk ----------------------------------------------------------------------

FINALIZE_UNDER_LIMIT = """
import resource, signal, sys
from app.cli.main import main
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.exit(main(["finalize", *sys.argv[4:], sys.argv[1], "--data-dir", sys.argv[2]]))
"""


def test_full_disk_file_size_limit(clinic, draft_file, staff):
    data = clinic.data_dir
    path, consent_id = draft_file
    # room for the lock file and a draft, not for a certified consent
    child = subprocess.run([sys.executable, "-c", FINALIZE_UNDER_LIMIT, str(path), str(data),
                            str(100_000), *staff], cwd=REPO, capture_output=True, text=True,
                           timeout=120)
    assert child.returncode == 1, child.stdout + child.stderr
    kept = data / "drafts" / f"{consent_id}.draft"
    assert child.stderr.startswith("glabella: The consent could not be saved: ")
    assert f"Nothing was stored. The consult is kept as a draft in {kept}" in child.stderr
    assert db_keys.read_draft(kept, data).id == consent_id
    assert db_keys.read_draft(kept, data).finalized_at is None
    assert consent_id not in _consent_ids(data)
    _sound(data)
    assert main(["finalize", *staff, str(kept), "--data-dir", str(data)]) == 0  # once there is room


@pytest.fixture
def tiny_disk(tmp_path) -> Iterator[Path]:
    """A real 4 MB file system (tmpfs), for the tests that run as root."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
            capture_output=True).returncode != 0:
        pytest.skip("mounting a small file system needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    handle = filler.open("wb", buffering=0)  # unbuffered: closing has nothing left to write
    try:
        while True:
            handle.write(b"\0" * 4096)
    except OSError:
        pass
    finally:
        handle.close()
    return filler


@pytest.mark.parametrize("temp_on_same_disk", [False, True])
def test_full_disk_for_real(pack, clock, tiny_disk, tmp_path, monkeypatch, temp_on_same_disk):
    # the emergency folder lives in the system's temporary folder: point that here
    system_temp = tiny_disk / "tmp" if temp_on_same_disk else tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    data = tiny_disk / "data"
    service = Glabella.open(data, clock=clock)
    try:
        service.signing_identity()
        consent = build_demo_consent(pack, clock)
        filler = _fill(tiny_disk)
        with pytest.raises(SaveFailed) as info:
            service.finalize(consent)
        failure = info.value
        assert failure.message.startswith("The consent could not be saved: the disk is full")
        if temp_on_same_disk:  # nowhere to write: kept in memory, and the user told so
            assert failure.draft_path is None
            assert "The draft could not be saved either" in failure.message
            assert "The consult is still open in this window: do not close it" in failure.message
        else:
            assert failure.draft_path == system_temp / "Glabella emergency drafts" / \
                f"{consent.id}.draft"
            assert service.drafts.load(failure.draft_path).id == consent.id
            assert f"kept as a draft in {failure.draft_path}" in failure.message
        assert consent.finalized_at is None  # still the same consult, ready to retry
        assert consent.id not in _consent_ids(data)
        filler.unlink()
        assert service.finalize(consent).consent_id == consent.id  # nothing was lost
    finally:
        service.close()
    _sound(data)


def test_a_full_disk_at_start_says_so_and_changes_nothing(clock, tiny_disk):
    data = tiny_disk / "data"
    Glabella.open(data, clock=clock).close()
    before = (data / "glabella.db").read_bytes()
    filler = _fill(tiny_disk)
    with pytest.raises(OpenError) as info:
        open_service(data)
    message = info.value.message
    # the disk, not the database, is the problem: never "not a Glabella database"
    assert "the drive holding it is full" in message
    assert "free some space on that drive" in message
    assert "not a Glabella" not in message
    assert (data / "glabella.db").read_bytes() == before
    filler.unlink()
    open_service(data).close()


# -- (d) corrupt or foreign file, (e) newer Glabella --------------------------------------

def _damage_pages(db: Path) -> None:
    conn = db_keys.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    raw = bytearray(db.read_bytes())
    start = len(raw) // 2 // 4096 * 4096  # a page boundary, whatever the page count
    for offset in range(start, len(raw), 4096):  # the PDF pages' chain links
        raw[offset:offset + 4] = b"\xff\xff\xff\x7f"
    db.write_bytes(bytes(raw))


def test_damaged_database_is_caught_at_start(clinic, draft_file, capsys, staff):
    data = clinic.data_dir
    _damage_pages(data / "glabella.db")
    before = (data / "glabella.db").read_bytes()
    path, _ = draft_file
    assert main(["finalize", *staff, str(path), "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert f"glabella: The clinic database {data / 'glabella.db'} is damaged (" in err
    assert "Run `glabella doctor` to see what is wrong, then restore the latest backup " \
           "with `glabella restore FILE`." in err
    with pytest.raises(DamagedDatabaseError):
        open_service(data)
    assert (data / "glabella.db").read_bytes() == before


def test_foreign_file_is_refused_untouched(tmp_path, draft_file, capsys, staff):
    data = tmp_path / "foreign"
    data.mkdir()
    (data / "glabella.db").write_bytes(b"Quarterly figures\n" * 200)
    path, _ = draft_file
    assert main(["finalize", *staff, str(path), "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert "is not a Glabella records database (it is not an SQLite file)." in err
    assert "glabella restore FILE" in err
    assert (data / "glabella.db").read_bytes() == b"Quarterly figures\n" * 200


def test_newer_database_is_refused_untouched(clinic, draft_file, capsys, staff):
    data = clinic.data_dir
    conn = db_keys.connect(data / "glabella.db")
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                 " VALUES ('glabella', 'm0099_future', 'x')")
    conn.commit()
    conn.close()
    path, consent_id = draft_file
    assert main(["finalize", *staff, str(path), "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert ("This records database was created or upgraded by a newer version of Glabella. "
            "Please update Glabella before opening it.") in err
    with pytest.raises(OpenError):
        open_service(data)
    assert consent_id not in _consent_ids(data)


# -- a database kept busy by another program ---------------------------------------------

def test_busy_database_keeps_the_consult_as_a_draft(clinic, pack, clock):
    service = Glabella.open(clinic.data_dir, clock=clock)
    other = db_keys.connect(clinic.data_dir / "glabella.db")
    try:
        service.store.execute("PRAGMA busy_timeout=50")  # the test need not wait 5 s
        consent = build_demo_consent(pack, clock)
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(SaveFailed) as info:
            service.finalize(consent)
        assert info.value.reason.startswith("the database is busy")
        assert info.value.draft_path == clinic.data_dir / "drafts" / f"{consent.id}.draft"
        other.rollback()
        service.finalize(consent)
        assert not info.value.draft_path.exists()  # finalized: the draft is done with
    finally:
        other.close()
        service.close()
    _sound(clinic.data_dir)
