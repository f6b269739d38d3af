"""``glabella verify FILE.pdf``: is this consent PDF intact, certified by us, and on record?"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.base.paths import DataPaths
from app.cli.commands import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from app.cli.commands.store import open_existing_store
from app.document.verify import describe, read_pdf, verify_for_clinic, verify_pdf

if TYPE_CHECKING:
    from app.cli.credentials import Credentials


def run_verify(path: Path, data_dir: Path, who: Credentials | None, out: TextIO,
               err: TextIO) -> int:
    """A file that is not a PDF at all is said by run_command (exit 2). ``who`` signs in
    to the records it is looked up in (none are needed where there is no database)."""
    data = read_pdf(path)
    paths = DataPaths(data_dir)
    if not paths.database.exists():
        # Checking a file must not create a clinic database where there was none.
        print(f"glabella: no clinic database in {data_dir}; the file is checked without "
              f"the clinic's certificates or records.", file=err)
        report = verify_pdf(data, [], lambda _sha: None, path.name)
    else:
        store = open_existing_store(data_dir, err, who)
        if store is None:
            return EXIT_USAGE
        with store:
            report = verify_for_clinic(data, store, paths.signing, path.name)
    for line in describe(report):
        print(line, file=out)
    return EXIT_OK if report.ok else EXIT_FAILED
