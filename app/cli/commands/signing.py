"""``glabella signing show`` and ``glabella signing import FILE.p12``."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.cli.commands import EXIT_OK, EXIT_USAGE
from app.cli.commands.store import open_service_or_say

if TYPE_CHECKING:
    from app.cli.credentials import Credentials


def run_show(data_dir: Path, out: TextIO, err: TextIO) -> int:
    """Print the identity; the first use makes it, as finalizing would."""
    from app.document.signing.identity import describe

    service = open_service_or_say(data_dir, err, via="signing show")
    if service is None:
        return EXIT_USAGE
    try:  # an identity that cannot be read or made is said by run_command (exit 1)
        identity = service.signing_identity()
    finally:
        service.close()
    for label, value in describe(identity):
        print(f"{label + ':':<21}{value}", file=out)
    return EXIT_OK


def run_import(p12: Path, password_file: Path | None, data_dir: Path,
               who: Credentials | None, out: TextIO, err: TextIO) -> int:
    """Replace the identity with the clinic CA's PKCS#12; the old certificate is retired.
    ``who`` signs in, and must be an administrator."""
    from app.clinic.operator import require_admin
    from app.document.signing.identity import describe, import_pkcs12

    if not p12.is_file():
        print(f"glabella: {p12} does not exist.", file=err)
        return EXIT_USAGE
    try:
        if password_file is not None:
            # one line; the line break an editor adds is not part of the password
            password = password_file.read_bytes().rstrip(b"\r\n")
        else:
            password = getpass.getpass(f"Password for {p12.name}: ").encode("utf-8")
    except OSError as exc:
        print(f"glabella: the password file cannot be read ({exc.strerror or exc}).", file=err)
        return EXIT_USAGE
    except (EOFError, KeyboardInterrupt):
        print("glabella: no password given.", file=err)
        return EXIT_USAGE
    service = open_service_or_say(data_dir, err, who=who, via="signing import")
    if service is None:
        return EXIT_USAGE
    try:  # a PKCS#12 that cannot be used is said by run_command (exit 1)
        require_admin(service.store, "replace the clinic's signing identity")
        identity = import_pkcs12(service.paths.signing, p12, password or None, service.store,
                                  secret=service.signing_secret)
    finally:
        service.close()
    print("The clinic's signing identity was replaced. New consents are certified with:",
          file=out)
    for label, value in describe(identity):
        print(f"  {label + ':':<21}{value}", file=out)
    return EXIT_OK
