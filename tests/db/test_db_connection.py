"""Connection settings and refusal of files that are not SQLite databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import NotADatabaseError, Store, connect


def test_pragmas_are_set(db_path: Path) -> None:
    database = connect(db_path)
    try:
        pragma = {
            name: database.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")
        }
    finally:
        database.close()
    assert pragma == {
        "foreign_keys": 1,
        "journal_mode": "wal",
        "synchronous": 2,
        "busy_timeout": 5000,
    }


def test_creates_parent_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "c.db"
    connect(path).close()
    assert path.exists()


def test_empty_file_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with Store.open(path) as store:
        assert store.list_consents() == []


@pytest.mark.parametrize(
    "content",
    [b"patient notes, definitely not a database\n", b"\x00" * 4096, b"SQLite format 2\x00"],
)
def test_non_sqlite_file_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(NotADatabaseError) as info:
        Store.open(path)
    assert str(path) in str(info.value)
    assert path.read_bytes() == content
    assert not (tmp_path / "notes.db-wal").exists()


def test_corrupt_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4080)
    with pytest.raises(NotADatabaseError, match="corrupt.db"):
        connect(path)


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotADatabaseError, match="folder"):
        connect(tmp_path)


def test_in_memory_database(tmp_path: Path) -> None:
    with Store.open(":memory:") as store:
        assert store.database.execute("PRAGMA foreign_keys").fetchone()[0] == 1
