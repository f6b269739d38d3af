"""What the records screen says: rows for patients and consents, empty states, verify verdicts.

Qt-free, so the wording is tested without a window; the screen only lays these out. The
data comes from ``app.records.search`` and ``app.document.verify``.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.document.verify import (
    NO_RECORD,
    VerifyReport,
    describe,
    findings,
    format_time,
    verdict_reasons,
)
from app.records.search import ConsentSummary, PatientMatch

SHORT_ID = 8  # as in exported file names: enough to tell a clinic's records apart


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def short_id(record_id: str) -> str:
    return record_id[:SHORT_ID]


def local_minute(timestamp: str) -> str:
    """``2026-11-23 14:05``: the clinic's wall-clock time as recorded, to the minute."""
    return timestamp[:16].replace("T", " ")


@dataclass(frozen=True)
class PatientRow:
    id: str
    name: str
    born: str
    consents: str  # "2 consents"
    last: str  # "last 2026-11-23", or "no consent yet"

    @classmethod
    def of(cls, match: PatientMatch) -> PatientRow:
        last = (f"last {match.last_consent_at[:10]}" if match.last_consent_at
                else "no consent yet")
        return cls(match.id, match.full_name, match.date_of_birth,
                   plural(match.consents, "consent"), last)

    @property
    def details(self) -> str:
        return f"born {self.born} · {self.consents}"


@dataclass(frozen=True)
class ConsentRow:
    id: str
    short_id: str
    finalized: str  # local wall-clock minute
    finalized_full: str  # with the UTC offset, for a tooltip
    patient: str
    product: str
    areas: str
    injector: str
    status: str  # Signed, Amended (a later record amends it) or Withdrawn (its chain ends
    # in a withdrawal)
    kind: str | None = None  # Amendment or Withdrawal; None for an ordinary consent
    amends: str | None = None  # id of the consent this one corrects or withdraws
    reason: str | None = None  # why it was amended or withdrawn
    can_amend: bool = False  # the head of its chain, not withdrawn: may be amended/withdrawn

    @classmethod
    def of(cls, c: ConsentSummary) -> ConsentRow:
        injector = (f"{c.injector_name}, {c.injector_credentials}" if c.injector_credentials
                    else c.injector_name)
        return cls(c.id, short_id(c.id), local_minute(c.finalized_at),
                   format_time(c.finalized_at), f"{c.patient_name} ({c.patient_dob})",
                   c.product_name, c.areas, injector, c.status.capitalize(),
                   None if c.kind == "consent" else c.kind.capitalize(), c.amends, c.reason,
                   c.is_head)

    @property
    def caption(self) -> str:
        """One line naming the consent, for the action bar and dialogs."""
        return (f"Record {self.short_id} · {self.patient} · {self.product} · "
                f"{self.finalized}")

    @property
    def link_text(self) -> str:
        """``Amendment of 0f1e2d3c: reason``; empty for an ordinary consent."""
        if self.kind is None or self.amends is None:
            return ""
        return f"{self.kind} of {short_id(self.amends)}: {self.reason or ''}".rstrip(": ")


def has_chain(rows: list[ConsentRow]) -> bool:
    """Whether any row carries amendment data, i.e. whether to show those columns."""
    return any(r.kind is not None or r.amends is not None for r in rows)


def _sentence(text: str) -> str:
    text = text.rstrip(".")
    return (text[:1].upper() + text[1:] + ".") if text else ""


def no_patient_message(text: str) -> str:
    return f"No patient matches '{text.strip()}'."


def search_hint() -> str:
    return ("Type part of a name (accents and capitals do not matter) or a date of birth "
            "as YYYY-MM-DD or a year.")


def consents_heading(patient: PatientRow | None, shown: int, limit: int) -> str:
    """What the list on the right is: one patient's history, or the register."""
    what = f"History of {patient.name}" if patient else "Register: all consents"
    more = f" (the newest {limit}; narrow the filters to see older ones)" \
        if shown >= limit else ""
    return f"{what} — {plural(shown, 'consent')}{more}"


def no_consent_message(patient: PatientRow | None, filtered: bool) -> str:
    if patient is None:
        return ("No consent matches these filters." if filtered
                else "No consent has been finalized yet.")
    if filtered:
        return f"No consent of {patient.name} matches these filters."
    return f"{patient.name} has no finalized consent."


@dataclass(frozen=True)
class VerifyView:
    """A verify report as the screen shows it: a verdict, its tone, facts, the full report."""

    headline: str
    tone: str  # a Banner kind: success, warning or danger
    facts: list[str]
    details: list[str]


# The screen's headline for a report, by the weightiest reason it is not OK (as
# ``verify.verdict_reasons`` orders them); None: the file is OK.
_HEADLINES: dict[str | None, tuple[str, str]] = {
    None: ("Intact and known: this is the clinic's record, unchanged.", "success"),
    "modified": ("Modified: this file was changed after it was certified.", "danger"),
    "not certified": ("Not certified: this file carries no clinic certification.", "danger"),
    "certified by someone else": ("Certified by someone else: not a certificate this clinic "
                                  "holds.", "danger"),
    "unknown to this clinic": ("Intact, but unknown: no record in this clinic's database "
                               "holds this exact file.", "warning"),
}


def verify_view(report: VerifyReport) -> VerifyView:
    """The findings of ``verify`` (the words ``glabella verify`` prints) as sentences."""
    reasons = verdict_reasons(report)
    headline, tone = _HEADLINES[reasons[0] if reasons else None]
    found = findings(report)
    facts = [f"Certification: {found.certification}. "
             f"{_sentence(found.certification_detail)}".rstrip()]
    if found.certified_by is not None:
        facts.append(f"Certified by: {found.certified_by}, "
                     f"{format_time(report.certification.signed_at)}.")
    facts.append(f"Known record: {found.record}." if found.record is not None
                 else f"Known record: none. {_sentence(NO_RECORD)}")
    return VerifyView(headline, tone, facts, describe(report))
