"""The audit log's hash chain: how an event's hash is made, and how the chain is checked.

Every event stores the hash of the event before it (``prev_hash``; 64 zeros for the first)
and its own hash over a canonical form of all its fields, that link included. Changing,
deleting, reordering or slipping in an event therefore breaks the chain where it happened.

Events written since m0017 also carry ``origin_json``: who was at the keyboard and how the
event came (the operating-system user, ``via`` "window" or the command's name, and the staff
member signed in to it). It is hashed as one more field after ``prev_hash``; events written
before it have none (NULL) and are hashed over the older fields alone, so they still verify,
while removing or adding an origin breaks the event's hash either way.

What it cannot prove: someone able to write to the database file can recompute the whole
chain after tampering. The head hash printed by ``glabella audit verify`` can be noted
elsewhere (a printout, an email) to pin the log down to that moment.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import sqlite3
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from db.clock import now_iso

GENESIS = "0" * 64
HASHED_FIELDS = ("seq", "id", "at", "event", "consent_id", "actor", "details_json",
                 "prev_hash")
ORIGIN_FIELD = "origin_json"  # hashed after HASHED_FIELDS when the event has one


def os_user() -> str:
    """The operating-system account this process runs as ("" when it cannot be told)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name, no password entry
        return ""


@dataclass(frozen=True)
class Origin:
    """Where an event came from: the OS account, ``via`` (window / command name / None when
    the entry never said) and the staff member signed in to it, if any."""

    os_user: str
    via: str | None = None
    staff: str | None = None  # as audit actors are named ("Dana Whitfield, RN")
    staff_id: str | None = None

    @classmethod
    def here(cls, via: str | None = None) -> Origin:
        return cls(os_user(), via)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


def event_hash(row: Mapping[str, Any]) -> str:
    """SHA-256 over the JSON array of :data:`HASHED_FIELDS`, in that order (UTF-8, no spaces),
    followed by :data:`ORIGIN_FIELD` when the event has one."""
    values = [row[f] for f in HASHED_FIELDS]
    if row.get(ORIGIN_FIELD) is not None:
        values.append(row[ORIGIN_FIELD])
    canonical = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    kind: str  # "edited", "deleted", "reordered", "inserted"
    message: str


@dataclass(frozen=True)
class ChainReport:
    events: int
    head: str  # hash of the last event; GENESIS for an empty log
    problem: ChainProblem | None

    @property
    def intact(self) -> bool:
        return self.problem is None


def check_chain(rows: Iterable[Mapping[str, Any]], highest_seq_used: int | None = None
                ) -> ChainReport:
    """Walk the events in ``seq`` order and name the first one that breaks the chain.

    ``highest_seq_used`` is SQLite's AUTOINCREMENT high-water mark; a log that ends below
    it has lost its last events, which the links alone cannot show.
    """
    events = sorted(rows, key=lambda r: r["seq"])
    by_hash = {r["hash"]: r for r in events if r["hash"]}
    previous: Mapping[str, Any] | None = None
    for row in events:
        problem = _check_one(row, previous, by_hash)
        if problem is not None:
            return ChainReport(len(events), GENESIS, problem)
        previous = row
    last_seq = previous["seq"] if previous else 0
    if highest_seq_used is not None and highest_seq_used > last_seq:
        missing = (f"seq {last_seq + 1}" if highest_seq_used == last_seq + 1
                   else f"seq {last_seq + 1} to {highest_seq_used}")
        return ChainReport(len(events), GENESIS, ChainProblem(
            highest_seq_used, "deleted",
            f"deleted: the log ends at seq {last_seq} but had reached seq "
            f"{highest_seq_used} ({missing} missing)"))
    return ChainReport(len(events), previous["hash"] if previous else GENESIS, None)


