"""The records store: finalizing consents, reading them back, settings, audit."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import sqlite_utils

from db import content_reviews
from db.audit_chain import GENESIS, ChainReport, check_chain, event_hash
from db.clock import now_iso  # noqa: F401 - also imported from here
from db.connection import connect
from db.errors import RecordNotFoundError, StoreError, translate, translating_errors
from db.folding import fold
from db.migrations import migrate
from db.records import FinalizeRecord, Row

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
)  # fmt: skip
FAQ_VIEW_COLUMNS = ("consent_id", "faq_id", "viewed_at", "discussed_in_person")
SIGNATURE_COLUMNS = (
    "id", "consent_id", "role", "printed_name", "meaning", "signed_at", "png",
    "png_sha256", "strokes_json",
)  # fmt: skip

LINK_COLUMNS = ("consent_id", "kind", "amends_id", "reason")
# the audit event written with an amendment or withdrawal, besides consent.finalized
LINK_EVENTS = {"amendment": "consent.amended", "withdrawal": "consent.withdrawn"}

# Lists never carry the large columns; fetch them per consent instead.
_CONSENT_READ_COLUMNS = tuple(c for c in CONSENT_COLUMNS if c != "pdf")
_CONSENT_LIST_COLUMNS = tuple(
    c for c in _CONSENT_READ_COLUMNS if c not in ("consent_json", "clinic_json")
)


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


def _write_error(exc: sqlite3.Error) -> StoreError:
    return translate(exc) or StoreError(
        f"The consent could not be saved, and nothing was written ({exc})."
    )


class Store:
    """One open records database. Not thread-safe: use one Store per thread."""

    def __init__(self, database: sqlite_utils.Database) -> None:
        self._db = database

    @classmethod
    def open(cls, path: str | Path) -> Self:
        """Open (creating if needed) and migrate the database at path."""
        database = connect(path)
        try:
            migrate(database)
        except BaseException:
            database.close()
            raise
        return cls(database)

    @property
    def database(self) -> sqlite_utils.Database:
        """The underlying connection, for code that needs raw access."""
        return self._db

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction that takes SQLite's write lock at its start.

        BEGIN IMMEDIATE means no other connection can append an audit event between this
        one reading the chain's last hash and appending after it. Nested use is a savepoint.
        """
        if self._db.conn.in_transaction:
            with self._db.atomic():
                yield
            return
        self._db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.conn.rollback()
            raise
        else:
            try:
                self._db.conn.execute("COMMIT")
            except BaseException:
                self._db.conn.rollback()
                raise

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Cursor:
        """Run raw SQL, turning immutability trigger failures into ImmutableRecordError."""
        with translating_errors():
            return self._db.execute(sql, params)

    # -- finalizing ---------------------------------------------------------

    def finalize(self, record: FinalizeRecord) -> str:
        """Write a signed consent and everything about it in one transaction.

        Returns the consent id. On any failure nothing at all is written.
        """
        now = now_iso()
        rows = self._prepare_finalize(record, now)
        consent = rows["consents"][0]
        try:
            with self._writing():
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
                self._insert_event(
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
                )
                for link in rows["consent_links"]:
                    self._insert_event(
                        LINK_EVENTS.get(link["kind"], f"consent.{link['kind']}"),
                        consent_id=consent["id"],
                        actor=consent["injector_name"],
                        details={"amends_id": link["amends_id"], "kind": link["kind"],
                                 "reason": link["reason"]},
                        at=consent["finalized_at"],
                    )
                # From here on the triggers freeze the consent and its children.
                self._db.execute(
                    "UPDATE consents SET status = 'signed' WHERE id = ?", [consent["id"]]
                )
        except sqlite3.Error as exc:
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
        }

    # -- reads --------------------------------------------------------------

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return list(self._db.query(sql, params))

    def _one(self, kind: str, record_id: str, sql: str) -> Row:
        rows = self._rows(sql, [record_id])
        if not rows:
            raise RecordNotFoundError(kind, record_id)
        return rows[0]

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

    def add_content_review(self, **review: str) -> Row:
        """A medical director's review of a pack, with its audit event (db.content_reviews)."""
        return content_reviews.add_content_review(self, **review)

    def content_review(self, content_hash: str) -> Row | None:
        """The newest review of exactly this pack hash, or None."""
        return content_reviews.content_review(self, content_hash)

    # -- settings -----------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        rows = self._rows("SELECT value FROM settings WHERE key = ?", [key])
        return rows[0]["value"] if rows else default

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting; a changed value is recorded in the audit log."""
        if not isinstance(value, str):
            raise TypeError(f"setting {key!r} must be a str, not {type(value).__name__}")
        with self._writing():
            old = self.get_setting(key)
            if old == value:
                return
            now = now_iso()
            self._db.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                " updated_at = excluded.updated_at",
                [key, value, now],
            )
            self._insert_event(
                "settings.changed", details={"key": key, "old": old, "new": value}, at=now
            )

    def all_settings(self) -> dict[str, str]:
        return {row["key"]: row["value"] for row in self._rows("SELECT * FROM settings")}

    # -- audit --------------------------------------------------------------

    def log_event(
        self,
        event: str,
        *,
        consent_id: str | None = None,
        actor: str | None = None,
        details: Mapping[str, Any] | None = None,
        at: str | None = None,
    ) -> str:
        """Append an audit event and return its id."""
        with self._writing():
            return self._insert_event(
                event, consent_id=consent_id, actor=actor, details=details, at=at
            )

    def _insert_event(
        self,
        event: str,
        *,
        consent_id: str | None = None,
        actor: str | None = None,
        details: Mapping[str, Any] | None = None,
        at: str | None = None,
    ) -> str:
        """Append one event, chained to the last one; call inside a write transaction."""
        # The number SQLite's AUTOINCREMENT would give: one past the highest ever used, so
        # events deleted from the end still leave a gap that audit verification sees.
        seq, prev = self._db.execute(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'),"
            " 0), coalesce((SELECT max(seq) FROM audit_events), 0)) + 1,"
            " (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1)"
        ).fetchone()
        row: Row = {
            "seq": seq,
            "id": str(uuid.uuid4()),
            "at": at or now_iso(),
            "event": event,
            "consent_id": consent_id,
            "actor": actor,
            "details_json": json.dumps(dict(details or {}), ensure_ascii=False, sort_keys=True),
            "prev_hash": prev or GENESIS,
        }
        row["hash"] = event_hash(row)
        self._db.execute(_insert_sql("audit_events", list(row)), row)
        return row["id"]

    def audit_chain(self) -> ChainReport:
        """Walk the audit log's hash chain; the report names the first broken event."""
        high = self._db.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'"
        ).fetchone()
        rows = self._rows("SELECT * FROM audit_events ORDER BY seq")
        return check_chain(rows, high[0] if high else None)

    def audit_events(self, consent_id: str | None = None) -> list[Row]:
        """Audit events oldest first; details_json is also parsed into details."""
        where, params = ("WHERE consent_id = ?", [consent_id]) if consent_id else ("", [])
        rows = self._rows(f"SELECT * FROM audit_events {where} ORDER BY seq", params)
        for row in rows:
            row["details"] = json.loads(row["details_json"])
        return rows
