"""The headless commands behind ``glabella verify``, ``audit``, ``records`` and ``signing``.

Each takes the data folder and the output streams and returns the exit code:
0 success, 1 the check failed or the work could not be done, 2 a usage or set-up problem.
A known error a command does not catch itself is said by ``run_command``, the one wrapper
the entry module runs every command in; anything else is a bug, written to the bug log.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from app.base.errors import KnownError
from app.base.paths import DataPaths
from app.runtime.bug_log import explain

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _usage_errors() -> tuple[type[KnownError], ...]:
    """Known errors that mean the command line asked for something wrong (exit 2)."""
    from app.base.outputs import OutputRefused
    from app.clinic.operator import SignInRefused
    from app.document.verify import NotAPdfError
    from app.records.search import RecordsQueryError
    from db import RecordNotFoundError

    return (RecordNotFoundError, RecordsQueryError, NotAPdfError, OutputRefused,
            SignInRefused)


def run_command(work: Callable[[], int], data_dir: Path, err: TextIO) -> int:
    """``work()``'s exit code; if it raises, a known error's message (exit 2 for a usage
    problem, else 1), or for a bug one line naming the log file it was written to (1)."""
    try:
        return work()
    except KnownError as exc:
        print(f"glabella: {exc.message}", file=err)
        return EXIT_USAGE if isinstance(exc, _usage_errors()) else EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 - a bug: logged, and said in one line
        print(f"glabella: {explain(exc, DataPaths(data_dir).logs, 'The command')}", file=err)
        return EXIT_FAILED
