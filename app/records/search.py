"""Finding records: patients by name or date of birth, a patient's consents, the register.

Qt-free plain functions returning dataclasses, shared by ``glabella records`` and the
records screen. Names match partially and without regard to case or accents ("nunez"
finds "Núñez", "lukasz" finds "Łukasz") through the full-text index on the folded name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from app.base.errors import KnownError
from db.folding import fold, words

if TYPE_CHECKING:
    from db import Store

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
# 03/04/1988 is March or April depending on who typed it: refused, never guessed
_AMBIGUOUS_DATE = re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}$")


class RecordsQueryError(KnownError, ValueError):
    """A search or filter that cannot be run as typed; ``message`` says how to fix it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PatientMatch:
    id: str
    full_name: str
    date_of_birth: str
    phone: str | None
    email: str | None
    consents: int
    last_consent_at: str | None  # finalized_at of the newest consent


@dataclass(frozen=True)
class ConsentSummary:
    """A consent as listed: everything but the PDF and the stored consult."""

    id: str
    patient_id: str
    status: str
    patient_name: str
    patient_dob: str
    product_id: str
    product_name: str
    areas: str
    injector_name: str
    injector_credentials: str | None
    created_at: str
    finalized_at: str
    content_version: str
    kind: str = "consent"  # consent | amendment | withdrawal
    amends: str | None = None  # id of the consent this one corrects or withdraws
    reason: str | None = None  # why it was amended or withdrawn

    @property
    def is_head(self) -> bool:
        """Nothing amends or withdraws it yet, and it is no withdrawal: it can be amended
        or withdrawn."""
        return self.status == "signed" and self.kind != "withdrawal"


# The link's columns come from consent_links; the others all sit before the large ones in
# a consents row, so listing reads no PDF.
_LINK_FIELDS = {"kind": "coalesce(l.kind, 'consent')", "amends": "l.amends_id",
                "reason": "l.reason"}
_SUMMARY_COLUMNS = ", ".join(
    f"{_LINK_FIELDS[f.name]} AS {f.name}" if f.name in _LINK_FIELDS else f"c.{f.name}"
    for f in fields(ConsentSummary) if f.init)
_SUMMARY_FROM = "consents AS c LEFT JOIN consent_links AS l ON l.consent_id = c.id"
# the kind of the last record of each listed consent's chain, when something follows it
_CHAIN_ENDS = """
WITH RECURSIVE walk(start, id, kind, depth) AS (
    SELECT value, value, NULL, 0 FROM json_each(?)
    UNION ALL
    SELECT walk.start, l.consent_id, l.kind, walk.depth + 1
    FROM walk JOIN consent_links AS l ON l.amends_id = walk.id
)
SELECT start, kind, max(depth) FROM walk WHERE depth > 0 GROUP BY start"""


def _summaries(store: Store, sql: str, args: Sequence[Any]) -> list[ConsentSummary]:
    """Summaries with their effective status: "amended" when a later record amends them,
    "withdrawn" when their chain ends in a withdrawal, else as stored."""
    rows = list(store.database.query(sql, args))
    ends = {start: kind for start, kind, _depth in store.database.execute(
        _CHAIN_ENDS, [json.dumps([r["id"] for r in rows])]).fetchall()}
    for row in rows:
        if row["id"] in ends:
            row["status"] = "withdrawn" if ends[row["id"]] == "withdrawal" else "amended"
    return [ConsentSummary(**r) for r in rows]


@dataclass(frozen=True)
class ConsentFilter:
    patient_id: str | None = None
    date_from: date | None = None  # the local date of finalizing, inclusive
    date_to: date | None = None  # inclusive
    product: str | None = None  # a product id or name
    injector: str | None = None  # part of the injector's name
    limit: int = 200


@dataclass(frozen=True)
class DobQuery:
    """An exact date of birth, or a whole year of them."""

    first: str
    last: str  # inclusive

    @classmethod
    def parse(cls, text: str) -> DobQuery:
        text = text.strip()
        if _YEAR.match(text):
            return cls(f"{text}-01-01", f"{text}-12-31")
        if _ISO_DATE.match(text):
            return cls(parse_date(text, "date of birth").isoformat(), text)
        raise RecordsQueryError(f"Type the date of birth as YYYY-MM-DD (for example "
                                f"1988-04-17) or a year (1988), not {text!r}.")


def parse_date(text: str, what: str = "date") -> date:
    """An ISO date (YYYY-MM-DD); anything else is refused with a plain message."""
    try:
        if _ISO_DATE.match(text.strip()):
            return date.fromisoformat(text.strip())
    except ValueError:
        raise RecordsQueryError(f"{text!r} is not a real {what}.") from None
    raise RecordsQueryError(f"Type the {what} as YYYY-MM-DD (for example 2026-03-31), "
                            f"not {text!r}.")


def split_query(text: str) -> tuple[list[str], DobQuery | None]:
    """The name words and the date of birth (or year) in one search box's text."""
    names: list[str] = []
    dob: DobQuery | None = None
    for token in text.split():
        if _ISO_DATE.match(token) or _YEAR.match(token) or _AMBIGUOUS_DATE.match(token):
            if dob is not None:
                raise RecordsQueryError("Search for one date of birth at a time.")
            dob = DobQuery.parse(token)
        else:
            names += words(token)
    return names, dob


