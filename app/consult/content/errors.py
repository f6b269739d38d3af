"""The error a content pack that cannot be used raises, with where and why."""

from __future__ import annotations

from app.base.errors import KnownError


class ContentError(KnownError, ValueError):
    """A content pack that cannot be used, with where and why."""

    def __init__(self, file: str, item: str | None, problem: str) -> None:
        self.file, self.item, self.problem = file, item, problem
        where = f"{file}, item '{item}'" if item else file
        super().__init__(f"Content pack error in {where}: {problem}")
