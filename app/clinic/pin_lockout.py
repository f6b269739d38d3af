"""Wrong staff PINs, counted per staff member: who is paused, who may unlock them. Qt-free.

A PIN is six to twelve digits (older ones four or five), a small space whatever the hash,
so wrong guesses are limited. They are limited per staff member, so that a patient guessing
at the patient screen cannot pause PIN entry for everyone:

- A PIN typed at an "any staff member" prompt (leaving or unlocking patient mode) is
  tried against every active member. Such unattributed wrong PINs never pause anyone, but
  after ``NAME_AFTER`` of them in a row those prompts ask "Who are you?" first, and no
  unattributed PIN is checked again until a right PIN is typed. Each member costs one
  scrypt check (~170 ms), so with more than ``NAMELESS_MAX`` active members these prompts
  always ask the name first; the member who last typed a right PIN is tried first.
- A PIN typed for a named member (the sign-in screen, or after "Who are you?") counts
  against that member only: after ``MAX_FAILURES`` in a row, that member's PIN entry
  pauses for ``LOCKOUT_SECONDS``. Another active member may unlock them early with their
  own (named) PIN; that is logged as ``pin.unlocked``.

At an "any staff member" prompt this is no faster to guess than the old single pause for
the whole window (a nameless PIN was tried against everyone; now each name has its own
five). Where a name is always chosen (sign-in), someone trying the names in turn gets five
tries per name per pause instead of five in all: the price of not letting one person's
guesses pause everyone (README, "Sign in"). The state lives in memory, one per window,
shared by all its PIN prompts.
Audit events name the staff member and the purpose, never the PIN or the patient.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.clinic.staff import StaffDirectory, StaffMember

MAX_FAILURES = 5  # wrong PINs in a row for one member before their PIN entry pauses
LOCKOUT_SECONDS = 60
NAME_AFTER = 3  # unattributed wrong PINs in a row before a prompt asks who you are
NAMELESS_MAX = 4  # active members a nameless PIN is tried against: at most ~0.7 s

ASK_NAME = "Too many wrong PINs without a name. Choose your name, then type your PIN."
NAME_FIRST = "Choose your name, then type your PIN."
CHOOSE_NAME = "Choose your name first."


class PinGuard:
    """Counts wrong PINs in a row per staff member (and those typed for nobody in
    particular) and pauses a member's PIN entry after ``max_failures``."""

    def __init__(self, max_failures: int = MAX_FAILURES, lockout: float = LOCKOUT_SECONDS,
                 clock: Callable[[], float] = time.monotonic, name_after: int = NAME_AFTER
                 ) -> None:
        self.max_failures = max_failures
        self.lockout = lockout
        self.clock = clock
        self.name_after = name_after
        self.unattributed = 0  # wrong PINs in a row typed for no one in particular
        self.last_right: str | None = None  # who typed the last right PIN: tried first
        self._failures: dict[str, int] = {}
        self._locked_until: dict[str, float] = {}

    def failures(self, staff_id: str) -> int:
        return self._failures.get(staff_id, 0)

    def seconds_left(self, staff_id: str | None) -> int:
        """Whole seconds until ``staff_id``'s PIN entry opens again (0: open now; a PIN for
        nobody in particular is never paused, it needs a name instead)."""
        if staff_id is None:
            return 0
        return max(0, math.ceil(self._locked_until.get(staff_id, 0.0) - self.clock()))

    def needs_name(self) -> bool:
        """Whether "any staff member" prompts must ask who is typing first."""
        return self.unattributed >= self.name_after

    def failed(self, staff_id: str | None) -> int:
        """Count a wrong PIN (for ``staff_id``, or for no one); the count in a row."""
        if staff_id is None:
            self.unattributed += 1
            return self.unattributed
        in_a_row = self._failures.get(staff_id, 0) + 1
        self._failures[staff_id] = in_a_row
        if in_a_row >= self.max_failures:
            self._locked_until[staff_id] = self.clock() + self.lockout
            self._failures[staff_id] = 0  # a fresh count once the pause is over
        return in_a_row

    def succeeded(self, staff_id: str) -> None:
        """A right PIN: that member's count starts again, and so does the nameless one."""
        self._failures.pop(staff_id, None)
        self.unattributed = 0
        self.last_right = staff_id

    def release(self, staff_id: str) -> None:
        """End ``staff_id``'s pause now (another member unlocked it)."""
        self._locked_until.pop(staff_id, None)
        self._failures.pop(staff_id, None)


@dataclass(frozen=True)
class PinCheck:
    """The outcome of one PIN entry: who it was, or why not."""

    member: StaffMember | None
    message: str = ""
    locked_seconds: int = 0
    needs_name: bool = False  # the prompt must ask "Who are you?" before the next PIN
    asks_for_stronger: bool = False  # right, but short of today's rule: ask for a new one


def _tries(left: int) -> str:
    return f"{left} more tr{'ies' if left != 1 else 'y'}"


