"""The check at every start: all of a small file; all but the PDF pages of a large one."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import Store, checks, cipher
from tests import db_keys


def _make(path: Path, make_record, consents: int = 3, key: bytes | None = None) -> None:
    with Store.open(path, key) as store:
        for _ in range(consents):
            record = make_record()
            record.consent["pdf"] = b"%PDF-" + bytes(range(256)) * 64  # spills over pages
            store.finalize(record)
        store.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _damage_page(path: Path, page: int) -> None:
    raw = bytearray(path.read_bytes())
    size = 4096
    raw[(page - 1) * size:(page - 1) * size + 12] = b"\xee" * 12
    path.write_bytes(bytes(raw))


def _root(path: Path, table: str) -> int:
    conn = db_keys.connect(path)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                            [table]).fetchone()[0]
    finally:
        conn.close()


def _overflow_page(path: Path, key: bytes | None = None) -> int:
    """A page of a stored PDF: one no b-tree roots at, past every root."""
    conn = db_keys.connect(path, key)
    try:
        roots = {r[0] for r in conn.execute("SELECT rootpage FROM sqlite_master")}
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    finally:
        conn.close()
    return max(set(range(max(roots) + 1, pages)) - roots)


def _startup(path: Path) -> list[str]:
    conn = checks.open_read_only(path, db_keys.key_of(path))
    try:
        return checks.startup_problems(conn, path.stat().st_size)
    finally:
        conn.close()


@pytest.fixture
def large(monkeypatch):
    """Treat every file as large, as a clinic's is after a year or two."""
    monkeypatch.setattr(checks, "FULL_START_CHECK_MAX_BYTES", 0)


def test_sound_files_pass_both_ways(tmp_path, make_record, monkeypatch):
    path = tmp_path / "g.db"
    _make(path, make_record)
    assert _startup(path) == []
    monkeypatch.setattr(checks, "FULL_START_CHECK_MAX_BYTES", 0)
    assert _startup(path) == []


def test_large_file_check_catches_damage_outside_the_pdfs(tmp_path, make_record, large):
    path = tmp_path / "g.db"
    _make(path, make_record)
    _damage_page(path, _root(path, "patients"))
    assert _startup(path)


def test_large_file_check_leaves_pdf_pages_to_the_doctor(tmp_path, make_record, large):
    path = tmp_path / "g.db"
    _make(path, make_record)
    _damage_page(path, _overflow_page(path))
    assert _startup(path) == []  # a known gap at start, for speed …
    conn = checks.open_read_only(path, db_keys.key_of(path))
    try:
        assert checks.integrity_problems(conn)  # … which the full check closes
    finally:
        conn.close()


def test_small_file_check_is_the_full_quick_check(tmp_path, make_record):
    path = tmp_path / "g.db"
    _make(path, make_record)
    _damage_page(path, _overflow_page(path))
    assert _startup(path)


def test_an_encrypted_file_leaves_pdf_pages_to_their_hmac(tmp_path, make_record):
    path = tmp_path / "g.db"
    key = bytes(range(32))
    _make(path, make_record, key=key)
    _damage_page(path, _overflow_page(path, key))
    conn = checks.open_read_only(path, key)
    try:
        assert checks.startup_problems(conn, path.stat().st_size,
                                       pages_authenticated=True) == []
        # … but the damaged page fails its HMAC the moment the PDF is read
        with pytest.raises(cipher.READ_ERRORS):
            conn.execute("SELECT pdf FROM consents").fetchall()
    finally:
        conn.close()
