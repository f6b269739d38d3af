"""The patient's own copy: the certified PDF exactly as stored, and the aftercare sheet.

The signed PDF is never changed, not even by adding a page: its certification must still
verify on the patient's copy. So the aftercare sheet is a second file, saved beside it
(and printed after it). Saving checks what reached the drive and leaves no half-written
file: a full, read-only or removed drive gives a plain message, and the record is untouched.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from app.base.errors import KnownError
from app.base.storage_errors import plain_reason
from app.clinic.details import Clinic
from app.document.rerender import stored_parts
from db import Store


class CopyNotSavedError(KnownError):
    """The patient's copy could not be written; nothing half-written was left behind."""


@dataclass(frozen=True)
class PatientCopy:
    consent_id: str
    consent_pdf: bytes  # byte for byte the stored, certified PDF
    aftercare_pdf: bytes | None  # None for a withdrawal: there is no treatment to care for
    stem: str  # e.g. "2026-12-01-1a2b3c4d"

    def files(self) -> list[tuple[str, bytes]]:
        """(file name, bytes), the consent first."""
        out = [(f"consent-{self.stem}.pdf", self.consent_pdf)]
        if self.aftercare_pdf is not None:
            out.append((f"aftercare-{self.stem}.pdf", self.aftercare_pdf))
        return out

    def documents(self) -> list[bytes]:
        return [data for _name, data in self.files()]


def patient_copy(store: Store, consent_id: str, clinic: Clinic) -> PatientCopy:
    """The copy of record ``consent_id``; the aftercare comes from the pack it was signed
    with (``clinic``, today's details, only for a record that did not keep its own)."""
    from app.document.pdf.aftercare import render_aftercare_pdf

    row = store.get_consent(consent_id)
    consent, pack, signed_clinic = stored_parts(store, row, clinic)
    aftercare = None if consent.kind == "withdrawal" else \
        render_aftercare_pdf(consent, pack, signed_clinic, consent_id)
    return PatientCopy(consent_id, store.get_pdf(consent_id), aftercare,
                       f"{row['finalized_at'][:10]}-{consent_id[:8]}")


def save_patient_copy(copy: PatientCopy, folder: Path) -> list[Path]:
    """Write the copy's files into ``folder`` (never over another file); the paths written.

    Each file is read back and compared: a stick pulled out mid-write is caught here,
    not at the patient's home. On any failure every file of this attempt is removed.
    """
    written: list[Path] = []
    try:
        for name, data in copy.files():
            path = _free_name(folder / name)
            written.append(path)
            _write_synced(path, data)
            if hashlib.sha256(path.read_bytes()).digest() != hashlib.sha256(data).digest():
                raise OSError(f"the copy of {name} on the drive does not match the record")
    except OSError as exc:
        for path in written:
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass  # the drive is gone: there is nothing left to tidy
        raise CopyNotSavedError(f"The copy was not saved: {plain_reason(exc)}. Nothing was "
                                f"lost: the record is safe in Glabella. Try another drive "
                                f"or folder.") from exc
    return written


def _free_name(path: Path) -> Path:
    n, candidate = 1, path
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _write_synced(path: Path, data: bytes) -> None:
    """Write and flush to the device: a USB stick may be pulled as soon as we say "saved"."""
    with path.open("xb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
