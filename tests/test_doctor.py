"""``glabella doctor``: plain words, exit 0 only when the data is sound and safely kept."""

from __future__ import annotations

import io

from app.cli.commands.doctor import run_doctor
from app.cli.main import main
from app.upkeep.data_location import cloud_folder, location_warnings, mount_fs_type
from tests import db_keys

LOCAL_MOUNTS = "/dev/vda / ext4 rw,relatime 0 0\n"


def test_a_healthy_folder(certified, tmp_path, staff):
    data = certified.copy(tmp_path / "data").data_dir
    out = _run(data, LOCAL_MOUNTS, 0)
    assert "ok       Database structure intact (integrity_check)." in out
    assert "ok       Every record's links are whole (foreign_key_check)." in out
    assert "The 1 stored PDF matches the SHA-256 kept when it was signed." in out
    assert "Audit log intact:" in out
    assert "No backup has been made yet" in out
    assert out.rstrip().endswith("Healthy.")
    assert main(["backup", *staff, "--data-dir", str(data)]) == 0
    assert "note     Last backup " in _run(data, LOCAL_MOUNTS, 0)


def test_a_changed_pdf_and_a_broken_chain_are_problems(certified, tmp_path):
    data = certified.copy(tmp_path / "data").data_dir
    conn = db_keys.connect(data / "glabella.db")
    conn.execute("DROP TRIGGER consents_signed_no_update")
    conn.execute("UPDATE consents SET pdf = CAST('%PDF-forged' AS BLOB)")
    conn.execute("DROP TRIGGER audit_events_no_delete")
    conn.execute("DELETE FROM audit_events WHERE seq = 2")
    conn.commit()
    conn.close()
    out = _run(data, LOCAL_MOUNTS, 1)
    assert (f"PROBLEM  Of 1 stored PDF, these no longer match the SHA-256 kept when they "
            f"were signed: record {certified.consent_id}") in out
    assert "PROBLEM  Audit log TAMPERED at seq 3: deleted" in out
    assert "NOT healthy: 2 things to fix" in out


def test_a_corrupt_file_is_reported_not_crashed_on(certified, tmp_path):
    data = certified.copy(tmp_path / "data").data_dir
    db = data / "glabella.db"
    conn = db_keys.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    raw = bytearray(db.read_bytes())
    for offset in range(3 * 4096, len(raw), 4096):
        raw[offset:offset + 8] = b"\xff" * 8
    db.write_bytes(bytes(raw))
    out = _run(data, LOCAL_MOUNTS, 1)
    assert "PROBLEM  The database is DAMAGED (integrity_check:" in out
    assert "glabella restore FILE" in out
    db.write_bytes(b"not a database at all" * 50)
    assert "is not a Glabella records database (it is not an SQLite file)" in _run(
        data, LOCAL_MOUNTS, 1)


def test_network_share_and_cloud_folder_warnings(certified, tmp_path):
    data = certified.copy(tmp_path / "OneDrive - Contoso" / "Glabella").data_dir
    mounts = LOCAL_MOUNTS + f"server:/export {tmp_path} nfs4 rw 0 0\n"
    out = _run(data, mounts, 1)
    assert "is on a network share (nfs4). SQLite's locking is not reliable there" in out
    assert "is inside a cloud-synced folder (OneDrive - Contoso)" in out


def test_location_rules():
    mounts = ("/dev/sda1 / ext4 rw 0 0\n//nas/clinic /mnt/clinic\\040share cifs rw 0 0\n"
              "/dev/sdb1 /mnt/clinic\\040share/local ext4 rw 0 0\n")
    from pathlib import PurePosixPath as P

    assert mount_fs_type(P("/mnt/clinic share/Glabella"), mounts) == "cifs"
    assert mount_fs_type(P("/mnt/clinic share/local/Glabella"), mounts) == "ext4"
    assert mount_fs_type(P("/home/anna"), mounts) == "ext4"
    assert cloud_folder(P("/Users/anna/Library/CloudStorage/GoogleDrive-x/Glabella"))
    assert cloud_folder(P("/home/anna/Dropbox (Personal)/Glabella")) == "Dropbox (Personal)"
    assert cloud_folder(P("/home/anna/Google Drive/Glabella")) == "Google Drive"
    assert cloud_folder(P("/home/anna/boxes/Glabella")) is None
    assert location_warnings(P("/home/anna/.local/share/Glabella"), mounts) == []


def test_doctor_without_a_database(tmp_path, capsys):
    assert main(["doctor", "--data-dir", str(tmp_path)]) == 2
    assert "there is no clinic database" in capsys.readouterr().err


def _run(data, mounts: str, expected: int) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = run_doctor(data, out=out, err=err, mounts=mounts)
    assert code == expected, out.getvalue() + err.getvalue()
    return out.getvalue()
