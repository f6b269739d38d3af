"""Finalizing: the one write that stores a signed consent and everything about it.

``FinalizeRecord`` is the plain data handed to ``Store.finalize``; dict keys are the table
column names. Every row is validated and built before the write transaction opens.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from db import cipher
from db.audit_chain import append_event
from db.base import Row, StoreBase
from db.clock import now_iso
from db.errors import StoreError, translate
from db.folding import fold

PATIENT_COLUMNS = (
    "id", "full_name", "date_of_birth", "phone", "email", "created_at", "updated_at",
    "search_name",
)  # fmt: skip
CONTENT_PACK_COLUMNS = ("hash", "pack_id", "version", "snapshot_json", "first_seen_at")
CONSENT_COLUMNS = (
    "id", "patient_id", "status", "patient_name", "patient_dob", "product_id",
    "product_name", "areas", "injector_name", "injector_credentials", "created_at",
    "finalized_at", "content_pack_id", "content_version", "content_hash", "consent_json",
    "pdf", "pdf_sha256", "pdf_size", "unsigned_sha256", "clinic_json",
)  # fmt: skip
SCREENING_COLUMNS = ("consent_id", "question_id", "answer", "note", "override_reason")
ACKNOWLEDGEMENT_COLUMNS = (
    "consent_id", "item_id", "item_kind", "acknowledged_at", "method", "initials", "note",
    "acknowledged_by", "read_aloud_by",
)  # fmt: skip
FAQ_VIEW_COLUMNS = ("consent_id", "faq_id", "viewed_at", "discussed_in_person")
SIGNATURE_COLUMNS = (
    "id", "consent_id", "role", "printed_name", "meaning", "signed_at", "png",
    "png_sha256", "strokes_json",
)  # fmt: skip

LINK_COLUMNS = ("consent_id", "kind", "amends_id", "reason")
CONFIRMATION_COLUMNS = ("consent_id", "full_consent_id")
# the audit event written with an amendment or withdrawal, besides consent.finalized
LINK_EVENTS = {"amendment": "consent.amended", "withdrawal": "consent.withdrawn"}


@dataclass
class FinalizeRecord:
    """Everything written when a consent is finalized.

    - patient: id (caller's uuid), full_name, date_of_birth, phone, email;
      created_at/updated_at default to now.
    - consent: id (caller's uuid), patient_id, patient_name, patient_dob,
      product_id, product_name, areas, injector_name, injector_credentials,
      created_at, finalized_at, content_pack_id, content_version, content_hash,
      consent_json, pdf (bytes). patient_*/content_* default from patient and
      content_pack; created_at/finalized_at default to now. status, pdf_sha256
      and pdf_size are computed by the store.
    - content_pack: hash, pack_id, version, snapshot_json; first_seen_at
      defaults to now.
    - screening: consent_id, question_id, answer ('yes'/'no'), note,
      override_reason.
    - acknowledgements: consent_id, item_id, item_kind, acknowledged_at,
      method ('tick'/'initials'), initials, note, acknowledged_by ('patient'/'staff'),
      read_aloud_by (the staff member, for 'staff').
    - faq_views: consent_id, faq_id, viewed_at, discussed_in_person.
    - signatures: consent_id, role, printed_name, meaning, signed_at,
      png (bytes), strokes_json; id and png_sha256 are computed by the store.

    - link: for an amendment or withdrawal, kind ('amendment'/'withdrawal'), amends_id
      (the consent it changes) and reason; None for an ordinary consent.
    - confirms: for a treatment-day confirmation, full_consent_id (the full consent it
      relies on); None otherwise.

    consent_id may be omitted from child rows; it defaults to consent["id"].
    """

    patient: Row
    consent: Row
    content_pack: Row
    screening: list[Row] = field(default_factory=list)
    acknowledgements: list[Row] = field(default_factory=list)
    faq_views: list[Row] = field(default_factory=list)
    signatures: list[Row] = field(default_factory=list)
    link: Row | None = None
    confirms: Row | None = None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _as_bytes(value: Any, what: str) -> bytes:
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError(f"{what} must be bytes, not {type(value).__name__}")
    return bytes(value)


def _prepare(
    what: str,
    row: Mapping[str, Any],
    columns: Sequence[str],
    *,
    derived: Mapping[str, Any] | None = None,
    defaults: Mapping[str, Any] | None = None,
    store_owned: Sequence[str] = (),
) -> Row:
    """Validate a caller's row and return it with exactly the table's columns.

    derived values are filled in, and must match if the caller gave them too;
    defaults fill only missing/None keys; store_owned keys may not be given.
    Keys still missing become None so SQLite's NOT NULL constraints decide.
    """
    unknown = sorted(set(row) - set(columns))
    if unknown:
        raise ValueError(f"{what}: unknown field(s) {', '.join(unknown)}")
    owned = sorted(set(row) & set(store_owned))
    if owned:
        raise ValueError(f"{what}: field(s) {', '.join(owned)} are set by the store")
    result: Row = {column: row.get(column) for column in columns}
    for key, value in (defaults or {}).items():
        if result[key] is None:
            result[key] = value
    for key, value in (derived or {}).items():
        if row.get(key) is not None and row[key] != value:
            raise ValueError(f"{what}: {key} {row[key]!r} does not match {value!r}")
        result[key] = value
    return result


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    names = ", ".join(columns)
    params = ", ".join(f":{column}" for column in columns)
    return f"INSERT INTO {table} ({names}) VALUES ({params})"


def _write_error(exc: Any) -> StoreError:
    return translate(exc) or StoreError(
        f"The consent could not be saved, and nothing was written ({exc})."
    )


class FinalizeWrites(StoreBase):
    """The finalize write, mixed into ``db.Store``."""

    # -- finalizing ---------------------------------------------------------

    def finalize(self, record: FinalizeRecord) -> str:
        """Write a signed consent and everything about it in one transaction.

        Returns the consent id. On any failure nothing at all is written.
        """
        now = now_iso()
        rows = self._prepare_finalize(record, now)
        consent = rows["consents"][0]
        try:
            with self.transaction():
                self._db.execute(
                    _insert_sql("patients", PATIENT_COLUMNS)
                    + " ON CONFLICT (id) DO UPDATE SET full_name = excluded.full_name,"
                    " date_of_birth = excluded.date_of_birth, phone = excluded.phone,"
                    " email = excluded.email, updated_at = excluded.updated_at,"
                    " search_name = excluded.search_name",
                    rows["patients"][0],
                )
                # Packs are content-addressed: a known hash is the same content.
                self._db.execute(
                    _insert_sql("content_packs", CONTENT_PACK_COLUMNS)
                    + " ON CONFLICT (hash) DO NOTHING",
                    rows["content_packs"][0],
                )
                # Children can only be inserted while the consent is 'finalizing'.
                for table, columns in (
                    ("consents", CONSENT_COLUMNS),
                    ("screening_answers", SCREENING_COLUMNS),
                    ("acknowledgements", ACKNOWLEDGEMENT_COLUMNS),
                    ("faq_views", FAQ_VIEW_COLUMNS),
                    ("signatures", SIGNATURE_COLUMNS),
                ):
                    self._db.conn.executemany(_insert_sql(table, columns), rows[table])
                self._db.conn.executemany(_insert_sql("consent_links", LINK_COLUMNS),
                                          rows["consent_links"])
                self._db.conn.executemany(
                    _insert_sql("consent_confirmations", CONFIRMATION_COLUMNS),
                    rows["consent_confirmations"])
                append_event(
                    self._db.conn,
                    "consent.finalized",
                    consent_id=consent["id"],
                    actor=consent["injector_name"],
                    details={
                        "patient_id": consent["patient_id"],
                        "content_hash": consent["content_hash"],
                        "pdf_sha256": consent["pdf_sha256"],
                        "pdf_size": consent["pdf_size"],
                        "signature_roles": [s["role"] for s in rows["signatures"]],
                    },
                    at=consent["finalized_at"],
                    origin=self.origin,
                )
                for confirms in rows["consent_confirmations"]:
                    append_event(
                        self._db.conn, "consent.confirmation", consent_id=consent["id"],
                        actor=consent["injector_name"],
                        details={"full_consent_id": confirms["full_consent_id"]},
                        at=consent["finalized_at"], origin=self.origin)
                for link in rows["consent_links"]:
                    append_event(
                        self._db.conn,
                        LINK_EVENTS.get(link["kind"], f"consent.{link['kind']}"),
                        consent_id=consent["id"],
                        actor=consent["injector_name"],
                        details={"amends_id": link["amends_id"], "kind": link["kind"],
                                 "reason": link["reason"]},
                        at=consent["finalized_at"],
                        origin=self.origin,
                    )
                # From here on the triggers freeze the consent and its children.
                self._db.execute(
                    "UPDATE consents SET status = 'signed' WHERE id = ?", [consent["id"]]
                )
        except cipher.Error as exc:
            raise _write_error(exc) from exc
        return consent["id"]

    def _prepare_finalize(self, record: FinalizeRecord, now: str) -> dict[str, list[Row]]:
        """Validate the record and build every row before the transaction opens."""
        patient = _prepare(
            "patient",
            record.patient,
            PATIENT_COLUMNS,
            defaults={"created_at": now, "updated_at": now},
            derived={"search_name": fold(str(record.patient.get("full_name") or ""))},
        )
        pack = _prepare(
            "content_pack",
            record.content_pack,
            CONTENT_PACK_COLUMNS,
            defaults={"first_seen_at": now},
        )
        pdf = _as_bytes(record.consent.get("pdf"), "consent pdf")
        finalized_at = record.consent.get("finalized_at") or now
        consent = _prepare(
            "consent",
            record.consent,
            CONSENT_COLUMNS,
            derived={
                "patient_id": patient["id"],
                "content_pack_id": pack["pack_id"],
                "content_version": pack["version"],
                "content_hash": pack["hash"],
                "pdf": pdf,
                "pdf_sha256": _sha256(pdf),
                "pdf_size": len(pdf),
            },
            defaults={
                "patient_name": patient["full_name"],
                "patient_dob": patient["date_of_birth"],
                "finalized_at": finalized_at,
                "created_at": finalized_at,
            },
            store_owned=("status",),
        )
        consent["status"] = "finalizing"
        link = {"consent_id": consent["id"]}

        def children(what: str, items: list[Row], columns: Sequence[str], **kw: Any) -> list[Row]:
            return [
                _prepare(f"{what}[{i}]", item, columns, derived=link, **kw)
                for i, item in enumerate(items)
            ]

        faq_views = children("faq_views", record.faq_views, FAQ_VIEW_COLUMNS)
        for view in faq_views:
            view["discussed_in_person"] = int(bool(view["discussed_in_person"]))
        signatures = []
        for i, item in enumerate(record.signatures):
            png = _as_bytes(item.get("png"), f"signatures[{i}] png")
            signature = _prepare(
                f"signatures[{i}]",
                item,
                SIGNATURE_COLUMNS,
                derived={**link, "png": png, "png_sha256": _sha256(png)},
                store_owned=("id",),
            )
            signature["id"] = str(uuid.uuid4())
            signatures.append(signature)
        return {
            "patients": [patient],
            "content_packs": [pack],
            "consents": [consent],
            "screening_answers": children("screening", record.screening, SCREENING_COLUMNS),
            "acknowledgements": children(
                "acknowledgements", record.acknowledgements, ACKNOWLEDGEMENT_COLUMNS
            ),
            "faq_views": faq_views,
            "signatures": signatures,
            "consent_links": [_prepare("link", record.link, LINK_COLUMNS, derived=link)]
            if record.link is not None else [],
            "consent_confirmations": [_prepare("confirms", record.confirms,
                                               CONFIRMATION_COLUMNS, derived=link)]
            if record.confirms is not None else [],
        }

