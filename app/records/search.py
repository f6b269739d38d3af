"""Finding records: patients by name or date of birth, a patient's consents, the register.

Qt-free plain functions returning dataclasses, shared by ``glabella records`` and the
records screen. Names match partially and without regard to case or accents ("nunez"
finds "Núñez", "lukasz" finds "Łukasz") through the full-text index on the folded name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from app.base.errors import KnownError
from db import search as search_table
from db.folding import fold, words

if TYPE_CHECKING:
    from db import Store

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
# 03/04/1988 is March or April depending on who typed it: refused, never guessed
_AMBIGUOUS_DATE = re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}$")


class RecordsQueryError(KnownError, ValueError):
    """A search or filter that cannot be run as typed; ``message`` says how to fix it."""


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
    found = search_table.find_patients(store, names, (born.first, born.last) if born else None,
                                       limit)
    counts = search_table.consent_counts(store, [r["id"] for r in found])
    return [PatientMatch(r["id"], r["full_name"], r["date_of_birth"], r["phone"], r["email"],
                         *counts.get(r["id"], (0, None))) for r in found]


def patient_history(store: Store, patient_id: str) -> list[ConsentSummary]:
    """Every consent of one patient, newest first (raises RecordNotFoundError if unknown)."""
    store.get_patient(patient_id)
    return [ConsentSummary(**r) for r in search_table.patient_summaries(store, patient_id)]


def list_consents(store: Store, where: ConsentFilter = ConsentFilter()) -> list[ConsentSummary]:
    """The register, newest first, filtered; at most ``where.limit`` consents."""
    if where.date_from and where.date_to and where.date_from > where.date_to:
        raise RecordsQueryError("The 'from' date is after the 'to' date.")
    rows = search_table.register_summaries(store, search_table.SummaryFilter(
        where.patient_id, where.date_from, where.date_to, _products(store, where.product),
        _injectors(store, where.injector), where.limit))
    return [ConsentSummary(**r) for r in rows]


def injectors(store: Store) -> list[str]:
    """Every injector name on record, for a filter's choices."""
    return search_table.injector_names(store)


def products(store: Store) -> list[tuple[str, str]]:
    """(id, name) of every product on record, for a filter's choices."""
    return search_table.product_names(store)


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
