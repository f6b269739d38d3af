"""The core (content, consent model, PDF, storage, commands) never loads PySide6."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = ["app.content", "app.consent", "app.patient", "app.draft", "app.finalize",
                "app.service", "app.selftest", "app.headless", "app.cli", "app.demo",
                "app.signature_image", "app.clinic", "app.paths", "app.pdf", "app.verify",
                "app.rerender", "app.signing.identity", "app.signing.certify",
                "app.signing.certifier", "app.commands.verify", "app.commands.audit",
                "app.commands.records", "app.commands.signing", "app.records", "app.export_fhir",
                "app.export_csv", "app.backup", "app.doctor", "app.data_location",
                "app.instance_lock", "app.storage_errors", "app.commands.backup",
                "app.commands.doctor", "app.records_view", "app.pack_review", "db",
                "db.checks", "db.folding", "db.content_reviews"]


def test_importing_the_core_never_loads_qt():
    code = (
        "import sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    __import__(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""
