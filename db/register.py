"""The consent register read for export: one row per consent, oldest first, no PDF."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db.store import Store

REGISTER_COLUMNS = ("consent_id", "status", "finalized_at", "patient_id", "patient_name",
                    "patient_dob", "product_id", "product_name", "areas", "injector_name",
                    "injector_credentials", "content_pack_id", "content_version", "pdf_size",
                    "pdf_sha256")


def register_rows(store: Store) -> Iterator[list[Any]]:
    """Every consent's REGISTER_COLUMNS values, oldest first, read as they are written out."""
    # pdf_sha256 and pdf_size are stored after the PDF in each row, and reading them would
    # walk every PDF's pages (minutes for a large clinic): the hashes come from their
    # index instead, and the size is the PDF's length, which SQLite reads from the header.
    hashes = dict(store.database.execute(
        "SELECT rowid, pdf_sha256 FROM consents INDEXED BY idx_consents_pdf_sha256"))
    select = ", ".join({"consent_id": "id", "pdf_size": "length(pdf)",
                        "pdf_sha256": "rowid"}.get(c, c) for c in REGISTER_COLUMNS)
    for *row, rowid in store.database.execute(  # pdf_sha256, the last column, by rowid
            f"SELECT {select} FROM consents ORDER BY finalized_at, rowid"):
        yield [*row, hashes[rowid]]
