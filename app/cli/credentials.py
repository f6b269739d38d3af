"""Who runs a command that reads or changes patient records: ``--staff`` and a PIN.

The staff member comes from ``--staff NAME_OR_ID`` (or ``GLABELLA_STAFF``); the PIN is asked
without echo, or read from ``--pin-file FILE`` for scripted use. That file must belong to
this account and be unreadable by group and others (on POSIX), or it is refused. A PIN on
the command line (``--pin``) is refused: every account on the computer can read the process
list. All of it is checked before the records are opened, so a command without credentials
changes and logs nothing. The PIN itself is checked by ``app.clinic.operator.sign_in``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from app.clinic.operator import Operator
    from db import Store

STAFF_ENV = "GLABELLA_STAFF"
HOW = (f"give --staff NAME (or set {STAFF_ENV}) and type your PIN when asked, or give "
       f"--pin-file FILE for a script")


def credential_options() -> argparse.ArgumentParser:
    """The options every command that reads or changes patient records takes."""
    who = argparse.ArgumentParser(add_help=False)
    who.add_argument("--staff", metavar="NAME_OR_ID", default=argparse.SUPPRESS,
                     help=f"the staff member running it (default: ${STAFF_ENV})")
    who.add_argument("--pin-file", type=Path, metavar="FILE", default=argparse.SUPPRESS,
                     help="read the PIN from FILE (yours only: mode 0600) instead of asking")
    who.add_argument("--pin", metavar="PIN", default=argparse.SUPPRESS,
                     help=argparse.SUPPRESS)  # accepted only to refuse it with a reason
    return who


@dataclass(frozen=True)
class Credentials:
    """A staff member's name or id and PIN, for the command ``via``; not yet checked."""

    staff: str
    pin: str = field(repr=False)
    via: str

    def sign_in(self, store: Store, *, log: bool = True) -> Operator:
        """Check them against ``store``'s staff; SignInRefused says why not. Without ``log``
        a right PIN is not logged there (a wrong one always is)."""
        from app.clinic.operator import sign_in

        return sign_in(store, self.staff, self.pin, self.via, log=log)


def read_credentials(args: argparse.Namespace, via: str, env: Mapping[str, str],
                     err: TextIO) -> Credentials | None:
    """The credentials the command line gives (asking for the PIN if need be); None after
    saying on ``err`` what is missing or refused."""
    if getattr(args, "pin", None) is not None:
        print("glabella: --pin is refused: a PIN on the command line can be read by every "
              "account on this computer (the process list). Type it when asked, or use "
              "--pin-file FILE.", file=err)
        return None
    staff = (getattr(args, "staff", None) or env.get(STAFF_ENV, "")).strip()
    if not staff:
        print(f"glabella: {via} needs the staff member running it: {HOW}.", file=err)
        return None
    pin_file: Path | None = getattr(args, "pin_file", None)
    pin = read_pin_file(pin_file, err) if pin_file is not None else _ask_pin(staff, err)
    if pin is None:
        return None
    return Credentials(staff, pin, via)


def pin_file_problem(path: Path) -> str:
    """Why ``path`` may not hold a PIN ("" when it may): it must be this account's regular
    file, unreadable by group and others (POSIX; Windows has no such mode bits)."""
    try:
        info = path.stat()
    except OSError as exc:
        return f"the PIN file {path} cannot be read ({exc.strerror or exc})"
    if not stat.S_ISREG(info.st_mode):
        return f"the PIN file {path} is not a file"
    if os.name == "posix":
        if info.st_uid != os.getuid():
            return (f"the PIN file {path} belongs to another account; it must be yours "
                    f"(chown it, or make your own)")
        if info.st_mode & 0o077:
            return (f"the PIN file {path} can be read by other accounts (mode "
                    f"{stat.S_IMODE(info.st_mode):04o}); make it yours only: chmod 600 {path}")
    return ""


def read_pin_file(path: Path, err: TextIO) -> str | None:
    """The PIN on the file's first line, or None after saying why not."""
    problem = pin_file_problem(path)
    if not problem:
        try:
            # one line; the line break an editor adds is not part of the PIN
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            problem = f"the PIN file {path} cannot be read ({exc})"
        else:
            if lines and lines[0]:
                return lines[0]
            problem = f"the PIN file {path} is empty"
    print(f"glabella: {problem}. Nothing was done.", file=err)
    return None


def _ask_pin(staff: str, err: TextIO) -> str | None:
    try:
        pin = getpass.getpass(f"PIN for {staff}: ")
    except (EOFError, KeyboardInterrupt, OSError):
        pin = ""
    if not pin:
        print(f"glabella: no PIN given. Nothing was done ({HOW}).", file=err)
        return None
    return pin

def staff_command(args: argparse.Namespace, data_dir: Path) -> str | None:
    """The name of the command ``args`` runs if it reads or changes patient records, or
    replaces the signing identity (it then needs a staff member and PIN), else None.
    ``verify`` needs one only where there are records to look the PDF up in; ``restore``
    only where there is a database to replace."""
    from app.base.paths import DataPaths

    if args.command == "records":
        return f"records {args.records_command}"
    if args.command in ("verify", "restore"):
        return args.command if DataPaths(data_dir).database.exists() else None
    if args.command == "signing" and args.signing_command == "import":
        return "signing import"  # it replaces what certifies every consent: an administrator
    return args.command if args.command in ("finalize", "backup") else None
