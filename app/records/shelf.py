"""What the records screen asks of the stored records, as one Qt-free object
(``Glabella.records``): the screen holds this, never the store or its rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.consult.returning import ReturningPatients
from app.records.search import (
    ConsentFilter,
    ConsentSummary,
    PatientMatch,
    injectors,
    list_consents,
    patient_history,
    products,
    search_patients,
)

if TYPE_CHECKING:
    from app.clinic.details import Clinic
    from app.document.patient_copy import PatientCopy
    from db import Store


@dataclass(frozen=True)
class StoredConsent:
    """The parts of a stored consent the screen shows or checks against."""

    id: str
    patient_name: str
    injector_name: str
    finalized_at: str
    pdf_sha256: str


class Records:
    """Searching, listing and reading stored consents for the records screen."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def search_patients(self, text: str = "", dob: str | None = None,
                        limit: int = 50) -> list[PatientMatch]:
        """See ``app.records.search.search_patients`` (RecordsQueryError if unreadable)."""
        return search_patients(self._store, text, dob, limit)

    def list_consents(self, where: ConsentFilter | None = None) -> list[ConsentSummary]:
        """The register, newest first, through ``where``'s filters."""
        return list_consents(self._store, where or ConsentFilter())

    def export_register(self, out: Path) -> int:
        """The whole register as CSV at ``out`` (as ``glabella records export-csv``); the
        number of consents. OSError when it cannot be written: nothing half-written."""
        from app.records.export_csv import export_register

        return export_register(self._store, out)

    def patient_history(self, patient_id: str) -> list[ConsentSummary]:
        return patient_history(self._store, patient_id)

    def products(self) -> list[tuple[str, str]]:
        """(id, name) of every product on record, for a filter's choices."""
        return products(self._store)

    def returning(self) -> ReturningPatients:
        """Patients seen before, for the consult's Patient, plan and screening steps."""
        return ReturningPatients(self._store)

    def injectors(self) -> list[str]:
        """Every injector name on record, for a filter's choices."""
        return injectors(self._store)

    def consent(self, consent_id: str) -> StoredConsent:
        """One stored consent (RecordNotFoundError if there is none)."""
        row = self._store.get_consent(consent_id)
        return StoredConsent(row["id"], row["patient_name"], row["injector_name"],
                             row["finalized_at"], row["pdf_sha256"])

    def pdf(self, consent_id: str) -> bytes:
        """The signed PDF exactly as stored."""
        return self._store.get_pdf(consent_id)

    def patient_copy(self, consent_id: str, clinic: Clinic) -> PatientCopy:
        """The patient's copy: the PDF as stored and the aftercare sheet (see
        ``app.document.patient_copy``)."""
        from app.document.patient_copy import patient_copy

        return patient_copy(self._store, consent_id, clinic)

    def check_amendable(self, consent_id: str) -> None:
        """AmendmentError (with the reason) unless this consent can be amended or withdrawn."""
        from app.consult.amendments import check_amendable

        check_amendable(self._store, consent_id)
