"""The window reaches the records only through the service's named parts (``service.staff``,
``service.settings``, ``service.records`` …): no module under app/ui imports db or touches a
store."""

from __future__ import annotations

import ast
import re
from pathlib import Path

UI = Path(__file__).resolve().parent.parent / "app" / "ui"
STORE = re.compile(r"\.store\b")


def _imports_db(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        if any(name == "db" or name.startswith("db.") for name in names):
            return True
    return False


def _ui_modules() -> list[Path]:
    return sorted(UI.rglob("*.py"))


def test_no_ui_module_imports_db() -> None:
    offenders = [str(p.relative_to(UI)) for p in _ui_modules()
                 if _imports_db(ast.parse(p.read_text(encoding="utf-8")))]
    assert offenders == []


def test_no_ui_module_reaches_for_a_store() -> None:
    offenders = [f"{p.relative_to(UI)}:{n}" for p in _ui_modules()
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if STORE.search(line)]
    assert offenders == []


def test_the_scan_sees_what_it_looks_for() -> None:
    assert _imports_db(ast.parse("from db import StoreError"))
    assert _imports_db(ast.parse("import db.errors"))
    assert not _imports_db(ast.parse("from app.base.storage_errors import StoreError"))
    assert STORE.search("service.store.get_pdf(x)") and not STORE.search("self.stored = 1")
    assert len(_ui_modules()) > 20
