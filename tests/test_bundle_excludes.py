"""What packaging/bundle_excludes.py leaves out of the bundle is safe to leave out.

The fast half of the packaging check: the self-test, run from source with every excluded
module made unimportable, still passes (so a new import of one of them fails here, not in
a clinic); the slow half (tests/test_frozen_bundle.py, build.py) builds the bundle and
checks none of them is in it.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bundle_excludes():
    # by path: the folder is called "packaging", like the PyPI package
    spec = importlib.util.spec_from_file_location(
        "bundle_excludes", ROOT / "packaging" / "bundle_excludes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bx = _bundle_excludes()

WITHOUT_EXCLUDED = """
import sys
sys.path.insert(0, sys.argv[1])
import bundle_excludes as bx
for name in [*bx.EXCLUDED_MODULES, *bx.fhir_r5_modules()]:
    sys.modules[name] = None  # `import name` now raises ImportError, as in the bundle
from app.cli.main import main
sys.exit(main(["selftest"]))
"""


def test_selftest_passes_without_the_excluded_modules(tmp_path):
    env = {**os.environ, "GLABELLA_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-c", WITHOUT_EXCLUDED, str(ROOT / "packaging")],
                         capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Self-test passed" in run.stdout


def test_what_glabella_needs_is_never_excluded():
    needed = ["aiohttp", "lxml", "lxml.etree", "PIL", "PIL._imaging", "PIL.PngImagePlugin",
              "fhir.resources", "fhir.resources.R4B", "fhir.resources.R4B.bundle",
              "pydantic", "pydantic_core", "pyhanko", "PySide6.QtPrintSupport", "cffi"]
    assert bx.leftovers(Path("/nonexistent"), needed) == []
    assert not [m for m in bx.fhir_r5_modules() if m.startswith("fhir.resources.R4B")]
    for dest in ("resources/fonts/DejaVuSans.ttf",
                 "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so"):
        assert not bx.excluded_data(dest)
    assert bx.excluded_data("PySide6/Qt/translations/qt_de.qm")


def test_leftovers_finds_each_kind_of_excluded_item(tmp_path):
    internal = tmp_path / "_internal"
    for rel in ("lxml/etree.cpython-311-x86_64-linux-gnu.so",
                "lxml/objectify.cpython-311-x86_64-linux-gnu.so",
                "lxml/html/diff.cpython-311-x86_64-linux-gnu.so",
                "PIL/_avif.cp311-win_amd64.pyd", "PIL/_imaging.cpython-311-darwin.so",
                "PySide6/Qt/translations/qt_de.qm"):
        (internal / rel).parent.mkdir(parents=True, exist_ok=True)
        (internal / rel).write_bytes(b"")
    archived = ["pyi_rth_pyside6", "pyi_rth_pkgres", "lxml", "lxml.etree", "setuptools.dist",
                "fhir.resources", "fhir.resources.R4B.consent", "fhir.resources.consent"]
    assert bx.leftovers(internal, archived) == [
        "module fhir.resources.consent", "module setuptools.dist",
        "runtime hook pyi_rth_pkgres",
        "file lxml/objectify.cpython-311-x86_64-linux-gnu.so", "file lxml/html",
        "file PIL/_avif.cp311-win_amd64.pyd",
        "data PySide6/Qt/translations",
    ]