class PinChecker:
    """Checks PINs for one window: the guard's per-member pauses, the audit log, messages."""

    def __init__(self, directory: StaffDirectory, guard: PinGuard | None = None) -> None:
        self.directory = directory
        self.guard = guard or PinGuard()

    def needs_name(self) -> bool:
        """Whether "any staff member" prompts ask who is typing first: after wrong PINs,
        or always when a nameless PIN would cost too many checks."""
        return self.guard.needs_name() or self.too_many_for_nameless()

    def too_many_for_nameless(self) -> bool:
        return len(self.directory.members()) > NAMELESS_MAX

    def seconds_left(self, staff_id: str | None) -> int:
        return self.guard.seconds_left(staff_id)

    def can_be_unlocked(self, staff_id: str) -> bool:
        """Whether another active member could unlock ``staff_id``'s paused PIN entry."""
        return any(m.id != staff_id for m in self.directory.members())

    def check(self, pin: str, purpose: str, *, staff_id: str | None = None,
              admins_only: bool = False) -> PinCheck:
        """Check ``pin`` for ``purpose`` (e.g. "leave patient mode").

        With ``staff_id`` it must be that person's PIN, and a wrong one counts against them;
        else any active staff member's (an administrator's, with ``admins_only``).
        """
        if staff_id is None:
            return self._check_anyone(pin, purpose, admins_only)
        candidate = self.directory.get(staff_id)
        wait = self.guard.seconds_left(staff_id)
        if wait:
            return PinCheck(None, self.locked_message(wait, candidate), wait)
        if not candidate.active:
            return PinCheck(None, "This profile is not active.")
        if admins_only and not candidate.is_admin:
            # not checked, so this prompt never tells whether a non-administrator's PIN is right
            return PinCheck(None, f"{candidate.full_name} is not an administrator: choose an "
                                  "administrator's name.")
        if self.directory.check_pin(staff_id, pin):
            self.guard.succeeded(staff_id)
            return self._right(candidate, pin)
        in_a_row = self.guard.failed(staff_id)
        wait = self.guard.seconds_left(staff_id)
        self._log_failed(purpose, staff_id, in_a_row, locked_out=wait > 0)
        if wait:
            return PinCheck(None, self.locked_message(wait, candidate), wait)
        left = self.guard.max_failures - in_a_row
        return PinCheck(None, f"That is not the right PIN for {candidate.full_name}. "
                              f"{_tries(left)} before their PIN entry pauses.")

    def _check_anyone(self, pin: str, purpose: str, admins_only: bool) -> PinCheck:
        if self.guard.needs_name():
            return PinCheck(None, ASK_NAME, needs_name=True)  # not checked, so not counted
        if self.too_many_for_nameless():
            return PinCheck(None, NAME_FIRST, needs_name=True)
        member = self.directory.match_pin(pin, admins_only=admins_only,
                                          first=self.guard.last_right)
        if member is not None:
            self.guard.succeeded(member.id)
            return self._right(member, pin)
        in_a_row = self.guard.failed(None)
        self._log_failed(purpose, None, in_a_row, locked_out=False)
        if self.guard.needs_name():
            return PinCheck(None, ASK_NAME, needs_name=True)
        needed = "an administrator's PIN" if admins_only else "the right PIN"
        return PinCheck(None, f"That is not {needed}.")

    def _right(self, member: StaffMember, pin: str) -> PinCheck:
        return PinCheck(member, asks_for_stronger=self.directory.asks_for_stronger(member.id,
                                                                                    pin))

    def unlock(self, staff_id: str, pin: str, by_id: str | None) -> PinCheck:
        """Another member (``by_id``, with their own PIN) ends ``staff_id``'s pause now.
        The unlocking member on success; a wrong PIN counts against ``by_id``."""
        if by_id is None:
            return PinCheck(None, CHOOSE_NAME)
        if by_id == staff_id:
            return PinCheck(None, "Someone else unlocks a paused PIN: choose their name.")
        result = self.check(pin, "unlock a paused PIN", staff_id=by_id)
        if result.member is None:
            return result
        self.guard.release(staff_id)
        self.directory.store.log_event("pin.unlocked", actor=result.member.display_name,
                                       details={"staff_id": staff_id, "by_staff_id": by_id})
        return result

    def _log_failed(self, purpose: str, staff_id: str | None, in_a_row: int, *,
                    locked_out: bool) -> None:
        self.directory.store.log_event("pin.failed", details={
            "purpose": purpose, "staff_id": staff_id, "failures_in_a_row": in_a_row,
            "locked_out": locked_out, "asks_name": staff_id is None and self.needs_name()})

    def locked_message(self, seconds: int, member: StaffMember) -> str:
        return self.pause_message(seconds, member.full_name, self.can_be_unlocked(member.id))

    @staticmethod
    def pause_message(seconds: int, name: str, can_be_unlocked: bool) -> str:
        """What a paused member's prompt says, counting down."""
        text = f"Too many wrong PINs for {name}. Try again in {seconds} s"
        if can_be_unlocked:
            text += ", or another member of staff can unlock it"
        return text + "."
