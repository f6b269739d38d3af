"""The clinic's medical director's sign-off of the content pack (Qt-free).

The medical director is the final authority on the wording patients read. An
administrator records in Settings that the director reviewed this exact pack: its id,
version and content hash. A pack edited since has a new hash, and so no review, until
one is recorded for it. Reviews are stored immutably with a ``content.reviewed`` audit
event (``db.content_reviews``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from app.consult.patient import clean_text

if TYPE_CHECKING:
    from app.consult.content import ContentPack
    from db import Store

# the columns' CHECK limits in db.later_migrations (not imported: it loads sqlite-utils)
MAX_REVIEWER = 200
MAX_PACK_ID = 100
MAX_PACK_VERSION = 50
EARLIEST_REVIEW = date(2000, 1, 1)
SHORT_HASH = 12
# Fixed English month names, as the PDF prints them: the same bytes on every workstation.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FIELDS = ("pack_id", "version", "content_hash", "reviewed_by", "reviewed_on",
           "recorded_by", "recorded_at")


def _day(value: date) -> str:
    """``1 Dec 2026``: no reader confuses day and month."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def short_hash(content_hash: str) -> str:
    return content_hash[:SHORT_HASH]


@dataclass(frozen=True)
class PackReview:
    """One recorded review of one exact content pack."""

    pack_id: str
    version: str
    content_hash: str
    reviewed_by: str  # name and title, e.g. "Dr Ana Ruiz, Medical Director"
    reviewed_on: date
    recorded_by: str  # the administrator who recorded it, as the audit log names staff
    recorded_at: datetime

    def line(self) -> str:
        """The sentence printed on a consent PDF."""
        # "by Dr Ana Ruiz, Medical Director, on …" but "by Dr Ana Ruiz on …"
        comma = "," if "," in self.reviewed_by else ""
        return (f"Content pack {self.pack_id} {self.version} (hash "
                f"{short_hash(self.content_hash)}) reviewed by {self.reviewed_by}{comma} on "
                f"{_day(self.reviewed_on)}; recorded by {self.recorded_by} on "
                f"{_day(self.recorded_at.date())}.")

    def covers(self, pack: ContentPack) -> bool:
        """Whether this is a review of exactly ``pack``."""
        return self.content_hash == pack.hash

    def to_json(self) -> dict[str, str]:
        """A plain dict of strings (ISO date and timestamp), for a consent to carry."""
        return {"pack_id": self.pack_id, "version": self.version,
                "content_hash": self.content_hash, "reviewed_by": self.reviewed_by,
                "reviewed_on": self.reviewed_on.isoformat(), "recorded_by": self.recorded_by,
                "recorded_at": self.recorded_at.isoformat()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PackReview:
        """The review ``to_json`` wrote (or a stored row); ValueError if it is not one."""
        missing = [f for f in _FIELDS if not isinstance(data.get(f), str) or not data[f]]
        if missing:
            raise ValueError(f"A content review needs {', '.join(missing)}.")
        return cls(data["pack_id"], data["version"], data["content_hash"],
                   data["reviewed_by"], date.fromisoformat(data["reviewed_on"]),
                   data["recorded_by"], datetime.fromisoformat(data["recorded_at"]))


def reviewer(name: str, title: str = "") -> str:
    """The reviewer as printed: ``Dr Ana Ruiz, Medical Director``; "" without a name."""
    name, title = clean_text(name), clean_text(title)
    if not name:
        return ""
    return f"{name}, {title}" if title else name


def review_problems(reviewed_by: str, reviewed_on: date | None, today: date) -> list[str]:
    """Why this review cannot be recorded, in plain words (empty when it can)."""
    problems = []
    name = clean_text(reviewed_by)
    if not name:
        problems.append("The medical director's name is required.")
    elif len(name) > MAX_REVIEWER:
        problems.append(f"The medical director's name and title are too long ({len(name)} "
                        f"characters; at most {MAX_REVIEWER}).")
    if reviewed_on is None:
        problems.append("The review date is required.")
    elif reviewed_on > today:
        problems.append(f"The review date cannot be in the future (today is {_day(today)}).")
    elif reviewed_on < EARLIEST_REVIEW:
        problems.append(f"The review date cannot be before {_day(EARLIEST_REVIEW)}.")
    return problems


def unreviewed_notice(pack: ContentPack) -> str:
    """What staff see on the consult screen while ``pack`` has no review recorded."""
    return (f"This content pack (version {pack.version}, {short_hash(pack.hash)}) has not "
            "been reviewed by the clinic's medical director. An administrator records the "
            "review in Settings → Content.")


def current_review(store: Store, pack: ContentPack) -> PackReview | None:
    """The newest review of exactly this pack (its hash), or None."""
    row = store.content_review(pack.hash)
    return PackReview.from_json(row) if row is not None else None


def record_review(store: Store, pack: ContentPack, reviewed_by: str, reviewed_on: date,
                  recorded_by: str, clock: Callable[[], datetime]) -> PackReview:
    """Record that ``reviewed_by`` reviewed exactly ``pack`` on ``reviewed_on``.

    ``recorded_by`` is the signed-in administrator (their display name); ``clock`` gives
    the clinic's time, which decides what "today" is. ValueError, with a message a user
    can read, when refused: nothing is stored then.
    """
    now = clock()
    name = clean_text(reviewed_by)
    problems = review_problems(name, reviewed_on, now.date())
    who = clean_text(recorded_by)
    if not who:
        problems.append("Who records the review is required (the signed-in administrator).")
    elif len(who) > MAX_REVIEWER:
        problems.append(f"The name recording the review is too long (at most {MAX_REVIEWER} "
                        "characters).")
    if len(pack.info.id) > MAX_PACK_ID or len(pack.version) > MAX_PACK_VERSION:
        problems.append(f"This content pack's id or version is too long to record (at most "
                        f"{MAX_PACK_ID} and {MAX_PACK_VERSION} characters): ask whoever "
                        "edits the pack to shorten it.")
    if problems:
        raise ValueError(" ".join(problems))
    review = PackReview(pack.info.id, pack.version, pack.hash, name, reviewed_on, who,
                        now.replace(microsecond=0))
    store.add_content_review(**review.to_json())
    return review
