"""The clinic's identity as printed on every consent: name, address, phone, logo."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any, Protocol

from app.clinic.paper import PAPER_KEY, PAPERS, default_paper
from app.clinic.staff import StaffDirectory
from db import Store

DEMO_NAME = "Glabella Demo Clinic"


class SettingsStore(Protocol):
    def get_setting(self, key: str, default: str | None = None) -> str | None: ...
    def set_setting(self, key: str, value: str) -> None: ...


@dataclass(frozen=True)
class Clinic:
    name: str
    address: str = ""
    phone: str = ""
    logo_png: bytes | None = None
    # "A4" or "Letter"; "" only for a consent stored before clinics chose a paper (A4)
    paper: str = ""

    @classmethod
    def demo(cls) -> Clinic:
        return cls(DEMO_NAME, "1 Example Street, Springfield", "555-0100")


def chosen_paper(settings: SettingsStore) -> str:
    """The paper chosen in Settings; the region's own until one is."""
    paper = settings.get_setting(PAPER_KEY) or ""
    return paper if paper in PAPERS else default_paper()


def load_clinic(settings: SettingsStore) -> Clinic:
    logo = settings.get_setting("clinic.logo_png")
    return Clinic(
        name=settings.get_setting("clinic.name") or DEMO_NAME,
        address=settings.get_setting("clinic.address") or "",
        phone=settings.get_setting("clinic.phone") or "",
        logo_png=base64.b64decode(logo) if logo else None,
        paper=chosen_paper(settings),
    )


def save_clinic(settings: SettingsStore, clinic: Clinic) -> None:
    settings.set_setting("clinic.name", clinic.name)
    settings.set_setting("clinic.address", clinic.address)
    settings.set_setting("clinic.phone", clinic.phone)
    if clinic.logo_png:
        settings.set_setting("clinic.logo_png", base64.b64encode(clinic.logo_png).decode("ascii"))
    elif settings.get_setting("clinic.logo_png"):
        settings.set_setting("clinic.logo_png", "")  # the logo was removed
    if clinic.paper:
        settings.set_setting(PAPER_KEY, clinic.paper)


def ensure_demo_clinic(store: Store) -> None:
    """First start on an empty database: the demo clinic and, while nobody is on the staff
    list, its demo administrator (PIN 246813, shown on the sign-in screen until changed), so
    the app runs at once. An older database that already has a clinic gets no demo staff:
    the window asks for its first administrator instead."""
    if store.get_setting("clinic.name") is not None:
        return
    with store.transaction():
        save_clinic(store, Clinic.demo())
        StaffDirectory(store).ensure_demo_admin()


def clinic_to_json(clinic: Clinic) -> str:
    """The clinic as printed on a consent, stored with it: the settings may change later."""
    logo = base64.b64encode(clinic.logo_png).decode("ascii") if clinic.logo_png else None
    data = {"name": clinic.name, "address": clinic.address, "phone": clinic.phone,
            "logo_png_base64": logo}
    if clinic.paper:  # absent from consents stored before: their JSON stays as it was
        data["paper"] = clinic.paper
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def clinic_from_json(text: str) -> Clinic:
    data: dict[str, Any] = json.loads(text)
    logo = data.get("logo_png_base64")
    return Clinic(name=data["name"], address=data.get("address") or "",
                  phone=data.get("phone") or "",
                  logo_png=base64.b64decode(logo) if logo else None,
                  paper=data.get("paper") or "")
