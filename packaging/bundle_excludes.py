"""What the one-folder bundle leaves out on purpose, each with why leaving it out is safe.

One list, read three ways:
- ``glabella.spec`` passes it to PyInstaller as excludes;
- ``tests/test_bundle_excludes.py`` runs the self-test from source with every module here
  made unimportable, so a new use of one of them fails the fast suite, not a clinic;
- ``build.py`` fails a build whose bundle still holds any of them (``leftovers``).

Stdlib only: ``build.py`` imports this with whatever Python runs it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

# module (and its submodules) -> why the bundle is fine without it
EXCLUDED_MODULES: dict[str, str] = {
    # pyHanko imports aiohttp (pyhanko/sign/timestamps/__init__.py) but Glabella certifies
    # and verifies offline: aiohttp and its helpers stay, only their compiled speed-ups go,
    # each of which its package replaces with pure Python on ImportError.
    "aiohttp._http_parser": "aiohttp/http_parser.py keeps its Python parsers",
    "aiohttp._http_writer": "aiohttp/http_writer.py keeps _py_serialize_headers",
    "aiohttp._websocket.reader_c": "aiohttp/_websocket/reader.py falls back to reader_py",
    "aiohttp._websocket.mask": "aiohttp/_websocket/helpers.py keeps _websocket_mask_python",
    "multidict._multidict": "multidict/_compat.py turns USE_EXTENSIONS off: _multidict_py",
    "propcache._helpers_c": "propcache/_helpers.py falls back to _helpers_py",
    "frozenlist._frozenlist": "frozenlist/__init__.py keeps its Python FrozenList",
    "yarl._quoting_c": "yarl/_quoting.py falls back to _quoting_py",
    # lxml: only lxml.etree is used (pyHanko writes the XMP /Metadata stream of every
    # certified PDF with it; fhir_core's optional XML methods), the rest of the package not.
    "lxml.objectify": "nothing imports it",
    "lxml.html": "nothing imports it",
    "lxml.isoschematron": "nothing imports it (and its XSL data files go with it)",
    "lxml.sax": "nothing imports it",
    "lxml.builder": "nothing imports it",
    "lxml.ElementInclude": "nothing imports it",
    "lxml.cssselect": "nothing imports it",
    "lxml.doctestcompare": "nothing imports it",
    "lxml.usedoctest": "nothing imports it",
    "lxml.pyclasslookup": "nothing imports it",
    "lxml.includes": "C headers for building against lxml",
    # Pillow is a hard import of reportlab, which only ever reads PNG here (logo and
    # signatures; the settings dialog converts any logo to PNG with Qt first).
    "PIL._avif": "AvifImagePlugin sets SUPPORTED = False on ImportError (takes libavif)",
    "PIL._webp": "WebPImagePlugin sets SUPPORTED = False on ImportError (takes libwebp*)",
    "PIL._imagingcms": "only ImageCms (LAB conversions) loads it (takes liblcms2)",
    "PIL._imagingtk": "only ImageTk loads it; there is no Tk in the bundle",
    # Build tools: only cffi's run-time compiler (cffi/_shimmed_dist_utils.py, never
    # called: oscrypto, cffi's one user, is not even imported) pulls them in, and with
    # them PyInstaller's pyi_rth_setuptools and pyi_rth_pkgres hooks, run on every start.
    "setuptools": "a build tool",
    "pkg_resources": "a build tool (plugins are found with importlib.metadata)",
    "distutils": "a build tool",
    "_distutils_hack": "setuptools' import shim",
    # Developer tools reportlab and lxml import only in their `__main__` self-tests.
    "unittest": "only reportlab's test helpers import it",
    "doctest": "only `if __name__ == '__main__'` blocks import it",
    "pdb": "only doctest and sqlite_utils' CLI (not bundled) import it",
    # (pydoc stays: nltk.util imports it, and textstat imports nltk for `content check`)
    # Worker processes: only concurrent.futures.process (ProcessPoolExecutor, loaded on
    # first use by concurrent.futures) imports multiprocessing; Glabella starts none. With
    # it goes PyInstaller's pyi_rth_multiprocessing hook, which ran on every start.
    "multiprocessing": "only ProcessPoolExecutor imports it; Glabella uses threads",
    "concurrent.futures.process": "ProcessPoolExecutor: never used",
}

# fhir.resources' top level is the R5 model set; Glabella uses only fhir.resources.R4B
# (its own get_fhir_model_class and fhirtypes). PyInstaller follows the package's
# __init__ into all ~210 R5 modules; the spec excludes them by listing them (see
# fhir_r5_modules), and leftovers() checks none came back.
FHIR_KEPT = ("fhir.resources.R4B",)

# Data files: Qt's own translations (qt_*.qm) are loaded only through a QTranslator,
# which Glabella never installs (its text is the content pack's; Qt's dialogs in English).
EXCLUDED_DATA_DIRS = (("PySide6", "Qt", "translations"), ("PySide6", "translations"))

# PyInstaller runtime hooks that ran on every start only because setuptools (or
# multiprocessing) was bundled.
EXCLUDED_RUNTIME_HOOKS = ("pyi_rth_setuptools", "pyi_rth_pkgres", "pyi_rth_multiprocessing")


def fhir_r5_modules() -> list[str]:
    """fhir.resources' top-level modules and packages other than R4B (needs fhir.resources)."""
    import pkgutil

    import fhir.resources

    return sorted(f"fhir.resources.{info.name}"
                  for info in pkgutil.iter_modules(fhir.resources.__path__)
                  if f"fhir.resources.{info.name}" not in FHIR_KEPT)


def excluded_data(dest: str) -> bool:
    """Whether a data file bound for ``dest`` (a bundle-relative path) is left out."""
    parts = Path(dest).parts
    return any(parts[: len(prefix)] == prefix for prefix in EXCLUDED_DATA_DIRS)


def _is_excluded_module(name: str) -> bool:
    if any(name == m or name.startswith(m + ".") for m in EXCLUDED_MODULES):
        return True
    return (name.startswith("fhir.resources.")
            and not any(name == k or name.startswith(k + ".") for k in FHIR_KEPT))


def leftovers(internal: Path, archived: Iterable[str]) -> list[str]:
    """What of the excluded items a built bundle still holds.

    ``internal`` is the bundle's ``_internal`` folder (compiled modules, data files);
    ``archived`` the names in the executable's archive: its PYZ's modules and its
    runtime hooks.
    """
    found = sorted(f"module {name}" for name in archived if _is_excluded_module(name))
    found += [f"runtime hook {name}" for name in archived if name in EXCLUDED_RUNTIME_HOOKS]
    for module in EXCLUDED_MODULES:
        where = internal.joinpath(*module.split("."))
        hits = [where] if where.exists() else []
        hits += [p for p in where.parent.glob(where.name + ".*") if p.is_file()]
        found += [f"file {p.relative_to(internal)}" for p in hits]
    for prefix in EXCLUDED_DATA_DIRS:
        if internal.joinpath(*prefix).exists():
            found.append(f"data {Path(*prefix)}")
    return found


if __name__ == "__main__":  # python packaging/bundle_excludes.py: the list, for a reader
    for module, why in EXCLUDED_MODULES.items():
        sys.stdout.write(f"{module:30} {why}\n")
