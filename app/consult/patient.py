"""Patient and injector details, and the checks that turn typed input into them.

Input is cleaned rather than trusted: Unicode is normalised (NFC), control characters and
bidirectional override characters are removed (they can make a printed name read
differently from what was typed), runs of white space are folded. Over-long input is
refused with a message, never truncated silently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

MAX_NAME = 200
MAX_PHONE = 40
MAX_EMAIL = 254
MAX_NOTE = 2000
ADULT_AGE = 18
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field, in words the user can act on."""

    field: str
    message: str


@dataclass(frozen=True)
class Patient:
    full_name: str
    date_of_birth: date
    phone: str = ""
    email: str = ""
    id: str = ""  # set when the patient is known to the clinic database

    def age_on(self, day: date) -> int:
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - int(before_birthday)

    def is_minor_on(self, day: date) -> bool:
        return self.age_on(day) < ADULT_AGE


@dataclass(frozen=True)
class Injector:
    full_name: str
    credentials: str = ""  # e.g. "RN", "MD"
    role: str = "Injector"

    @property
    def display_name(self) -> str:
        return f"{self.full_name}, {self.credentials}" if self.credentials else self.full_name


def clean_text(value: object, *, multiline: bool = False) -> str:
    """Normalise typed text: NFC, no control or bidi-override characters, folded spaces."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    kept = []
    for ch in text:
        if ch in _BIDI_CONTROLS:
            continue
        if unicodedata.category(ch) == "Cc" and not (multiline and ch == "\n"):
            kept.append(" ")
            continue
        kept.append(ch)
    text = "".join(kept)
    if multiline:
        lines = [re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n")]
        return "\n".join(lines).strip()
    return re.sub(r"\s+", " ", text).strip()


def parse_date(value: object, field: str, label: str) -> tuple[date | None, Problem | None]:
    """Accept a date or an ISO ``YYYY-MM-DD`` string."""
    if isinstance(value, date):
        return value, None
    text = clean_text(value)
    if not text:
        return None, Problem(field, f"{label} is required.")
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return None, Problem(field, f"{label} must be a real date written as YYYY-MM-DD.")


def _limited(value: object, field: str, label: str, limit: int,
             problems: list[Problem]) -> str:
    text = clean_text(value)
    if len(text) > limit:
        problems.append(Problem(field, f"{label} is too long ({len(text)} characters; "
                                       f"at most {limit})."))
    return text


def validate_patient(full_name: object, date_of_birth: object, phone: object = "",
                     email: object = "", *, today: date, patient_id: str = ""
                     ) -> tuple[Patient | None, list[Problem]]:
    """Check typed patient details; returns the patient, or None and every problem found."""
    problems: list[Problem] = []
    name = _limited(full_name, "full_name", "Name", MAX_NAME, problems)
    if not name:
        problems.append(Problem("full_name", "Name is required."))
    elif not any(ch.isalpha() for ch in name):
        problems.append(Problem("full_name", "Name must contain at least one letter."))
    dob, dob_problem = parse_date(date_of_birth, "date_of_birth", "Date of birth")
    if dob_problem:
        problems.append(dob_problem)
    elif dob is not None:
        if dob >= today:
            problems.append(Problem("date_of_birth", "Date of birth must be in the past."))
        elif dob.year < today.year - 120:
            problems.append(Problem("date_of_birth",
                                    "Date of birth is more than 120 years ago; please check it."))
    phone_text = _limited(phone, "phone", "Phone", MAX_PHONE, problems)
    email_text = _limited(email, "email", "Email", MAX_EMAIL, problems)
    if email_text and not _EMAIL_RE.match(email_text):
        problems.append(Problem("email", "Email does not look like an address (name@example.com)."))
    if problems or dob is None:
        return None, problems
    return Patient(name, dob, phone_text, email_text, patient_id), []


def validate_injector(full_name: object, credentials: object = "", role: object = "Injector"
                      ) -> tuple[Injector | None, list[Problem]]:
    problems: list[Problem] = []
    name = _limited(full_name, "injector_name", "Injector name", MAX_NAME, problems)
    if not name:
        problems.append(Problem("injector_name", "Injector name is required."))
    creds = _limited(credentials, "credentials", "Credentials", 40, problems)
    role_text = _limited(role, "role", "Role", 80, problems) or "Injector"
    if problems:
        return None, problems
    return Injector(name, creds, role_text), []
