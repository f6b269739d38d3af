"""The entry module: parses the command line, builds the service, runs a command or the window.

``glabella``                      start the consult window
``glabella selftest [--keep DIR]`` run a whole demo consult headless and check the result
``glabella finalize DRAFT.json``  finalize a complete draft without the window

Every command takes ``--data-dir DIR`` (or the ``GLABELLA_HOME`` environment variable).
Exit codes: 0 success, 1 the work could not be done (incomplete draft, failed check),
2 a usage or set-up problem (bad arguments, broken content pack, unusable data folder).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from app import __version__
from app.paths import ENV_VAR, resolve_data_dir

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help=f"data folder to use (default: ${ENV_VAR}, else the user data "
                             f"folder)")
    parser = argparse.ArgumentParser(
        prog="glabella", parents=[common],
        description="Glabella: consultation and consent aid for botulinum-toxin treatments.")
    parser.add_argument("--version", action="version", version=f"glabella {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    selftest = sub.add_parser("selftest", parents=[common],
                              help="run a whole demo consult headless and check the result")
    selftest.add_argument("--keep", metavar="DIR", type=Path,
                          help="use DIR as the data folder and leave the database and PDF there")
    fin = sub.add_parser("finalize", parents=[common],
                         help="finalize a complete draft (JSON) without the window")
    fin.add_argument("draft", type=Path, metavar="DRAFT.json")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    if args.command == "selftest":
        from app.selftest import run_selftest

        return run_selftest(args.keep, out=sys.stdout)
    if args.command == "finalize":
        from app.headless import finalize_draft

        return finalize_draft(args.draft, data_dir, out=sys.stdout, err=sys.stderr)
    return _run_window(data_dir)


def _run_window(data_dir: Path) -> int:
    from app.service import Glabella, OpenError, open_service

    try:
        service: Glabella = open_service(data_dir)
    except OpenError as exc:
        print(f"glabella: {exc}", file=sys.stderr)
        _show_fatal(str(exc))
        return EXIT_USAGE
    # Qt is imported only here, so the headless commands never load it.
    from app.ui import run_gui

    try:
        return run_gui(service)
    finally:
        service.close()


def _show_fatal(message: str) -> None:
    """Tell a user who started the app from an icon (no terminal) why it cannot open."""
    try:
        from PySide6.QtWidgets import QApplication, QMessageBox
    except ImportError:
        return
    app = QApplication.instance() or QApplication(sys.argv[:1])
    QMessageBox.critical(None, "Glabella cannot start", message)
    del app
