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

if TYPE_CHECKING:
    from db import Store

COLUMNS = ("consent_id", "status", "finalized_at", "patient_id", "patient_name",
           "patient_dob", "product_id", "product_name", "areas", "injector_name",
           "injector_credentials", "content_pack_id", "content_version", "pdf_size",
           "pdf_sha256")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_register(store: Store, out: Path) -> int:
    """Write every consent, oldest first, to ``out``; returns the number of rows."""
    # pdf_sha256 and pdf_size are stored after the PDF in each row, and reading them would
    # walk every PDF's pages (minutes for a large clinic): the hashes come from their
    # index instead, and the size is the PDF's length, which SQLite reads from the header.
    hashes = dict(store.database.execute(
        "SELECT rowid, pdf_sha256 FROM consents INDEXED BY idx_consents_pdf_sha256"))
    select = ", ".join({"consent_id": "id", "pdf_size": "length(pdf)",
                        "pdf_sha256": "rowid"}.get(c, c) for c in COLUMNS)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    count = 0
    with partial.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for *row, rowid in store.database.execute(  # pdf_sha256, the last column, by rowid
                f"SELECT {select} FROM consents ORDER BY finalized_at, rowid"):
            writer.writerow([_cell(v) for v in row] + [hashes[rowid]])
            count += 1
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(out)  # never half a register where a whole one is expected
    store.log_event("register.exported", details={"format": "csv", "path": str(out),
                                                   "rows": count})
    return count
