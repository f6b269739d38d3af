"""The service's named parts, as the window uses them: staff, settings and records, over a
real data folder."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.clinic.details import Clinic
from app.clinic.paper import default_paper
from app.clinic.settings import ClinicSettings
from app.clinic.staff import DEMO_PIN
from app.consult.amendments import AmendmentError
from app.consult.patient import Injector
from app.records.search import ConsentFilter
from app.runtime.service import Glabella
from db import RecordNotFoundError


@pytest.fixture
def service(certified, tmp_path: Path) -> Iterator[Glabella]:
    opened = Glabella.open(certified.copy(tmp_path / "data").data_dir)
    yield opened
    opened.close()


def test_staff_is_the_clinics_directory(service: Glabella) -> None:
    assert [m.full_name for m in service.staff.members()] == ["Dana Whitfield"]
    assert service.staff.match_pin(DEMO_PIN) is not None


def test_settings_load_save_and_idle_minutes_per_mode(service: Glabella) -> None:
    assert service.settings.idle_minutes("app") == 5
    assert service.settings.idle_minutes("patient") == 3
    service.settings.save(ClinicSettings(Clinic("Northside Skin", "2 High St", "555"), 12, 4))
    assert service.settings.load() == ClinicSettings(Clinic(
        "Northside Skin", "2 High St", "555", paper=default_paper()), 12, 4)  # none chosen
    assert service.settings.clinic().name == "Northside Skin" == service.clinic.name
    assert (service.settings.idle_minutes("app"), service.settings.idle_minutes("patient")) \
        == (12, 4)
    with pytest.raises(ValueError):
        service.settings.save(ClinicSettings(Clinic(" "), 12, 4))


def test_the_injector_is_remembered(service: Glabella) -> None:
    assert service.settings.remembered_injector() == {"full_name": "", "credentials": "",
                                                      "role": ""}
    service.settings.remember_injector(Injector("Ana Ruiz", "MD", "Injector"))
    assert service.settings.remembered_injector() == {
        "full_name": "Ana Ruiz", "credentials": "MD", "role": "Injector"}


def test_records_search_list_and_read(service: Glabella, certified) -> None:
    [summary] = service.records.list_consents()
    assert summary.id == certified.consent_id
    assert service.records.list_consents(ConsentFilter(injector="nobody")) == []
    [match] = service.records.search_patients(summary.patient_name.split()[0])
    assert match.id == summary.patient_id and match.consents == 1
    assert [c.id for c in service.records.patient_history(match.id)] == [summary.id]
    assert service.records.products() == [(summary.product_id, summary.product_name)]
    assert service.records.injectors() == [summary.injector_name]
    stored = service.records.consent(summary.id)
    pdf = service.records.pdf(summary.id)
    assert pdf == certified.pdf and stored.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert (stored.patient_name, stored.injector_name) == (summary.patient_name,
                                                          summary.injector_name)
    service.records.check_amendable(summary.id)  # the head of its chain: no error
    with pytest.raises(RecordNotFoundError):
        service.records.consent("no-such-id")


def test_records_refuse_to_amend_what_cannot_be(service: Glabella) -> None:
    with pytest.raises(AmendmentError):
        service.records.check_amendable("no-such-id")
