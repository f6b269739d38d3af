"""Finding records: patients by folded name or date of birth, consent summaries with their
effective status, and the product and injector names on record.

Names are matched through the full-text index on ``patients.search_name`` (words are
folded by the caller with ``db.folding``; they hold no quotes).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from db.base import Row

if TYPE_CHECKING:
    from db.store import Store

PATIENT_MATCH_COLUMNS = ("id", "full_name", "date_of_birth", "phone", "email")
_PATIENT_ORDER = "search_name, date_of_birth, id"

# A summary is a consent as listed: the link's columns come from consent_links (or, for a
# treatment-day confirmation, consent_confirmations: ``amends`` is then the full consent it
# relies on); the others all sit before the large ones in a consents row, so listing reads
# no PDF.
SUMMARY_COLUMNS = (
    "id", "patient_id", "status", "patient_name", "patient_dob", "product_id",
    "product_name", "areas", "injector_name", "injector_credentials", "created_at",
    "finalized_at", "content_version", "kind", "amends", "reason",
)  # fmt: skip
_LINK_FIELDS = {"kind": "coalesce(l.kind, CASE WHEN f.consent_id IS NOT NULL "
                        "THEN 'confirmation' END, 'consent')",
                "amends": "coalesce(l.amends_id, f.full_consent_id)", "reason": "l.reason"}
_SUMMARY_SELECT = "SELECT " + ", ".join(
    f"{_LINK_FIELDS[c]} AS {c}" if c in _LINK_FIELDS else f"c.{c}" for c in SUMMARY_COLUMNS
) + (" FROM consents AS c LEFT JOIN consent_links AS l ON l.consent_id = c.id"
     " LEFT JOIN consent_confirmations AS f ON f.consent_id = c.id")
# the kind of the last record of each listed consent's chain, when something follows it
_CHAIN_ENDS = """
WITH RECURSIVE walk(start, id, kind, depth) AS (
    SELECT value, value, NULL, 0 FROM json_each(?)
    UNION ALL
    SELECT walk.start, l.consent_id, l.kind, walk.depth + 1
    FROM walk JOIN consent_links AS l ON l.amends_id = walk.id
)
SELECT start, kind, max(depth) FROM walk WHERE depth > 0 GROUP BY start"""


@dataclass(frozen=True)
class SummaryFilter:
    """Which consents a register listing holds; None (or no ids) leaves a field open."""

    patient_id: str | None = None
    date_from: date | None = None  # the local date of finalizing, inclusive
    date_to: date | None = None  # inclusive
    product_ids: Sequence[str] | None = None  # [] matches nothing
    injector_names: Sequence[str] | None = None  # [] matches nothing
    limit: int = 200


def find_patients(store: Store, names: Sequence[str], born: tuple[str, str] | None,
                  limit: int) -> list[Row]:
    """Patients (PATIENT_MATCH_COLUMNS) whose folded name has words starting with each of
    ``names`` (else containing them anywhere), and/or born between ``born``'s two ISO dates.
    """
    where, args = ("date_of_birth BETWEEN :dob_first AND :dob_last",
                   {"dob_first": born[0], "dob_last": born[1]}) if born else (None, {})
    if not names:
        return list(store.database.query(
            f"SELECT {', '.join(PATIENT_MATCH_COLUMNS)} FROM patients WHERE {where}"
            f" ORDER BY {_PATIENT_ORDER} LIMIT {int(limit)}", args))
    query = " ".join(f'"{w}"*' for w in names)
    found = list(store.database.table("patients").search(
        query, columns=list(PATIENT_MATCH_COLUMNS), order_by=_PATIENT_ORDER,
        limit=int(limit), where=where, where_args=args or None))
    return found or _containing(store, names, where, args, limit)


def _containing(store: Store, names: Sequence[str], where: str | None, args: dict[str, Any],
                limit: int) -> list[Row]:
    """Names holding every word anywhere: a scan, so only when the index found nothing."""
    clauses = [f"search_name LIKE :w{i} ESCAPE '\\'" for i in range(len(names))]
    for i, word in enumerate(names):
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        args = {**args, f"w{i}": f"%{escaped}%"}
    if where:
        clauses.append(where)
    return list(store.database.query(
        f"SELECT {', '.join(PATIENT_MATCH_COLUMNS)} FROM patients"
        f" WHERE {' AND '.join(clauses)} ORDER BY {_PATIENT_ORDER} LIMIT {int(limit)}", args))


def consent_counts(store: Store, patient_ids: Sequence[str]) -> dict[str, tuple[int, str | None]]:
    """For each patient with consents: how many, and the newest one's finalized_at."""
    if not patient_ids:
        return {}
    marks = ", ".join("?" * len(patient_ids))
    return {pid: (n, last) for pid, n, last in store.database.execute(
        f"SELECT patient_id, count(*), max(finalized_at) FROM consents"
        f" WHERE patient_id IN ({marks}) GROUP BY patient_id", list(patient_ids)).fetchall()}


