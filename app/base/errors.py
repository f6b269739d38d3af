"""The core's name for errors users are meant to read: ``KnownError`` and its ``message``.

The class itself is defined in ``db.errors`` because the storage layer never imports
``app`` and its errors (``StoreError`` and the rest) are known errors as well; everything
else raises subclasses of this name. Anything that is not a ``KnownError`` is a bug: it is
written to the bug log (``app.runtime.bug_log``), never shown as if staff could fix it.
"""

from __future__ import annotations

from db.errors import KnownError

__all__ = ["KnownError"]
