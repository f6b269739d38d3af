"""The entry module: parses the command line, builds the service, runs a command or the window.

``glabella``                        start the consult window
``glabella selftest [--keep DIR]``   run a whole demo consult headless and check the result
``glabella finalize DRAFT``         finalize a complete draft (sealed by Glabella) headless
``glabella verify FILE.pdf``        is a consent PDF intact, certified by us, on record?
``glabella audit verify``           check the audit log's hash chain
``glabella records rerender ID``    prove a record still renders to its certified PDF
``glabella records search|list``    find patients; list consents, filtered
``glabella records export-fhir|export-csv``  a consent for the EHR; the register for Excel
``glabella backup [--to DIR]``      back the records up (SQLite's online backup API)
``glabella restore FILE``           check a backup, show what it changes, confirm, restore
``glabella doctor``                 check the records, PDFs, audit log, disk and location
``glabella key status|recover``     where the clinic key is kept; enter the recovery code
``glabella signing show|import``    the clinic's signing identity
``glabella content check [PACK]``   check a content pack: start-up rules and reading grades

Every command takes ``--data-dir DIR`` (or the ``GLABELLA_HOME`` environment variable).
Those that read or change patient records (``credentials.staff_command``) take ``--staff NAME`` and
a PIN, asked or read from ``--pin-file`` (``app.cli.credentials``), checked before anything
is opened; their audit events name that person, the OS account and the command.
Exit codes: 0 success, 1 the work could not be done (incomplete draft, failed check),
2 a usage or set-up problem (bad arguments, broken content pack, unusable data folder).
Every command runs in one wrapper (``app.cli.commands.run_command``): a known error prints
its message; anything else is a bug, written to ``DATA/logs/glabella.log`` and named in one
line.

The window starts in this order (``start_window``; the steps are ``app.ui.WindowStartup``'s):

1. ``read_first_screen``: the sign-in screen's content from three queries, with the data
   folder's lock held from then on (anything unusual: the records are opened first,
   ``open_service``, so a problem is explained before any window);
2. ``make_application``: the QApplication;
3. ``show_sign_in``: the window, on the sign-in screen (a PIN typed now waits in Qt's queue);
4. ``report_bugs``: uncaught exceptions go to the bug report (draft kept, log named);
   then the event loop runs, and once the sign-in screen is first painted:
5. ``attach_records``: open the records with the lock and attach them (Qt's warnings are
   logged from here, in the data folder);
6. ``start_backups``: the automatic backups' schedule;
7. ``build_consult``: the consult's pages;
8. ``preload``: reportlab, pyHanko and cryptography on a background thread, so the first
   finalize is as quick as the others;
9. on exit (``close``): backups stopped, the window deleted, then the records closed and the
   lock released.

Nothing before step 5 loads sqlite-utils, the records or reportlab (tests/test_first_screen).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__
from app.base.paths import ENV_VAR, resolve_data_dir

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from app.runtime.first_screen import FirstScreen
    from app.runtime.service import Glabella
    from app.ui import WindowStartup

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
FORCE_HELP = "replace FILE if it exists (never the records' own files: app.base.outputs)"


def _parser() -> argparse.ArgumentParser:
    import argparse  # here: opening the window does not need it

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help=f"data folder to use (default: ${ENV_VAR}, else the user data "
                             f"folder)")
    parser = argparse.ArgumentParser(
        prog="glabella", parents=[common],
        description="Glabella: consultation and consent aid for botulinum-toxin treatments.")
    parser.add_argument("--version", action="version", version=f"glabella {__version__}")
    from app.cli.credentials import credential_options

    staff = [common, credential_options()]  # commands that read or change patient records
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    selftest = sub.add_parser("selftest", parents=[common],
                              help="run a whole demo consult headless and check the result")
    selftest.add_argument("--keep", metavar="DIR", type=Path,
                          help="use DIR as the data folder and leave the database and PDF there")
    selftest.add_argument("--force", action="store_true",
                          help="use DIR even if it is not empty (never the clinic's data folder)")
    fin = sub.add_parser("finalize", parents=staff,
                         help="finalize a complete draft (one Glabella sealed for this "
                              "clinic) without the window")
    fin.add_argument("draft", type=Path, metavar="DRAFT")
    fin.add_argument("--out", type=Path, default=None, metavar="FILE.pdf",
                     help="also write a plain copy of the certified PDF to FILE.pdf (none is "
                          "kept in the data folder)")
    fin.add_argument("--force", action="store_true", help=FORCE_HELP)
    verify = sub.add_parser("verify", parents=staff,
                            help="check a consent PDF: certification intact, who certified "
                                 "it, and whether it is a stored record")
    verify.add_argument("pdf", type=Path, metavar="FILE.pdf")

    audit = sub.add_parser("audit", parents=[common], help="the audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    audit_sub.add_parser("verify", parents=[common],
                         help="walk the hash chain and name the first bad event")

    records = sub.add_parser("records", parents=[common], help="stored consent records")
    records_sub = records.add_subparsers(dest="records_command", metavar="ACTION",
                                         required=True)
    rerender = records_sub.add_parser("rerender", parents=staff,
                                      help="re-render a record's PDF and compare it with the "
                                           "hash stored at signing")
    rerender.add_argument("consent_id", metavar="ID")
    rerender.add_argument("--out", type=Path, metavar="FILE",
                          help="also write the re-rendered (unsigned) PDF to FILE")
    rerender.add_argument("--force", action="store_true", help=FORCE_HELP)
    search = records_sub.add_parser("search", parents=staff,
                                    help="find patients by name (partial, any case or "
                                         "accents) or date of birth")
    search.add_argument("text", nargs="?", default="", metavar="TEXT",
                        help="part of the name; may include YYYY-MM-DD or a year")
    search.add_argument("--dob", metavar="YYYY-MM-DD", help="date of birth (or a year)")
    listing = records_sub.add_parser("list", parents=staff,
                                     help="the consents on record, newest first, filtered")
    listing.add_argument("--patient", metavar="ID", help="one patient's consents")
    listing.add_argument("--from", dest="date_from", metavar="DATE",
                         help="finalized on or after DATE (YYYY-MM-DD)")
    listing.add_argument("--to", dest="date_to", metavar="DATE",
                         help="finalized on or before DATE (YYYY-MM-DD)")
    listing.add_argument("--product", metavar="ID", help="product id or name")
    listing.add_argument("--injector", metavar="NAME", help="part of the injector's name")
    listing.add_argument("--limit", type=int, default=200, metavar="N",
                         help="show at most N consents (default 200)")
    fhir = records_sub.add_parser("export-fhir", parents=staff,
                                  help="write a consent as a FHIR R4 transaction Bundle")
    fhir.add_argument("consent_id", metavar="ID")
    fhir.add_argument("--out", type=Path, required=True, metavar="FILE.json")
    fhir.add_argument("--force", action="store_true", help=FORCE_HELP)
    register = records_sub.add_parser("export-csv", parents=staff,
                                      help="write the register, one row per consent (CSV)")
    register.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    register.add_argument("--force", action="store_true", help=FORCE_HELP)

    key = sub.add_parser("key", parents=[common], help="the clinic key the records are "
                                                          "encrypted with")
    key_sub = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    key_sub.add_parser("status", parents=[common],
                       help="where the key is kept and whether the database is encrypted")
    recover = key_sub.add_parser("recover", parents=[common],
                                 help="enter the recovery code on this computer")
    recover.add_argument("--code-file", type=Path, default=None, metavar="FILE",
                         help="read the recovery code from FILE instead of asking")

    backup = sub.add_parser("backup", parents=staff,
                            help="back the records up now (safe while the window is open)")
    backup.add_argument("--to", type=Path, metavar="DIR",
                        help="backup folder (default: setting backup.folder, else "
                             "DATA/backups)")
    restore = sub.add_parser("restore", parents=staff,
                             help="check a backup, keep the current database aside, restore")
    restore.add_argument("backup_file", type=Path, metavar="FILE")
    restore.add_argument("--yes", action="store_true",
                         help="go ahead after showing the plan, without asking")
    restore.add_argument("--move-to-clinic", action="store_true",
                         help="accept another clinic's backup: this computer moves to it")
    restore.add_argument("--code-file", type=Path, default=None,
                         help="a file holding the clinic's recovery code (a backup made on "
                              "another computer)")

    sub.add_parser("doctor", parents=[common],
                   help="check the database, every PDF's hash, the audit log, the disk and "
                        "where the data folder is (read-only)")

    signing = sub.add_parser("signing", parents=[common],
                             help="the clinic's signing identity")
    signing_sub = signing.add_subparsers(dest="signing_command", metavar="ACTION",
                                         required=True)
    signing_sub.add_parser("show", parents=[common],
                           help="print the certificate: subject, issuer, validity, fingerprint")
    imp = signing_sub.add_parser("import", parents=staff,
                                 help="replace the identity with a PKCS#12 from the clinic's CA")
    imp.add_argument("p12", type=Path, metavar="FILE.p12")
    imp.add_argument("--password-file", type=Path, metavar="FILE",
                     help="read the PKCS#12 password from FILE instead of asking")
    content = sub.add_parser("content", parents=[common], help="the content pack")
    content_sub = content.add_subparsers(dest="content_command", metavar="ACTION",
                                         required=True)
    check = content_sub.add_parser("check", parents=[common],
                                   help="check a pack: the start-up rules, every patient "
                                        "text's reading grade, sources and approvals")
    check.add_argument("pack_dir", nargs="?", type=Path, metavar="PACK_DIR",
                       help="the pack's folder (default: the pack Glabella uses)")
    return parser


def window_data_dir(argv: Sequence[str]) -> tuple[bool, str | None]:
    """Whether ``argv`` only opens the window (nothing, or just ``--data-dir DIR``), and
    the folder it names. Every other command line goes through the full parser."""
    match list(argv):
        case []:
            return True, None
        case ["--data-dir", folder] if folder and not folder.startswith("-"):
            return True, folder
        case [option] if option.startswith("--data-dir=") and len(option) > 11:
            return True, option.removeprefix("--data-dir=")
    return False, None


PRIVATE_UMASK = 0o077  # whatever Glabella or a library creates: this account only


def main(argv: Sequence[str] | None = None) -> int:
    """The program's entry; the umask is the second line behind ``app.base.private_files``
    (put back afterwards, for a caller in the same process such as a test)."""
    previous = os.umask(PRIVATE_UMASK)
    try:
        return _main(sys.argv[1:] if argv is None else argv)
    finally:
        os.umask(previous)


def _main(argv: Sequence[str]) -> int:
    window_only, folder = window_data_dir(argv)
    if window_only:  # every clinic start: no need to build all the commands' parsers (10 ms)
        return _run_window(resolve_data_dir(folder))
    args = _parser().parse_args(argv)
    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    if args.command is None:
        return _run_window(data_dir)
    from app.cli.commands import run_command

    return run_command(lambda: _run_command(args, data_dir), data_dir, sys.stderr)




def _run_command(args: argparse.Namespace, data_dir: Path) -> int:
    import os

    from app.cli.credentials import Credentials, read_credentials, staff_command

    who: Credentials | None = None
    via = staff_command(args, data_dir)
    if via is not None:  # before anything is opened: refused, nothing is logged
        who = read_credentials(args, via, os.environ, sys.stderr)
        if who is None:
            return EXIT_USAGE
    if args.command == "selftest":
        from app.cli.selftest import run_selftest

        return run_selftest(args.keep, out=sys.stdout, data_dir=data_dir, force=args.force)
    if args.command == "finalize":
        from app.cli.headless import finalize_draft

        return finalize_draft(args.draft, data_dir, who, out=sys.stdout, err=sys.stderr,
                              out_file=args.out, force=args.force)
    if args.command == "verify":
        from app.cli.commands.verify import run_verify

        return run_verify(args.pdf, data_dir, who, out=sys.stdout, err=sys.stderr)
    if args.command == "audit":
        from app.cli.commands.audit import run_audit_verify

        return run_audit_verify(data_dir, out=sys.stdout, err=sys.stderr)
    if args.command == "records":
        from app.cli.commands import records

        if args.records_command == "search":
            return records.run_search(args.text, args.dob, data_dir, who, out=sys.stdout,
                                      err=sys.stderr)
        if args.records_command == "list":
            return records.run_list(args.patient, args.date_from, args.date_to, args.product,
                                    args.injector, args.limit, data_dir, who, out=sys.stdout,
                                    err=sys.stderr)
        if args.records_command == "export-fhir":
            return records.run_export_fhir(args.consent_id, args.out, data_dir, who,
                                           out=sys.stdout, err=sys.stderr, force=args.force)
        if args.records_command == "export-csv":
            return records.run_export_csv(args.out, data_dir, who, out=sys.stdout,
                                          err=sys.stderr, force=args.force)
        return records.run_rerender(args.consent_id, args.out, data_dir, who, out=sys.stdout,
                                    err=sys.stderr, force=args.force)
    if args.command == "doctor":
        from app.cli.commands.doctor import run_doctor

        return run_doctor(data_dir, out=sys.stdout, err=sys.stderr)
    if args.command == "key":
        from app.cli.commands import key

        if args.key_command == "status":
            return key.run_status(data_dir, out=sys.stdout, err=sys.stderr)
        return key.run_recover(args.code_file, data_dir, out=sys.stdout, err=sys.stderr)
    if args.command in ("backup", "restore"):
        from app.cli.commands.backup import run_backup, run_restore

        if args.command == "backup":
            return run_backup(args.to, data_dir, who, out=sys.stdout, err=sys.stderr)
        return run_restore(args.backup_file, data_dir, who, out=sys.stdout, err=sys.stderr,
                           yes=args.yes, move_to_clinic=args.move_to_clinic,
                           code_file=args.code_file)
    if args.command == "signing":
        from app.cli.commands import signing

        if args.signing_command == "show":
            return signing.run_show(data_dir, out=sys.stdout, err=sys.stderr)
        return signing.run_import(args.p12, args.password_file, data_dir, who,
                                  out=sys.stdout, err=sys.stderr)
    if args.command == "content":
        from app.cli.commands.content import run_content_check

        return run_content_check(args.pack_dir, out=sys.stdout, err=sys.stderr)
    raise ValueError(f"no such command: {args.command}")


def _run_window(data_dir: Path) -> int:
    """Step 1: the first screen with the folder's lock; then ``run_gui_first``."""
    from app.runtime.first_screen import read_first_screen

    # An every-day start draws the sign-in screen from three queries and opens the records
    # after; anything unusual opens them first, so problems are explained before a window.
    first = read_first_screen(data_dir)
    if first is not None:
        return _run_window_first(data_dir, first)
    from app.runtime.service import OpenError, open_service

    try:
        service: Glabella = open_service(data_dir)
    except OpenError as exc:
        print(f"glabella: {exc}", file=sys.stderr)
        _show_fatal(str(exc))
        return EXIT_USAGE
    try:
        return run_gui(service)
    finally:
        service.close()