def search_patients(store: Store, text: str = "", dob: str | None = None,
                    limit: int = 50) -> list[PatientMatch]:
    """Patients whose name has words starting with each typed word, and/or born on ``dob``.

    ``text`` may itself hold the date of birth (``nunez 1988-04-17``, ``nunez 1988``).
    When no name word starts that way, a name containing the typed letters anywhere is
    found instead (``unez``; names in scripts written without spaces).
    """
    names, dob_in_text = split_query(text)
    if dob is not None and dob_in_text is not None:
        raise RecordsQueryError("Give the date of birth once.")
    born = DobQuery.parse(dob) if dob is not None else dob_in_text
    if not names and born is None:
        return []
    where, args = ("date_of_birth BETWEEN :dob_first AND :dob_last",
                   {"dob_first": born.first, "dob_last": born.last}) if born else (None, {})
    columns = ["id", "full_name", "date_of_birth", "phone", "email"]
    order = "search_name, date_of_birth, id"
    if not names:
        rows = store.database.query(
            f"SELECT {', '.join(columns)} FROM patients WHERE {where} ORDER BY {order}"
            f" LIMIT {int(limit)}", args)
        return _with_counts(store, list(rows))
    table = store.database["patients"]
    query = " ".join(f'"{w}"*' for w in names)  # words hold no quotes: see db.folding
    found = list(table.search(query, columns=columns, order_by=order, limit=int(limit),
                              where=where, where_args=args or None))
    if not found:
        found = _containing(store, names, columns, where, args, order, limit)
    return _with_counts(store, found)


def _containing(store: Store, names: Sequence[str], columns: Sequence[str], where: str | None,
                args: dict[str, Any], order: str, limit: int) -> list[dict[str, Any]]:
    """Names holding every word anywhere: a scan, so only when the index found nothing."""
    clauses = [f"search_name LIKE :w{i} ESCAPE '\\'" for i in range(len(names))]
    for i, word in enumerate(names):
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        args = {**args, f"w{i}": f"%{escaped}%"}
    if where:
        clauses.append(where)
    return list(store.database.query(
        f"SELECT {', '.join(columns)} FROM patients WHERE {' AND '.join(clauses)}"
        f" ORDER BY {order} LIMIT {int(limit)}", args))


def _with_counts(store: Store, rows: list[dict[str, Any]]) -> list[PatientMatch]:
    ids = [r["id"] for r in rows]
    counts: dict[str, tuple[int, str | None]] = {}
    if ids:
        marks = ", ".join("?" * len(ids))
        for pid, n, last in store.database.execute(
                f"SELECT patient_id, count(*), max(finalized_at) FROM consents"
                f" WHERE patient_id IN ({marks}) GROUP BY patient_id", ids).fetchall():
            counts[pid] = (n, last)
    return [PatientMatch(r["id"], r["full_name"], r["date_of_birth"], r["phone"], r["email"],
                         *counts.get(r["id"], (0, None))) for r in rows]


def patient_history(store: Store, patient_id: str) -> list[ConsentSummary]:
    """Every consent of one patient, newest first (raises RecordNotFoundError if unknown)."""
    store.get_patient(patient_id)
    return _summaries(
        # julianday() compares instants: consents signed in other UTC offsets sort right
        store, f"SELECT {_SUMMARY_COLUMNS} FROM {_SUMMARY_FROM} WHERE c.patient_id = ?"
        " ORDER BY julianday(c.finalized_at) DESC, c.rowid DESC", [patient_id])


def list_consents(store: Store, where: ConsentFilter = ConsentFilter()) -> list[ConsentSummary]:
    """The register, newest first, filtered; at most ``where.limit`` consents."""
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
    if where.date_from and where.date_to and where.date_from > where.date_to:
        raise RecordsQueryError("The 'from' date is after the 'to' date.")
    for column, values in (("product_id", _products(store, where.product)),
                           ("injector_name", _injectors(store, where.injector))):
        if values is None:
            continue
        if not values:
            return []
        clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
        args += values
    sql = f"SELECT {_SUMMARY_COLUMNS} FROM {_SUMMARY_FROM}"
    if clauses:
        sql += " WHERE " + " AND ".join(f"c.{clause}" for clause in clauses)
    # the text order of finalized_at, so the index serves it; it can misplace consents
    # signed within the hour a clock change repeats, which a listing can live with
    sql += f" ORDER BY c.finalized_at DESC, c.rowid DESC LIMIT {int(where.limit)}"
    return _summaries(store, sql, args)


def injectors(store: Store) -> list[str]:
    """Every injector name on record, for a filter's choices."""
    return [r[0] for r in store.database.execute(
        "SELECT DISTINCT injector_name FROM consents ORDER BY injector_name").fetchall()]


def products(store: Store) -> list[tuple[str, str]]:
    """(id, name) of every product on record, for a filter's choices."""
    ids = [r[0] for r in store.database.execute(
        "SELECT DISTINCT product_id FROM consents ORDER BY product_id").fetchall()]
    return [(pid, store.database.execute(
        "SELECT product_name FROM consents WHERE product_id = ? LIMIT 1", [pid]).fetchone()[0])
        for pid in ids]


def _injectors(store: Store, wanted: str | None) -> list[str] | None:
    if not wanted:
        return None
    return _matching(injectors(store), wanted)


def _products(store: Store, wanted: str | None) -> list[str] | None:
    if not wanted:
        return None
    known = products(store)
    exact = [pid for pid, _name in known if pid == wanted]
    return exact or [pid for pid, name in known if fold(name) == fold(wanted)]


def _matching(values: Iterable[str], wanted: str) -> list[str]:
    """Values containing every folded word of ``wanted``."""
    needles = words(wanted)
    return [v for v in values if all(n in fold(v) for n in needles)]
