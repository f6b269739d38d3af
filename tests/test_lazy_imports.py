"""The window starts fast: what it imports at start-up never loads the heavy libraries."""

from __future__ import annotations

import subprocess
import sys

STARTUP_MODULES = [
    "app.cli.main", "app.runtime.service", "app.document.finalize", "app.document.verify",
    "app.document.rerender", "app.document.signing.certifier", "app.cli.commands.verify",
    "app.records.search", "app.upkeep.backup", "app.records.export_fhir", "app.ui.records",
    "db",
]
HEAVY = ("pyhanko", "pyhanko_certvalidator", "cryptography", "reportlab", "asn1crypto",
         "fhir", "pydantic", "pypdfium2")


def test_startup_modules_load_no_heavy_library():
    code = (
        "import sys\n"
        f"for name in {STARTUP_MODULES!r}:\n"
        "    __import__(name)\n"
        f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""
