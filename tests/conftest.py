"""Shared fixtures: the real default content pack and a fixed, timezone-aware clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.content import ContentPack, load_pack
from app.paths import default_content_dir

CLINIC_TZ = timezone(timedelta(hours=1))
FIXED_NOW = datetime(2026, 11, 23, 14, 5, tzinfo=CLINIC_TZ)


def fixed_clock() -> datetime:
    return FIXED_NOW


@pytest.fixture(scope="session")
def pack() -> ContentPack:
    return load_pack(default_content_dir())


@pytest.fixture
def clock():
    return fixed_clock


@pytest.fixture(autouse=True, scope="session")
def _never_touch_real_data(tmp_path_factory):
    """Safety net: anything that forgets --data-dir lands in a temp folder, not a clinic's."""
    import os

    previous = os.environ.get("GLABELLA_HOME")
    os.environ["GLABELLA_HOME"] = str(tmp_path_factory.mktemp("glabella-home"))
    yield
    if previous is None:
        os.environ.pop("GLABELLA_HOME", None)
    else:
        os.environ["GLABELLA_HOME"] = previous
