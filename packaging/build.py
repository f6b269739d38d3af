"""Build Glabella's one-folder bundle in a clean virtual environment, then smoke-test it.

    python packaging/build.py            # venv, PyInstaller, checks, selftest, tarball
    python packaging/build.py --reuse    # keep an existing build venv (faster re-builds)

Everything goes under ``build/`` in the checkout: ``build/venv`` (the clean environment),
``build/dist/glabella/`` (the bundle), ``build/glabella-<version>-<platform>.tar.gz``.
Exit code is non-zero when any step fails: the frozen self-test, or the check that nothing
``packaging/bundle_excludes.py`` leaves out crept back into the bundle.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
# Pinned so a bundle built today and one built next year come from the same tools.
PINS = ["pyinstaller==6.22.3", "pyinstaller-hooks-contrib==2026.9"]


def run(cmd: list[str], **kw) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run(cmd, check=True, **kw)


def venv_python(path: Path) -> Path:
    return path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def make_venv(reuse: bool) -> Path:
    target = BUILD / "venv"
    if target.exists() and not reuse:
        shutil.rmtree(target)
    py = venv_python(target)
    if not target.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(target)
        run([str(py), "-m", "pip", "install", "-q", "--upgrade", "pip"])
    # also when reusing: a dependency added since the venv was made must reach the bundle
    # (a reused venv without pyHanko once built a bundle whose self-test failed)
    run([str(py), "-m", "pip", "install", "-q", *PINS, "-e", str(ROOT)])
    return py


def bundle_dir() -> Path:
    return BUILD / "dist" / "glabella"


def executable() -> Path:
    name = "glabella.exe" if os.name == "nt" else "glabella"
    if sys.platform == "darwin" and (BUILD / "dist" / "Glabella.app").exists():
        return BUILD / "dist" / "Glabella.app" / "Contents" / "MacOS" / "glabella"
    return bundle_dir() / name


def build(py: Path) -> None:
    run([str(py), "-m", "PyInstaller", "--noconfirm", "--clean",
         "--distpath", str(BUILD / "dist"), "--workpath", str(BUILD / "work"),
         str(ROOT / "packaging" / "glabella.spec")], cwd=ROOT)


# The module names in the executable's archive: its runtime hooks and scripts, and every
# module of its PYZ. Run with the build venv's Python, which has PyInstaller.
ARCHIVE_NAMES = """
import json, sys
from PyInstaller.archive.readers import CArchiveReader
exe = CArchiveReader(sys.argv[1])
names = list(exe.toc)
for name, entry in exe.toc.items():
    if entry[-1] == "z":  # a PYZ
        names += list(exe.open_embedded_archive(name).toc)
print(json.dumps(names))
"""


def check_exclusions(py: Path) -> None:
    """Fail if the bundle holds anything bundle_excludes.py leaves out on purpose."""
    sys.path.insert(0, str(ROOT / "packaging"))
    from bundle_excludes import leftovers

    exe = bundle_dir() / executable().name
    out = subprocess.run([str(py), "-c", ARCHIVE_NAMES, str(exe)], check=True,
                         capture_output=True, text=True).stdout
    found = leftovers(bundle_dir() / "_internal", json.loads(out))
    if found:
        raise SystemExit("The bundle holds what packaging/bundle_excludes.py excludes:\n  "
                         + "\n  ".join(found))
    size = sum(f.stat().st_size for f in bundle_dir().rglob("*")
               if f.is_file() and not f.is_symlink())
    print(f"Bundle holds nothing excluded; {size / 2**20:.1f} MiB on disk", flush=True)


def smoke_test() -> None:
    """The frozen executable runs the whole self-test headless in a throwaway folder, and
    checks its content pack (reading grades included)."""
    with tempfile.TemporaryDirectory(prefix="glabella-frozen-") as tmp:
        env = {**os.environ, "GLABELLA_HOME": tmp, "QT_QPA_PLATFORM": "offscreen"}
        # a subfolder: a self-test never runs in the data folder in use (GLABELLA_HOME)
        run([str(executable()), "selftest", "--keep", str(Path(tmp) / "selftest")], env=env)
        # the bundled pack passes its own check, offline, with the bundled dictionaries
        run([str(executable()), "content", "check"], env=env)


def linux_tarball(version: str) -> Path:
    """A tarball with the bundle, a .desktop entry, the icon and a per-user installer."""
    arch = platform.machine() or "x86_64"
    name = f"glabella-{version}-linux-{arch}"
    out = BUILD / f"{name}.tar.gz"
    with tarfile.open(out, "w:gz") as tar:
        tar.add(bundle_dir(), arcname=f"{name}/glabella")
        for extra in ("glabella.desktop", "install.sh"):
            tar.add(ROOT / "packaging" / "linux" / extra, arcname=f"{name}/{extra}")
        tar.add(ROOT / "resources" / "icons" / "glabella.png", arcname=f"{name}/glabella.png")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="reuse build/venv if present")
    parser.add_argument("--no-smoke", action="store_true", help="skip the frozen self-test")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from app import __version__

    py = make_venv(args.reuse)
    build(py)
    check_exclusions(py)
    if not args.no_smoke:
        smoke_test()
    if sys.platform.startswith("linux"):
        print(f"Linux tarball: {linux_tarball(__version__)}")
    print(f"Bundle: {bundle_dir()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
