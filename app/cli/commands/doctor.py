"""``glabella doctor``: check the data folder and report in plain words (read-only)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from app.cli.commands import EXIT_FAILED, EXIT_OK, EXIT_USAGE


def run_doctor(data_dir: Path, out: TextIO, err: TextIO, mounts: str | None = None) -> int:
    """0 healthy; 1 a problem or warning; 2 no database there at all."""
    from app.base.paths import DataPaths
    from app.upkeep.doctor import describe, examine

    paths = DataPaths(data_dir)
    if not paths.database.exists():
        print(f"glabella: there is no clinic database in {data_dir} "
              f"(use --data-dir to point at the clinic's data folder).", file=err)
        return EXIT_USAGE
    report = examine(paths, mounts)
    for line in describe(report):
        print(line, file=out)
    return EXIT_OK if report.healthy else EXIT_FAILED
