"""``glabella finalize DRAFT.json``: finalize a complete draft without the window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.consult import draft

if TYPE_CHECKING:
    from app.cli.credentials import Credentials

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def finalize_draft(path: Path, data_dir: Path, who: Credentials | None, out: TextIO,
                   err: TextIO) -> int:
    """An incomplete draft or a failed save is said by the commands' ``run_command``.
    ``who`` signs in; the draft's injector or an administrator may finalize it."""
    from app.cli.commands.store import open_service_or_say
    from app.clinic.operator import check_may_finish

    try:
        consent = draft.load(path)
    except draft.DraftError as exc:
        print(f"glabella: cannot read the draft {path}: {exc}", file=err)
        return EXIT_USAGE
    if consent.finalized_at is not None:
        print(f"glabella: {path} is already finalized (record {consent.id}).", file=err)
        return EXIT_FAILED
    service = open_service_or_say(data_dir, err, who=who)
    if service is None:
        return EXIT_USAGE
    try:
        check_may_finish(service.store, consent.injector)
        pack = service.pack
        if consent.content_hash != pack.hash:
            print(f"glabella: the draft was started with content pack "
                  f"{consent.content_version} ({consent.content_hash[:12]}), but this "
                  f"installation has {pack.version} ({pack.short_hash}). The patient must "
                  f"review the current wording: start the consult again.", file=err)
            return EXIT_FAILED
        result = service.finalize(consent)
        exported = service.export_pdf(result.consent_id, service.paths.exports)
        print(f"Finalized consent {result.consent_id}", file=out)
        print(f"PDF: {exported}", file=out)
        print(f"SHA-256: {result.pdf_sha256}", file=out)
        return EXIT_OK
    finally:
        service.close()
