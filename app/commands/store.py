"""Opening an existing clinic database for a command, with plain messages on failure."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from app.paths import DataPaths
from db import Store, StoreError


def open_existing_store(data_dir: Path, err: TextIO) -> Store | None:
    """The clinic's store; None (after saying why on ``err``) when there is none to open.

    Commands that inspect records never create a database where there was none.
    """
    path = DataPaths(data_dir).database
    if not path.exists():
        print(f"glabella: there is no clinic database in {data_dir} "
              f"(use --data-dir to point at the clinic's data folder).", file=err)
        return None
    try:
        return Store.open(path)
    except StoreError as exc:
        print(f"glabella: the clinic database in {data_dir} cannot be opened: {exc}", file=err)
        return None
