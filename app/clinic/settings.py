"""What an administrator changes in Settings: the clinic as printed (its paper too) and
the idle times.

Saved together in one transaction; every changed value is also an audit event
(``settings.changed``, written by the store). Qt-free.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.clinic.details import Clinic, SettingsStore, load_clinic, save_clinic
from app.clinic.paper import PAPERS
from app.consult.patient import Injector, clean_text
from db import Store

APP_IDLE = "app.idle_minutes"  # injector mode: back to the sign-in screen
PATIENT_IDLE = "patient_mode.idle_minutes"  # patient mode: the lock overlay
IDLE_DEFAULTS = {APP_IDLE: 5, PATIENT_IDLE: 3}
IDLE_MIN, IDLE_MAX = 1, 240
IDLE_KEYS = {"app": APP_IDLE, "patient": PATIENT_IDLE}
# the injector of the last finalized consult, offered for the next one
LAST_INJECTOR_KEYS = {"full_name": "injector.last_name",
                      "credentials": "injector.last_credentials",
                      "role": "injector.last_role"}
MAX_CLINIC_FIELD = 200
# Re-consent: how many months a full consent holds, with treatment-day confirmations in
# between; 0 (the default) is a full consent at every visit (app.consult.reconsent).
RECONSENT_MONTHS = "reconsent.full_consent_months"
RECONSENT_MAX = 24


def idle_minutes(settings: SettingsStore, key: str) -> int:
    """The idle time in whole minutes; the default when unset or not a sensible number."""
    text = settings.get_setting(key) or ""
    try:
        value = int(text)
    except ValueError:
        return IDLE_DEFAULTS[key]
    return value if IDLE_MIN <= value <= IDLE_MAX else IDLE_DEFAULTS[key]


def reconsent_months(settings: SettingsStore) -> int:
    """Months a full consent holds (0: a full consent at every visit, also when unset or
    not a sensible number)."""
    text = settings.get_setting(RECONSENT_MONTHS) or ""
    value = int(text) if text.isdigit() else 0
    return value if value <= RECONSENT_MAX else 0


@dataclass(frozen=True)
class ClinicSettings:
    clinic: Clinic
    app_idle_minutes: int = IDLE_DEFAULTS[APP_IDLE]
    patient_idle_minutes: int = IDLE_DEFAULTS[PATIENT_IDLE]
    reconsent_months: int = 0


def load_settings(settings: SettingsStore) -> ClinicSettings:
    return ClinicSettings(load_clinic(settings), idle_minutes(settings, APP_IDLE),
                          idle_minutes(settings, PATIENT_IDLE), reconsent_months(settings))


def settings_problems(values: ClinicSettings) -> list[str]:
    """Why these settings cannot be saved, in plain words (empty when they can)."""
    problems = []
    if not clean_text(values.clinic.name):
        problems.append("The clinic's name is required: it is printed on every consent.")
    for text, what in ((values.clinic.name, "name"), (values.clinic.address, "address"),
                       (values.clinic.phone, "phone")):
        if len(text) > MAX_CLINIC_FIELD:
            problems.append(f"The clinic's {what} is too long (at most {MAX_CLINIC_FIELD} "
                            f"characters).")
    if values.clinic.paper and values.clinic.paper not in PAPERS:  # "": left as it is
        problems.append("The paper is A4 or Letter.")
    for minutes in (values.app_idle_minutes, values.patient_idle_minutes):
        if not IDLE_MIN <= minutes <= IDLE_MAX:
            problems.append(f"Idle times are {IDLE_MIN} to {IDLE_MAX} minutes.")
            break
    if not 0 <= values.reconsent_months <= RECONSENT_MAX:
        problems.append(f"A full consent holds for 1 to {RECONSENT_MAX} months (or choose a "
                        f"full consent at every visit).")
    return problems


def save_settings(store: Store, values: ClinicSettings) -> None:
    """Store the clinic and idle times at once; ValueError (nothing saved) if refused."""
    problems = settings_problems(values)
    if problems:
        raise ValueError(" ".join(problems))
    clinic = Clinic(clean_text(values.clinic.name), clean_text(values.clinic.address),
                    clean_text(values.clinic.phone), values.clinic.logo_png,
                    values.clinic.paper)
    with store.transaction():
        save_clinic(store, clinic)
        store.set_setting(APP_IDLE, str(values.app_idle_minutes))
        store.set_setting(PATIENT_IDLE, str(values.patient_idle_minutes))
        if values.reconsent_months != reconsent_months(store):  # unset reads as 0
            store.set_setting(RECONSENT_MONTHS, str(values.reconsent_months))


class Settings:
    """The clinic's settings as the window uses them (``Glabella.settings``), Qt-free."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def load(self) -> ClinicSettings:
        """The Settings dialog's values."""
        return load_settings(self._store)

    def save(self, values: ClinicSettings) -> None:
        """Save the dialog's values at once; ValueError (nothing saved) if refused."""
        save_settings(self._store, values)

    def clinic(self) -> Clinic:
        """The clinic as printed on every consent."""
        return load_clinic(self._store)

    def idle_minutes(self, mode: Literal["app", "patient"]) -> int:
        """Minutes idle before injector mode ("app") signs out or patient mode locks."""
        return idle_minutes(self._store, IDLE_KEYS[mode])

    def reconsent_months(self) -> int:
        """Months a full consent holds; 0: a full consent at every visit."""
        return reconsent_months(self._store)

    def remembered_injector(self) -> dict[str, str]:
        """The injector saved by the last finalized consult (empty strings when none)."""
        return {field: self._store.get_setting(key) or ""
                for field, key in LAST_INJECTOR_KEYS.items()}

    def remember_injector(self, injector: Injector) -> None:
        with self._store.transaction():  # the three together, or none
            for field, key in LAST_INJECTOR_KEYS.items():
                self._store.set_setting(key, getattr(injector, field))
