"""The patient's copy: the certified PDF untouched, the aftercare sheet beside it, saved
safely; and the private temporary files a system viewer reads."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from app.document.patient_copy import CopyNotSavedError, patient_copy, save_patient_copy
from app.document.private_copy import PrivateFiles
from app.document.raster import rasterise
from app.runtime.service import Glabella
from tests.conftest import fixed_clock


@pytest.fixture
def service(certified, tmp_path):
    clinic = certified.copy(tmp_path / "clinic")
    opened = Glabella.open(clinic.data_dir, clock=fixed_clock)
    yield opened
    opened.close()


def words(pdf: bytes) -> str:
    return " ".join(" ".join(page.text for page in rasterise(pdf, dpi=30)).split())


def test_the_copy_is_the_certified_pdf_as_stored_and_still_verifies(service, certified,
                                                                     tmp_path):
    copy = patient_copy(service.store, certified.consent_id, service.clinic)
    assert copy.consent_pdf == certified.pdf
    (tmp_path / "usb").mkdir()
    saved = save_patient_copy(copy, tmp_path / "usb")
    assert [p.name for p in saved] == [f"consent-{copy.stem}.pdf", f"aftercare-{copy.stem}.pdf"]
    report = service.verify_pdf(saved[0].read_bytes(), saved[0].name)
    assert report.ok  # certified by this clinic, unchanged, a known record
    assert saved[0].read_bytes() == certified.pdf


def test_the_aftercare_sheet_is_one_page_with_every_instruction_and_urgent_sign(
        service, certified, pack):
    copy = patient_copy(service.store, certified.consent_id, service.clinic)
    assert copy.aftercare_pdf is not None
    assert len(rasterise(copy.aftercare_pdf, dpi=30)) == 1
    text = words(copy.aftercare_pdf)
    assert "After your treatment" in text
    for item in pack.aftercare + pack.urgent:
        assert " ".join(item.text.split()) in text
    assert "Get help right away" in text and service.clinic.name in text
    assert certified.consent_id[:8] in text
    # the same record gives the same sheet, byte for byte
    again = patient_copy(service.store, certified.consent_id, service.clinic)
    assert again.aftercare_pdf == copy.aftercare_pdf


def test_saving_twice_never_overwrites(service, certified, tmp_path):
    copy = patient_copy(service.store, certified.consent_id, service.clinic)
    first = save_patient_copy(copy, tmp_path)
    second = save_patient_copy(copy, tmp_path)
    assert not set(first) & set(second) and all(p.is_file() for p in first + second)


def test_a_full_drive_leaves_no_half_copy_and_says_so(service, certified, tmp_path,
                                                      monkeypatch):
    copy = patient_copy(service.store, certified.consent_id, service.clinic)
    calls: list[int] = []
    real_fsync = os.fsync

    def fills_up(fd: int) -> None:  # the second file is the one that does not fit
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)
    monkeypatch.setattr(os, "fsync", fills_up)
    usb = tmp_path / "usb"
    usb.mkdir()
    with pytest.raises(CopyNotSavedError) as caught:
        save_patient_copy(copy, usb)
    assert list(usb.iterdir()) == []  # the consent written first was taken back out
    assert "the disk is full" in str(caught.value) and "Nothing was lost" in str(caught.value)
    assert service.store.get_pdf(certified.consent_id) == certified.pdf


def test_a_removed_drive_says_to_connect_it(service, certified, tmp_path):
    copy = patient_copy(service.store, certified.consent_id, service.clinic)
    with pytest.raises(CopyNotSavedError, match="is the drive connected"):
        save_patient_copy(copy, tmp_path / "gone")


def test_a_read_only_drive_says_so(service, certified, tmp_path, monkeypatch):
    copy = patient_copy(service.store, certified.consent_id, service.clinic)

    def read_only(*_a, **_k):
        raise OSError(errno.EROFS, "Read-only file system")
    monkeypatch.setattr(Path, "open", read_only)
    with pytest.raises(CopyNotSavedError, match="read-only"):
        save_patient_copy(copy, tmp_path)


def test_private_files_are_for_this_user_only_and_go_away():
    files = PrivateFiles()
    path = files.write("consent.pdf", b"%PDF-1.7 test")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.read_bytes() == b"%PDF-1.7 test"
    files.remove(path)
    assert not path.exists()
    again = files.write("consent.pdf", b"again")
    folder = again.parent
    files.clear()
    assert not again.exists() and not folder.exists()
