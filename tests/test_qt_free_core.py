"""The layering: the core and db/ never load Qt, db/ never imports app, the core never
imports the window. The contract lives in pyproject.toml ([tool.importlinter])."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import app
import db

ROOT = Path(__file__).resolve().parent.parent


def core_modules() -> list[str]:
    """Every module of app/ outside app/ui, and every module of db/: found, not listed."""
    names = ["app", "db"]
    for package in (app, db):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if not info.name.startswith(("app.ui", "app.__main__")):
                names.append(info.name)
    return names


def test_the_import_contract_is_kept() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is in the test extras"
    result = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def test_importing_every_core_module_never_loads_qt() -> None:
    # at run time too: a library the core uses could itself load Qt, which the static
    # contract cannot see
    modules = core_modules()
    assert "app.consult.consent" in modules and "db.store" in modules
    assert not any(m.startswith("app.ui") for m in modules)
    code = (
        "import sys\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert result.stdout.strip() == ""
