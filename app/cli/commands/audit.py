"""``glabella audit verify``: walk the audit log's hash chain, name the first bad event."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from app.cli.commands import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from app.cli.commands.store import open_existing_store


def run_audit_verify(data_dir: Path, out: TextIO, err: TextIO) -> int:
    store = open_existing_store(data_dir, err)
    if store is None:
        return EXIT_USAGE
    with store:
        report = store.audit_chain()
    if report.problem is None:
        print(f"Audit log intact: {report.events} events, hash chain unbroken.", file=out)
        print(f"Head hash: {report.head}", file=out)
        return EXIT_OK
    print(f"Audit log TAMPERED at seq {report.problem.seq} ({report.events} events): "
          f"{report.problem.message}.", file=out)
    return EXIT_FAILED