def _run_window_first(data_dir: Path, first: FirstScreen) -> int:
    opened: list[Glabella] = []

    def open_records() -> Glabella:
        from app.runtime.service import open_service

        opened.append(open_service(data_dir, lock=first.lock, key=first.key))
        return opened[0]

    try:
        return run_gui_first(first, open_records)
    finally:
        for service in opened:
            service.close()
        first.lock.release()  # when the records never opened (a no-op after close)


def _from_window(service: Glabella) -> Glabella:
    """The window's audit events say they came from the window (and the OS account)."""
    from db.audit_chain import Origin

    service.store.origin = Origin.here("window")
    return service


def run_gui(service: Glabella, argv: list[str] | None = None) -> int:
    """Show the consult window for an opened ``service`` and run the event loop."""
    from app.ui import WindowStartup  # Qt is imported only here: commands never load it

    return start_window(WindowStartup(lambda: _from_window(service), None, argv))


def run_gui_first(first_screen: FirstScreen, open_service: Callable[[], Glabella],
                  argv: list[str] | None = None) -> int:
    """Show the sign-in screen from ``first_screen`` at once, then ``open_service()`` once
    it is drawn (or when Sign in is pressed first); an OpenError is shown, and ends it."""
    from app.ui import WindowStartup

    return start_window(WindowStartup(lambda: _from_window(open_service()), first_screen,
                                      argv))


def start_window(startup: WindowStartup) -> int:
    """Steps 2 to 9 of the module docstring, in that order; the exit code."""
    startup.make_application()
    startup.show_sign_in()
    startup.report_bugs()
    return startup.run(after_first_paint=(startup.attach_records, startup.start_backups,
                                          startup.build_consult, startup.preload))


def _show_fatal(message: str) -> None:
    """Tell a user who started the app from an icon (no terminal) why it cannot open."""
    try:
        from app.ui import show_startup_error
    except ImportError:  # Qt itself is missing or broken: the terminal message must do
        return
    show_startup_error(message)
