"""``glabella finalize DRAFT``: finalize a complete draft (one Glabella sealed for this
clinic) without the window."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.consult.draft import DraftError

if TYPE_CHECKING:
    from app.cli.credentials import Credentials

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def finalize_draft(path: Path, data_dir: Path, who: Credentials | None, out: TextIO,
                   err: TextIO, *, out_file: Path | None = None, force: bool = False) -> int:
    """An incomplete draft or a failed save is said by the commands' ``run_command``.
    ``who`` signs in; the draft's injector or an administrator may finalize it. The PDF
    stays in the (encrypted) record; ``out_file`` asks for a plain copy as well."""
    from app.base.private_files import write_bytes
    from app.cli.commands.records import checked_output
    from app.cli.commands.store import open_service_or_say
    from app.clinic.operator import check_may_finish

    if not Path(path).is_file():
        print(f"glabella: cannot read the draft {path}: there is no such file.", file=err)
        return EXIT_USAGE
    service = open_service_or_say(data_dir, err, who=who)
    if service is None:
        return EXIT_USAGE
    try:  # sealed with the clinic key: only a draft Glabella wrote for this clinic opens
        try:
            consent = service.drafts.load(path)
        except DraftError as exc:
            print(f"glabella: cannot read the draft {path}: {exc}", file=err)
            return EXIT_USAGE
        if consent.finalized_at is not None:
            print(f"glabella: {path} is already finalized (record {consent.id}).", file=err)
            return EXIT_FAILED
        check_may_finish(service.store, consent.injector)
        pack = service.pack
        if consent.content_hash != pack.hash:
            print(f"glabella: the draft was started with content pack "
                  f"{consent.content_version} ({consent.content_hash[:12]}), but this "
                  f"installation has {pack.version} ({pack.short_hash}). The patient must "
                  f"review the current wording: start the consult again.", file=err)
            return EXIT_FAILED
        target = (None if out_file is None
                  else checked_output(out_file, service.store, data_dir, force))
        result = service.finalize(consent)
        print(f"Finalized consent {result.consent_id}", file=out)
        if target is not None:
            pdf = write_bytes(target, service.store.get_pdf(result.consent_id)).read_bytes()
            service.log("consent.exported", consent_id=result.consent_id,
                        details={"path": str(target),
                                 "pdf_sha256": hashlib.sha256(pdf).hexdigest()})
            print(f"PDF: {target}", file=out)
        print(f"SHA-256: {result.pdf_sha256}", file=out)
        return EXIT_OK
    finally:
        service.close()
