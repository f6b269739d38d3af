"""Start-up, memory and bundle-size figures for the packaging issue, each against a floor.

    python bench/bench_startup.py              # source figures + memory; frozen if built
    python bench/bench_startup.py --frozen     # also build the minimal PySide6 bundle

Figures (median of --runs process starts on one data folder, whose first, database-making
start is not timed; warm disk cache; Glabella and its floor are started in turn, so a
change in the machine's load touches both):
- start to the sign-in screen drawn, to the records open behind it (a PIN can be checked),
  and to the whole consult window built, from source and frozen, against a bare PySide6
  window started the same way (target: drawn at most 1.5x);
- peak memory (max RSS) of a process that opens the service and finalizes a consult
  (target: under 150 MiB);
- bundle size on disk against a minimal PySide6-Essentials one-folder bundle built with the
  same pinned PyInstaller and the same strip setting (target: at most 1.25x).
With ``GLABELLA_EXIT_WHEN_READY=1`` the app prints ``ready`` once its window is first
drawn, ``opened`` once the records are open, ``built`` once the consult's pages are built,
then quits; the bare window prints ``ready`` after its first paint too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"

BARE_WINDOW = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    class Window(QMainWindow):
        painted = False

        def paintEvent(self, event):
            super().paintEvent(event)
            if not self.painted:  # "ready" exactly as Glabella says it: after first drawn
                self.painted = True
                QTimer.singleShot(0, ready)

    def ready():
        print("ready", flush=True)
        app.quit()

    app = QApplication(sys.argv)
    window = Window()
    window.resize(1366, 768)
    window.show()
    app.exec()
""")

FINALIZE_MEMORY = textwrap.dedent("""
    import resource, sys, tempfile
    from pathlib import Path
    from app.consult.demo import build_demo_consent
    from app.runtime.service import open_service
    service = open_service(Path(tempfile.mkdtemp()))
    service.finalize(build_demo_consent(service.pack, service.clock))
    service.close()
    # ru_maxrss is KiB on Linux, bytes on macOS
    scale = 1 if sys.platform == "darwin" else 1024
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale)
""")


STAGES = ("ready", "opened", "built")  # what the app prints; the bare window only "ready"


def _env(data_dir: str) -> dict[str, str]:
    env = {**os.environ, "GLABELLA_EXIT_WHEN_READY": "1", "GLABELLA_HOME": data_dir}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # An installed app has its bytecode compiled (pip, PyInstaller); let the untimed first
    # start write it, or every timed start would compile the checkout's sources again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _start_once(cmd: list[str], data: str) -> dict[str, float]:
    """Seconds from process start to each line it printed."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=_env(data), cwd=ROOT)
    assert proc.stdout is not None
    seen: dict[str, float] = {}
    for line in proc.stdout:
        seen.setdefault(line.strip(), time.perf_counter() - start)
    proc.wait(timeout=60)
    if "ready" not in seen:
        raise RuntimeError(f"{cmd[0]} never reported ready (exit {proc.returncode})")
    return seen


def time_starts(cmds: dict[str, list[str]], runs: int) -> dict[str, dict[str, float]]:
    """For each command, the median seconds to each of STAGES (a stage it does not print:
    the one before it), the commands taking turns run by run.

    Each command gets one data folder; its first start (which creates the database and
    writes bytecode) is not timed, so the figures are those of a clinic's every-day start.
    """
    times: dict[str, dict[str, list[float]]] = {name: {s: [] for s in STAGES} for name in cmds}
    with tempfile.TemporaryDirectory() as root:
        folders = {name: tempfile.mkdtemp(dir=root) for name in cmds}
        for run in range(runs + 1):
            for name, cmd in cmds.items():
                seen = _start_once(cmd, folders[name])
                if run:  # run 0 made the database
                    last = seen["ready"]
                    for stage in STAGES:
                        last = seen.get(stage, last)
                        times[name][stage].append(last)
    return {name: {stage: statistics.median(values) for stage, values in stages.items()}
            for name, stages in times.items()}


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def build_minimal_bundle() -> Path:
    """A bare-window PySide6-Essentials app frozen with the same pinned PyInstaller."""
    py = BUILD / "venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not py.exists():
        raise SystemExit("build/venv is missing: run `python packaging/build.py` first")
    work = BUILD / "bench-minimal"
    work.mkdir(parents=True, exist_ok=True)
    script = work / "bare_window.py"
    script.write_text(BARE_WINDOW, encoding="utf-8")
    # stripped exactly where packaging/glabella.spec strips Glabella's (STRIP: Linux)
    strip = ["--strip"] if sys.platform.startswith("linux") else []
    subprocess.run([str(py), "-m", "PyInstaller", "--noconfirm", "--onedir", *strip,
                    "--name", "bare_window", "--distpath", str(work / "dist"), "--workpath",
                    str(work / "work"), "--specpath", str(work), str(script)],
                   check=True, capture_output=True)
    return work / "dist" / "bare_window"


def _start_rows(how: str, times: dict[str, float], floor_name: str, floor: float
                ) -> list[tuple[str, str, str, str]]:
    labels = {"ready": "sign-in screen drawn", "opened": "records open behind it",
              "built": "whole consult window built"}
    return [(f"start to {labels[stage]}, {how}", f"{times[stage] * 1000:.0f} ms",
             f"{floor_name} {floor * 1000:.0f} ms",
             f"{times[stage] / floor:.2f}x" + (" (target <= 1.5x)" if stage == "ready" else ""))
            for stage in STAGES]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--frozen", action="store_true",
                        help="build a minimal PySide6 bundle to compare the frozen app with")
    args = parser.parse_args()

    rows: list[tuple[str, str, str, str]] = []
    source = time_starts({"bare": [sys.executable, "-c", BARE_WINDOW],
                          "app": [sys.executable, "-m", "app"]}, args.runs)
    rows += _start_rows("source", source["app"], "bare window", source["bare"]["ready"])

    exe = BUILD / "dist" / "glabella" / ("glabella.exe" if os.name == "nt" else "glabella")
    if exe.exists() and args.frozen:
        minimal = build_minimal_bundle()
        min_exe = minimal / ("bare_window.exe" if os.name == "nt" else "bare_window")
        frozen = time_starts({"bare": [str(min_exe)], "app": [str(exe)]}, args.runs)
        rows += _start_rows("frozen", frozen["app"], "bare bundle", frozen["bare"]["ready"])
        size, min_size = folder_size(exe.parent), folder_size(minimal)
        rows.append(("bundle size on disk", f"{size / 2**20:.0f} MiB",
                     f"bare bundle {min_size / 2**20:.0f} MiB",
                     f"{size / min_size:.2f}x (target <= 1.25x)"))
    else:
        rows.append(("frozen figures", "skipped", "run packaging/build.py, then --frozen", ""))

    peak = int(subprocess.run([sys.executable, "-c", FINALIZE_MEMORY], capture_output=True,
                              text=True, check=True, cwd=ROOT).stdout.strip())
    rows.append(("peak memory, open + finalize", f"{peak / 2**20:.0f} MiB", "",
                 "target < 150 MiB"))

    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    print(f"Glabella start-up benchmark, {time.strftime('%Y-%m-%d')}, median of {args.runs}")
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
