"""``glabella records rerender ID``: prove a record still renders to its certified document."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from app.commands import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from app.commands.store import open_existing_store


def run_rerender(consent_id: str, out_file: Path | None, data_dir: Path, out: TextIO,
                 err: TextIO) -> int:
    from app.rerender import RerenderError, rerender
    from db import RecordNotFoundError

    store = open_existing_store(data_dir, err)
    if store is None:
        return EXIT_USAGE
    with store:
        try:
            result = rerender(store, consent_id)
        except RecordNotFoundError as exc:
            print(f"glabella: {exc}", file=err)
            return EXIT_USAGE
        except RerenderError as exc:
            print(f"glabella: {exc}", file=err)
            return EXIT_FAILED
    if out_file is not None:
        out_file.write_bytes(result.pdf)
        print(f"Re-rendered PDF written to {out_file}", file=out)
    print(f"Stored unsigned SHA-256:  {result.expected_sha256}", file=out)
    print(f"Re-rendered SHA-256:      {result.actual_sha256}", file=out)
    if result.match:
        print(f"MATCH: record {consent_id} renders byte for byte to the document that was "
              f"certified.", file=out)
        return EXIT_OK
    print(f"MISMATCH: record {consent_id} no longer renders to the document that was "
          f"certified; its stored data or the renderer changed.", file=out)
    return EXIT_FAILED
