"""``glabella content check [PACK_DIR]``: is a content pack ready for patients?"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from app.base.paths import default_content_dir
from app.cli.commands import EXIT_FAILED, EXIT_OK
from app.consult.content.loader import load_pack
from app.consult.content.quality import check_pack
from app.consult.content.readability import MAX_GRADE


def run_content_check(folder: Path | None, *, out: TextIO, err: TextIO) -> int:
    """Print every problem of the pack (exit 1), or that it passed and what it holds (0)."""
    folder = folder or default_content_dir()
    problems = check_pack(folder)
    if problems:
        for problem in problems:
            print(problem.line(), file=err)
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the content "
              f"pack at {folder}: fix them before patients read it.", file=err)
        return EXIT_FAILED
    pack = load_pack(folder)
    print(f"Content pack {pack.info.id} {pack.version} ({pack.short_hash}) at {folder}: "
          f"ready. Every patient text reads at grade {MAX_GRADE:.0f} or below; every item "
          f"has its source; every approval names real areas.", file=out)
    print(f"Before patients read it, the clinic's medical director reviews this exact "
          f"version ({pack.version}, {pack.short_hash}); an administrator records that in "
          f"Settings → Content.", file=out)
    return EXIT_OK