def _check_one(row: Mapping[str, Any], previous: Mapping[str, Any] | None,
               by_hash: Mapping[str, Mapping[str, Any]]) -> ChainProblem | None:
    seq = row["seq"]
    expected_prev = previous["hash"] if previous else GENESIS
    content_ok = bool(row["hash"]) and event_hash(row) == row["hash"]
    link_ok = row["prev_hash"] == expected_prev
    what = f"seq {seq} ({row['event']}, {row['at']})"
    first_missing = previous["seq"] + 1 if previous else 1
    # seq numbers are never skipped (a rolled-back insert rolls its number back too), so
    # a gap means events were removed, even if the links were then rewritten to hide it
    missing = "" if seq == first_missing else (
        f" (seq {first_missing} missing)" if seq == first_missing + 1
        else f" (seq {first_missing} to {seq - 1} missing)")
    if content_ok and link_ok:
        if missing:
            return ChainProblem(seq, "deleted", f"deleted: events before {what} are gone"
                                                f"{missing}")
        return None
    if not row["hash"] or not row["prev_hash"]:
        return ChainProblem(seq, "inserted", f"inserted: {what} has no place in the chain "
                                             f"(no hash); Glabella did not write it")
    if previous is not None and row["prev_hash"] == previous["prev_hash"]:
        # two events claim the same predecessor: the one before this one was slipped in
        return ChainProblem(previous["seq"], "inserted",
                            f"inserted: seq {previous['seq']} ({previous['event']}) is not "
                            f"part of the chain; {what} was written right after the event "
                            f"before it")
    if link_ok:
        return ChainProblem(seq, "edited", f"edited: {what} does not match its hash; it "
                                           f"was changed after it was written")
    linked = by_hash.get(row["prev_hash"] or "")
    if linked is not None:
        return ChainProblem(seq, "reordered",
                            f"reordered: {what} was written right after seq "
                            f"{linked['seq']} ({linked['event']}), not after "
                            + (f"seq {previous['seq']}" if previous else "the start"))
    return ChainProblem(seq, "deleted", f"deleted: the event before {what} is gone; its "
                                        f"link matches no event in the log{missing}")


def append_event(conn: sqlite3.Connection, event: str, *, consent_id: str | None = None,
                 actor: str | None = None, details: Mapping[str, Any] | None = None,
                 at: str | None = None, origin: Origin | None = None) -> str:
    """Append one event chained to the last one and return its id; call inside a write
    transaction (``Store.transaction``), so nobody appends between the read and the write.
    ``actor`` defaults to the origin's staff member; the origin is always recorded."""
    origin = origin or Origin.here()
    # The number SQLite's AUTOINCREMENT would give: one past the highest ever used, so
    # events deleted from the end still leave a gap that audit verification sees.
    seq, prev = conn.execute(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'),"
        " 0), coalesce((SELECT max(seq) FROM audit_events), 0)) + 1,"
        " (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1)"
    ).fetchone()
    row: dict[str, Any] = {
        "seq": seq,
        "id": str(uuid.uuid4()),
        "at": at or now_iso(),
        "event": event,
        "consent_id": consent_id,
        "actor": actor if actor is not None else origin.staff,
        "details_json": json.dumps(dict(details or {}), ensure_ascii=False, sort_keys=True),
        "prev_hash": prev or GENESIS,
        ORIGIN_FIELD: origin.to_json(),
    }
    row["hash"] = event_hash(row)
    conn.execute(f"INSERT INTO audit_events ({', '.join(row)}) "
                 f"VALUES ({', '.join(':' + name for name in row)})", row)
    return str(row["id"])


def _event_rows(conn: sqlite3.Connection, consent_id: str | None = None
                ) -> list[dict[str, Any]]:
    where, params = ("WHERE consent_id = ?", [consent_id]) if consent_id else ("", [])
    cursor = conn.execute(f"SELECT * FROM audit_events {where} ORDER BY seq", params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def read_events(conn: sqlite3.Connection, consent_id: str | None = None) -> list[dict[str, Any]]:
    """Audit events oldest first, as dicts; details_json is also parsed into details."""
    rows = _event_rows(conn, consent_id)
    for row in rows:
        row["details"] = json.loads(row["details_json"])
        origin = row.get(ORIGIN_FIELD)
        row["origin"] = json.loads(origin) if origin else None
    return rows


def chain_report(conn: sqlite3.Connection) -> ChainReport:
    """Walk the stored log's hash chain (read-only); the report names the first broken
    event. Takes a plain connection so doctor can check a file it must not change."""
    high = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'"
                        ).fetchone()
    # unparsed: a tampered details_json is the chain's to report, not a crash
    return check_chain(_event_rows(conn), high[0] if high else None)


def last_event(conn: sqlite3.Connection, event: str) -> tuple[str, dict[str, Any]] | None:
    """When the newest event of this kind was logged, and its details; None if never."""
    row = conn.execute("SELECT at, details_json FROM audit_events WHERE event = ?"
                       " ORDER BY seq DESC LIMIT 1", [event]).fetchone()
    return (row[0], json.loads(row[1])) if row else None


def events_since(conn: sqlite3.Connection, events: Iterable[str], since: str
                 ) -> list[dict[str, Any]]:
    """Events of these kinds logged at or after ``since`` (ISO), oldest first, parsed."""
    kinds = list(events)
    marks = ", ".join("?" for _ in kinds)
    cursor = conn.execute(f"SELECT seq, at, event, actor, details_json FROM audit_events"
                          f" WHERE event IN ({marks}) AND at >= ? ORDER BY seq",
                          [*kinds, since])
    return [{"seq": seq, "at": at, "event": event, "actor": actor,
             "details": json.loads(details)} for seq, at, event, actor, details in cursor]
