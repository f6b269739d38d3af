"""The packaged one-folder build does what the checkout does (slow: builds the bundle).

Run with `python -m pytest -m slow`; `.ci/run` runs it after the fast suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def test_bundle_builds_and_passes_its_selftest(tmp_path):
    build = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "--reuse"],
                           capture_output=True, text=True, timeout=1800, cwd=ROOT)
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    assert "Self-test passed" in build.stdout
    assert "Bundle holds nothing excluded" in build.stdout  # build.py's bundle_excludes check
    exe = ROOT / "build" / "dist" / "glabella" / ("glabella.exe" if os.name == "nt" else "glabella")
    # Run it once more ourselves, keeping the folder, and look at what it left behind.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([str(exe), "selftest", "--keep", str(tmp_path)], capture_output=True,
                         text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (tmp_path / "glabella.db").is_file()
    assert list((tmp_path / "exports").glob("selftest-*.pdf"))
    internal = ROOT / "build" / "dist" / "glabella" / "_internal"
    bundled = internal / "PySide6"
    assert not list(bundled.rglob("*QtQuick*")) and not list(bundled.rglob("*WebEngine*"))
    # What packaging/bundle_excludes.py leaves out stays out (build.py checks every item;
    # these are the big ones, by file), and what Glabella needs is still there.
    gone = ["lxml/objectify*", "lxml/html", "PIL/_avif*", "PIL/_webp*", "PIL/_imagingcms*",
            "aiohttp/_http_parser*", "multidict/_multidict*", "PySide6/Qt/translations"]
    if sys.platform.startswith("linux"):
        gone += ["pillow.libs/libavif*", "pillow.libs/libwebp*", "pillow.libs/liblcms2*"]
    assert not [hit for pattern in gone for hit in internal.glob(pattern)]
    kept = ["lxml/etree*", "PIL/_imaging.*", "pydantic_core", "resources/fonts/DejaVuSans.ttf",
            "PySide6/Qt/plugins/printsupport"]
    assert not [pattern for pattern in kept if not list(internal.glob(pattern))]
    # The content check runs frozen, offline, on the bundled pack and dictionaries.
    check = subprocess.run([str(exe), "content", "check"], capture_output=True, text=True,
                           timeout=300, env={**env, "HOME": str(tmp_path / "home")})
    assert check.returncode == 0, check.stdout + check.stderr
    assert "ready" in check.stdout and not (tmp_path / "home" / "nltk_data").exists()
