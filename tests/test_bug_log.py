"""The bug log: tracebacks without messages or locals, rotation, known errors never logged."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.base.errors import KnownError
from app.cli.commands import run_command
from app.runtime import bug_log
from app.upkeep.backup import BackupError
from db import RecordNotFoundError

PATIENT = "Zoë Ñúñez-Łukasz"


@pytest.fixture
def logs(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "logs"
    bug_log.close_logs()


def _fails_with_personal_data(name: str) -> None:
    typed = {"patient": name}  # a local: never logged
    try:
        int(typed["patient"])
    except ValueError as exc:
        raise RuntimeError(f"could not save {name}") from exc


def test_a_bug_is_logged_with_its_traceback_and_without_what_was_typed(logs) -> None:
    try:
        _fails_with_personal_data(PATIENT)
    except RuntimeError as exc:
        path = bug_log.log_bug(exc, logs, ids={"consent_id": "c-123"})
    assert path == logs / "glabella.log"
    text = path.read_text(encoding="utf-8")
    assert "unexpected_error consent_id=c-123" in text
    assert "Traceback (most recent call last):" in text
    assert "_fails_with_personal_data" in text and "int(typed[\"patient\"])" in text
    assert "builtins.ValueError" in text and "builtins.RuntimeError" in text
    assert "direct cause" in text
    assert PATIENT not in text and "Zo" not in text
    assert bug_log.WITHHELD in text


def test_codes_without_personal_data_are_kept(logs) -> None:
    exc = FileNotFoundError(2, "No such file", f"/drafts/{PATIENT}.json")
    text = bug_log.log_bug(exc, logs).read_text(encoding="utf-8")
    assert "builtins.FileNotFoundError: errno 2" in text
    assert PATIENT not in text


def test_the_log_rotates_at_a_mebibyte_and_keeps_five(logs, monkeypatch) -> None:
    monkeypatch.setattr(bug_log, "MAX_BYTES", 4096)
    for n in range(200):
        bug_log.log_event(logs, logging.WARNING, "qt.warning", "x" * 200, ids={"n": n})
    names = sorted(p.name for p in logs.iterdir())
    assert names == ["glabella.log", *(f"glabella.log.{i}" for i in range(1, 6))]
    assert all(p.stat().st_size <= 4096 + 300 for p in logs.iterdir())


def test_a_known_error_is_explained_by_its_message_and_not_logged(logs) -> None:
    for exc in (BackupError("The backup folder is full."), RecordNotFoundError("consent", "x")):
        assert isinstance(exc, KnownError)
        assert bug_log.explain(exc, logs) == exc.message
    assert not logs.exists()


def test_a_command_prints_a_known_error_or_one_line_naming_the_log(logs) -> None:
    err = io.StringIO()

    def known() -> int:
        raise BackupError("The backup folder is full.")

    def bug() -> int:
        raise KeyError(PATIENT)

    data = logs.parent
    logs = data / "logs"
    assert run_command(known, data, err) == 1
    assert err.getvalue() == "glabella: The backup folder is full.\n"
    assert not logs.exists()
    err = io.StringIO()
    assert run_command(bug, data, err) == 1
    [line] = err.getvalue().splitlines()
    assert str(logs / "glabella.log") in line and PATIENT not in line
    text = (logs / "glabella.log").read_text(encoding="utf-8")
    assert "builtins.KeyError" in text and PATIENT not in text


def test_the_excepthook_hands_uncaught_exceptions_over_and_restores(logs) -> None:
    seen: list[BaseException] = []
    before = sys.excepthook
    restore = bug_log.install_excepthook(seen.append)
    try:
        exc = ValueError(PATIENT)
        sys.excepthook(ValueError, exc, None)
    finally:
        restore()
    assert seen == [exc]
    assert sys.excepthook is before
