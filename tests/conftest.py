"""Shared fixtures: the default content pack, a fixed clock, a folder with a certified consent."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.base.paths import default_content_dir
from app.consult.content import ContentPack, load_pack

CLINIC_TZ = timezone(timedelta(hours=1))
FIXED_NOW = datetime(2026, 11, 23, 14, 5, tzinfo=CLINIC_TZ)


def fixed_clock() -> datetime:
    return FIXED_NOW


@pytest.fixture(scope="session")
def pack() -> ContentPack:
    return load_pack(default_content_dir())


@pytest.fixture
def service(tmp_path):
    """A running Glabella on a fresh data folder, its clock fixed (tests/ui has its own)."""
    from app.runtime.service import Glabella

    opened = Glabella.open(tmp_path / "data", clock=fixed_clock)
    yield opened
    opened.close()


@pytest.fixture
def clock():
    return fixed_clock


@pytest.fixture(autouse=True, scope="session")
def _never_touch_real_data(tmp_path_factory):
    """Safety net: anything that forgets --data-dir lands in a temp folder, not a clinic's."""
    import os

    saved = {name: os.environ.get(name) for name in ("GLABELLA_HOME", "GLABELLA_KEY_DIR")}
    os.environ["GLABELLA_HOME"] = str(tmp_path_factory.mktemp("glabella-home"))
    # the clinic keys: a folder store for the whole run, never the computer's real keyring.
    # One per run, not per test: the session's certified folder (and its copies) keep
    # their key as a clinic's do on its computer; each data folder has a key of its own.
    os.environ["GLABELLA_KEY_DIR"] = str(tmp_path_factory.mktemp("glabella-keys"))
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@dataclass(frozen=True)
class CertifiedClinic:
    """A data folder holding one finalized, certified demo consent."""

    data_dir: Path
    consent_id: str
    pdf: bytes
    unsigned_sha256: str

    def copy(self, target: Path) -> CertifiedClinic:
        """The same folder copied to ``target``, for a test that changes it."""
        shutil.copytree(self.data_dir, target)
        return CertifiedClinic(target, self.consent_id, self.pdf, self.unsigned_sha256)


@pytest.fixture(scope="session")
def certified(pack, tmp_path_factory) -> CertifiedClinic:
    """Finalized once per run (certifying costs a fraction of a second); copy before changing."""
    from app.consult.demo import build_demo_consent
    from app.runtime.service import Glabella

    data_dir = tmp_path_factory.mktemp("certified") / "data"
    service = Glabella.open(data_dir, clock=fixed_clock)
    try:
        result = service.finalize(build_demo_consent(pack, fixed_clock))
    finally:
        service.close()
    return CertifiedClinic(data_dir, result.consent_id, result.pdf, result.unsigned_sha256)


@pytest.fixture(scope="session")
def staff(tmp_path_factory) -> list[str]:
    """The arguments that sign a command in as the demo administrator every clinic folder
    starts with (Dana Whitfield, PIN 2468): ``main(["records", "list", *staff, ...])``.
    Her PIN is in a file only this account can read (mode 0600), as a script would keep it."""
    import os

    from app.clinic.staff import DEMO_PIN, DEMO_STAFF

    pin_file = tmp_path_factory.mktemp("staff") / "pin"
    pin_file.write_text(DEMO_PIN + "\n", encoding="utf-8")
    os.chmod(pin_file, 0o600)
    return ["--staff", DEMO_STAFF[0], "--pin-file", str(pin_file)]
