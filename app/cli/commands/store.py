"""Opening an existing clinic database for a command, with plain messages on failure."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.base.errors import KnownError
from app.base.paths import DataPaths
from db import Store

if TYPE_CHECKING:
    from app.runtime.service import Glabella


def open_existing_store(data_dir: Path, err: TextIO) -> Store | None:
    """The clinic's store; None (after saying why on ``err``) when there is none to open.

    Commands that inspect records never create a database where there was none, and
    never encrypt one: a plain database (an older Glabella's, not yet opened by the
    service, which encrypts it under the folder's lock) is opened plain as before.
    """
    path = DataPaths(data_dir).database
    if not path.exists():
        print(f"glabella: there is no clinic database in {data_dir} "
              f"(use --data-dir to point at the clinic's data folder).", file=err)
        return None
    try:
        from app.security.folder_key import load_key
        from db.cipher import is_plain

        found = None if is_plain(path) else load_key(data_dir)
        return Store.open(path, found.key.raw if found else None)
    except KnownError as exc:
        print(f"glabella: the clinic database in {data_dir} cannot be opened: {exc.message}",
              file=err)
        return None


def open_service_or_say(data_dir: Path, err: TextIO, prefix: str = "glabella: "
                        ) -> Glabella | None:
    """The whole service (which may create and migrate the database), or None after
    saying on ``err`` why it cannot open (already open elsewhere, read-only, damaged…)."""
    from app.runtime.service import OpenError, open_service

    try:
        service = open_service(data_dir)
    except OpenError as exc:
        print(f"{prefix}{exc.message}", file=err)
        return None
    if service.new_recovery_code is not None:
        show_recovery_code(service.new_recovery_code, err)
    return service


def show_recovery_code(code: str, err: TextIO) -> None:
    """The new clinic's recovery code, printed this once: it is never shown again."""
    print("glabella: a new clinic key was made; the records are encrypted with it.\n"
          "  RECOVERY CODE (print it or write it down now, and keep it somewhere safe;\n"
          "  a new computer or a lost key needs it, and it is never shown again):\n"
          f"    {code}", file=err)
