"""The staff member behind a command: named, their PIN checked, their wrong PINs counted
across processes. Qt-free.

A window counts wrong PINs in memory (``app.clinic.pin_lockout``); every command is a new
process, so here the count is rebuilt from the audit log before the PIN is checked: the
member's ``pin.failed``, ``staff.signed_in`` and ``pin.unlocked`` events of the last
``LOOKBACK_SECONDS`` (from windows and commands alike) are replayed, at the times they were
logged, into the same ``PinGuard`` the window uses, and the PIN is then checked by the same
``PinChecker``. So the rules are the window's: ``MAX_FAILURES`` wrong PINs in a row pause
that member's PIN entry for ``LOCKOUT_SECONDS``, in a window or in any command.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from app.base.errors import KnownError
from app.clinic.pin_lockout import PinChecker, PinGuard
from app.clinic.staff import StaffDirectory, StaffMember
from db import Store
from db.audit_chain import Origin, events_since

if TYPE_CHECKING:
    from app.consult.patient import Injector

# wrong PINs older than this are forgotten (the window remembers them until it closes)
LOOKBACK_SECONDS = 30 * 60
REPLAYED = ("pin.failed", "staff.signed_in", "pin.unlocked")


class SignInRefused(KnownError):
    """A command's staff member or PIN was not accepted; the message says why."""


@dataclass(frozen=True)
class Operator:
    """The staff member signed in to a command, and the origin its audit events carry."""

    member: StaffMember
    origin: Origin


class _ReplayClock:
    """PinGuard's clock: the time of the event being replayed, then now (epoch seconds)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _fold(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def find_member(directory: StaffDirectory, name_or_id: str) -> StaffMember:
    """The staff member with this id, full name or display name (any case); inactive
    members and names that fit several people are refused."""
    everyone = directory.members(include_inactive=True)
    wanted = _fold(name_or_id)
    found = [m for m in everyone if m.id == name_or_id.strip()] or [
        m for m in everyone if wanted in (_fold(m.full_name), _fold(m.display_name))]
    if not found:
        raise SignInRefused(f"No staff member is called {name_or_id!r}: give your name as "
                            f"it is in Settings → Staff, or your staff id.")
    if len(found) > 1:
        raise SignInRefused(f"More than one staff member is called {name_or_id!r}: give "
                            f"your staff id instead (Settings → Staff).")
    if not found[0].active:
        raise SignInRefused(f"{found[0].full_name}'s profile is not active: an "
                            f"administrator can reactivate it in Settings → Staff.")
    return found[0]


def _epoch(at: str) -> float:
    return datetime.fromisoformat(at).timestamp()


def recent_guard(store: Store, staff_id: str, now: datetime | None = None) -> PinGuard:
    """A PinGuard holding ``staff_id``'s count in a row and pause, rebuilt from the log."""
    now = now or datetime.now(UTC)
    clock = _ReplayClock()
    guard = PinGuard(clock=clock)
    since = (now - timedelta(seconds=LOOKBACK_SECONDS)).isoformat(timespec="seconds")
    for event in events_since(store.database.conn, REPLAYED, since):
        details = event["details"]
        clock.now = _epoch(event["at"])
        if event["event"] == "pin.failed" and details.get("staff_id") == staff_id:
            guard.failed(staff_id)
        elif event["event"] == "staff.signed_in" and details.get("staff_id") == staff_id:
            guard.succeeded(staff_id)
        elif event["event"] == "pin.unlocked" and details.get("staff_id") == staff_id:
            guard.release(staff_id)
    clock.now = now.timestamp()
    return guard


def sign_in(store: Store, name_or_id: str, pin: str, via: str, *, log: bool = True
            ) -> Operator:
    """Check ``pin`` for the named member; on success the store's audit events from now on
    name them as actor and ``via`` as how they came, and ``staff.signed_in`` is logged
    (unless not ``log``). SignInRefused says why not (a wrong PIN is logged as
    ``pin.failed``, as in a window, whatever ``log`` says)."""
    store.origin = Origin.here(via)  # a wrong PIN's event says where it was typed
    directory = StaffDirectory(store)
    member = find_member(directory, name_or_id)
    checker = PinChecker(directory, recent_guard(store, member.id))
    result = checker.check(pin, f"command {via}", staff_id=member.id)
    if result.member is None:
        raise SignInRefused(result.message)
    origin = Origin(store.origin.os_user, via, result.member.display_name, result.member.id)
    store.origin = origin
    if log:
        store.log_event("staff.signed_in", details={"staff_id": result.member.id})
    return Operator(result.member, origin)


def signed_in_member(store: Store, what: str) -> StaffMember:
    """The staff member signed in to ``store`` (by ``sign_in``); SignInRefused if nobody is."""
    if store.origin.staff_id is None:
        raise SignInRefused(f"{what} needs the staff member doing it: give --staff NAME and "
                            f"a PIN.")
    return StaffDirectory(store).get(store.origin.staff_id)


def require_admin(store: Store, what: str) -> StaffMember:
    """The administrator signed in to ``store``; SignInRefused for anyone else."""
    member = signed_in_member(store, what)
    if not member.is_admin:
        raise SignInRefused(f"{member.display_name} is not an administrator: only an "
                            f"administrator may {what}.")
    return member


def check_may_finish(store: Store, injector: Injector | None) -> StaffMember:
    """The staff member signed in to ``store``, if they may finalize a draft naming
    ``injector``: its injector themself, or an administrator (who answers for the clinic's
    records; anyone else could certify a consult in a colleague's name). SignInRefused if not."""
    member = signed_in_member(store, "Finalizing a draft")
    if member.is_admin or (injector is not None
                           and _fold(injector.full_name) == _fold(member.full_name)):
        return member
    named = injector.display_name if injector is not None else "no injector"
    raise SignInRefused(f"{member.display_name} may not finalize this draft: it names "
                        f"{named}. The injector named in the draft, or an administrator, "
                        f"finalizes it.")
