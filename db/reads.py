"""Reading stored consents back: the consent, its PDF, its parts, its patient, its pack."""

from __future__ import annotations

from db.base import Row, StoreBase
from db.finalize import CONSENT_COLUMNS

# Lists never carry the large columns; fetch them per consent instead.
_CONSENT_READ_COLUMNS = tuple(c for c in CONSENT_COLUMNS if c != "pdf")
_CONSENT_LIST_COLUMNS = tuple(
    c for c in _CONSENT_READ_COLUMNS if c not in ("consent_json", "clinic_json")
)


class ConsentReads(StoreBase):
    """The record reads, mixed into ``db.Store``."""

    def _require_consent(self, consent_id: str) -> None:
        self._one("consent", consent_id, "SELECT 1 FROM consents WHERE id = ?")

    def get_consent(self, consent_id: str) -> Row:
        """The consent row without its PDF."""
        columns = ", ".join(_CONSENT_READ_COLUMNS)
        return self._one("consent", consent_id, f"SELECT {columns} FROM consents WHERE id = ?")

    def find_consent(self, consent_id: str) -> Row | None:
        """The consent row without its PDF, or None when there is no such record."""
        columns = ", ".join(_CONSENT_LIST_COLUMNS)
        rows = self._rows(f"SELECT {columns} FROM consents WHERE id = ?", [consent_id])
        return rows[0] if rows else None

    def consent_link(self, consent_id: str) -> Row | None:
        """How this consent amends or withdraws another (kind, amends_id, reason); None for
        an ordinary consent."""
        rows = self._rows("SELECT * FROM consent_links WHERE consent_id = ?", [consent_id])
        return rows[0] if rows else None

    def successor(self, consent_id: str) -> Row | None:
        """The record amending or withdrawing this consent (its link row), if any."""
        rows = self._rows("SELECT * FROM consent_links WHERE amends_id = ?", [consent_id])
        return rows[0] if rows else None

    def get_pdf(self, consent_id: str) -> bytes:
        """The signed PDF exactly as stored."""
        return self._one("consent", consent_id, "SELECT pdf FROM consents WHERE id = ?")["pdf"]

    def list_consents(self, patient_id: str | None = None) -> list[Row]:
        """Consents, newest first, without the PDF or consent_json."""
        columns = ", ".join(_CONSENT_LIST_COLUMNS)
        where, params = ("WHERE patient_id = ?", [patient_id]) if patient_id else ("", [])
        return self._rows(
            # julianday() compares instants, so offsets from different time zones sort right
            f"SELECT {columns} FROM consents {where} "
            "ORDER BY julianday(finalized_at) DESC, rowid DESC",
            params,
        )

    def get_patient(self, patient_id: str) -> Row:
        return self._one("patient", patient_id, "SELECT * FROM patients WHERE id = ?")

    def list_patients(self) -> list[Row]:
        """Patients sorted by name, then date of birth."""
        return self._rows(
            "SELECT * FROM patients ORDER BY full_name COLLATE NOCASE, date_of_birth, id"
        )

    def screening_answers(self, consent_id: str) -> list[Row]:
        self._require_consent(consent_id)
        return self._rows(
            "SELECT * FROM screening_answers WHERE consent_id = ? ORDER BY rowid", [consent_id]
        )

    def acknowledgements(self, consent_id: str) -> list[Row]:
        self._require_consent(consent_id)
        return self._rows(
            "SELECT * FROM acknowledgements WHERE consent_id = ? ORDER BY rowid", [consent_id]
        )

    def faq_views(self, consent_id: str) -> list[Row]:
        """FAQ views; discussed_in_person is returned as a bool."""
        self._require_consent(consent_id)
        rows = self._rows(
            "SELECT * FROM faq_views WHERE consent_id = ? ORDER BY rowid", [consent_id]
        )
        for row in rows:
            row["discussed_in_person"] = bool(row["discussed_in_person"])
        return rows

    def signatures(self, consent_id: str) -> list[Row]:
        """Signatures including their PNG bytes, in signing order."""
        self._require_consent(consent_id)
        return self._rows(
            "SELECT * FROM signatures WHERE consent_id = ? ORDER BY signed_at, rowid",
            [consent_id],
        )

    def find_consent_by_pdf_sha256(self, pdf_sha256: str) -> Row | None:
        """The consent whose stored PDF has this SHA-256, without the PDF; None if none."""
        columns = ", ".join(_CONSENT_LIST_COLUMNS)
        rows = self._rows(
            f"SELECT {columns} FROM consents WHERE pdf_sha256 = ? ORDER BY rowid LIMIT 1",
            [pdf_sha256.lower()],
        )
        return rows[0] if rows else None

    def content_pack(self, content_hash: str) -> Row:
        return self._one("content pack", content_hash, "SELECT * FROM content_packs WHERE hash = ?")
