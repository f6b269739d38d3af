"""The process the crash-safety test kills: ``python tests/crash_worker.py DATA_DIR``.

Starting Python and warming reportlab and pyHanko up takes seconds, which would allow only a
few dozen kills a minute. So this is a fork server: it warms up once (one real finalize),
closes everything, then on each ``go`` line from its parent forks a worker that opens the
data folder as Glabella does and finalizes demo consents in a loop, printing
``done <consent id>`` only after ``finalize`` has returned. The parent SIGKILLs the worker
whenever it likes; this process reaps it and reports ``exit <pid> <status>``.

Lines on stdout: ``ready``, ``worker <pid>``, ``writing <id>`` (the write transaction
starts), ``wrote <id> <ms>`` (it committed), ``done <id>`` (finalize returned),
``exit <pid> <status>``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.consult.demo import build_demo_consent  # noqa: E402
from app.runtime.service import Glabella  # noqa: E402


def say(line: str) -> None:
    # one write() per line: atomic on a pipe, so worker and server lines never interleave
    os.write(1, (line + "\n").encode("ascii"))


def finalize_forever(data: Path) -> None:
    service = Glabella.open(data)
    store_finalize = service.store.finalize

    def announced(record):  # noqa: ANN001, ANN202 - a test hook around Store.finalize
        say(f"writing {record.consent['id']}")  # so the parent can aim at the transaction
        started = time.perf_counter()
        consent_id = store_finalize(record)
        say(f"wrote {consent_id} {(time.perf_counter() - started) * 1000:.2f}")
        return consent_id

    service.store.finalize = announced
    while True:
        result = service.finalize(build_demo_consent(service.pack, service.clock))
        say(f"done {result.consent_id}")


def main(data: Path) -> None:
    service = Glabella.open(data)  # warm-up: imports, fonts, the signing identity
    try:
        say(f"done {service.finalize(build_demo_consent(service.pack)).consent_id}")
    finally:
        service.close()  # no connection or lock may cross a fork
    say("ready")
    for line in sys.stdin:
        if line.strip() != "go":
            break
        pid = os.fork()
        if pid == 0:
            try:
                finalize_forever(data)
            finally:
                os._exit(3)  # only reached if finalizing failed: the parent sees status 3
        say(f"worker {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"exit {pid} {status}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