def patient_summaries(store: Store, patient_id: str) -> list[Row]:
    """Summaries (SUMMARY_COLUMNS) of one patient's consents, newest first."""
    # julianday() compares instants: consents signed in other UTC offsets sort right
    return _with_status(store, f"{_SUMMARY_SELECT} WHERE c.patient_id = ?"
                        " ORDER BY julianday(c.finalized_at) DESC, c.rowid DESC", [patient_id])


def register_summaries(store: Store, where: SummaryFilter) -> list[Row]:
    """Summaries of the register, newest first, filtered; at most ``where.limit``."""
    clauses: list[str] = []
    args: list[Any] = []
    if where.patient_id:
        clauses.append("patient_id = ?")
        args.append(where.patient_id)
    # finalized_at starts with the clinic's local date, so a text range is a date range
    if where.date_from:
        clauses.append("finalized_at >= ?")
        args.append(where.date_from.isoformat())
    if where.date_to:
        clauses.append("finalized_at < ?")
        args.append((where.date_to + timedelta(days=1)).isoformat())
    for column, values in (("product_id", where.product_ids),
                           ("injector_name", where.injector_names)):
        if values is None:
            continue
        if not values:
            return []
        clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
        args += values
    sql = _SUMMARY_SELECT
    if clauses:
        sql += " WHERE " + " AND ".join(f"c.{clause}" for clause in clauses)
    # the text order of finalized_at, so the index serves it; it can misplace consents
    # signed within the hour a clock change repeats, which a listing can live with
    sql += f" ORDER BY c.finalized_at DESC, c.rowid DESC LIMIT {int(where.limit)}"
    return _with_status(store, sql, args)


def _with_status(store: Store, sql: str, args: Sequence[Any]) -> list[Row]:
    """The rows with their effective status: "amended" when a later record amends them,
    "withdrawn" when their chain ends in a withdrawal, else as stored."""
    rows = list(store.database.query(sql, args))
    ends = {start: kind for start, kind, _depth in store.database.execute(
        _CHAIN_ENDS, [json.dumps([r["id"] for r in rows])]).fetchall()}
    for row in rows:
        if row["id"] in ends:
            row["status"] = "withdrawn" if ends[row["id"]] == "withdrawal" else "amended"
    return rows


def injector_names(store: Store) -> list[str]:
    """Every injector name on record."""
    return [r[0] for r in store.database.execute(
        "SELECT DISTINCT injector_name FROM consents ORDER BY injector_name").fetchall()]


def product_names(store: Store) -> list[tuple[str, str]]:
    """(id, name) of every product on record."""
    ids = [r[0] for r in store.database.execute(
        "SELECT DISTINCT product_id FROM consents ORDER BY product_id").fetchall()]
    return [(pid, store.database.execute(
        "SELECT product_name FROM consents WHERE product_id = ? LIMIT 1", [pid]).fetchone()[0])
        for pid in ids]
