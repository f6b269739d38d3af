"""The consent register as CSV: one row per consent, no PDF, readable by Excel.

UTF-8 with a byte-order mark, because Excel reads a CSV without one in the PC's legacy
code page and garbles "Núñez". A cell that starts like a formula (= + - @) is prefixed
with an apostrophe so a spreadsheet shows it instead of running it.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import TYPE_CHECKING

from app.base.private_files import make_folder, open_private
from db.register import REGISTER_COLUMNS, register_rows

if TYPE_CHECKING:
    from db import Store

COLUMNS = REGISTER_COLUMNS
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_register(store: Store, out: Path) -> int:
    """Write every consent, oldest first, to ``out``; returns the number of rows."""
    make_folder(out.parent)
    partial = out.with_name(out.name + ".partial")
    count = 0
    with open_private(partial, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in register_rows(store):
            writer.writerow([_cell(v) for v in row])
            count += 1
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(out)  # never half a register where a whole one is expected
    store.log_event("register.exported", details={"format": "csv", "path": str(out),
                                                   "rows": count})
    return count
