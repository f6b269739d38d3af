"""Staff profiles and their PINs: who signs in, unlocks patient mode and changes settings.

What a PIN may be and how it is hashed live in ``app.clinic.pins``; wrong PINs are
counted, per staff member, and logged in ``app.clinic.pin_lockout``. A PIN hashed at a
lower cost than today's is rehashed when it next signs someone in. Qt-free.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.base.errors import KnownError
from app.clinic.pins import (
    DEMO_PIN,
    PinHash,
    asks_for_stronger,
    can_be_a_pin,
    hash_pin,
    needs_rehash,
    pin_matches,
    pin_problem,
)
from app.consult.patient import Injector, validate_injector
from db import staff as staff_table
from db.clock import now_iso

if TYPE_CHECKING:
    from sqlite3 import Connection  # sqlite-utils' Database.conn is one too

    from db import Store

LEGACY_DEMO_PIN = "2468"  # the demo PIN of databases made before 6-digit PINs
DEMO_STAFF = ("Dana Whitfield", "RN", "Nurse injector")
DEMO_STAFF_KEY = "staff.demo_id"  # setting: which profile is the demo one
# settings: a hash of the demo profile's stored PIN hash when it was made, one per demo PIN.
# While it is equal the PIN is still that demo PIN, which the sign-in screen can then say
# without a scrypt check on every start (a new PIN always comes with a new salt).
DEMO_PIN_KEY = "staff.demo_pin6_fingerprint"
LEGACY_DEMO_PIN_KEY = "staff.demo_pin_fingerprint"  # for PIN 2468
DEMO_PIN_KEYS = ((DEMO_PIN_KEY, DEMO_PIN), (LEGACY_DEMO_PIN_KEY, LEGACY_DEMO_PIN))


def demo_hint_for(pin: str) -> str:
    """The sign-in screen's line while the demo administrator still has ``pin``."""
    return f"Demo clinic: PIN {pin} — change it in Settings"


DEMO_HINT = demo_hint_for(DEMO_PIN)


class StaffError(KnownError, ValueError):
    """A staff change that cannot be made; the message says why in plain words."""


@dataclass(frozen=True)
class StaffMember:
    id: str
    full_name: str
    credentials: str
    role: str
    is_admin: bool
    active: bool
    created_at: str

    @property
    def display_name(self) -> str:
        return self.as_injector().display_name

    def as_injector(self) -> Injector:
        """The injector fields a consult started by this person is prefilled with."""
        return Injector(self.full_name, self.credentials, self.role or "Injector")


def _member(row: tuple) -> StaffMember:
    staff_id, full_name, credentials, role, is_admin, active, created_at = row
    return StaffMember(staff_id, full_name, credentials, role, bool(is_admin), bool(active),
                       created_at)


def pin_fingerprint(stored: PinHash) -> str:
    """A stand-in for one stored PIN hash: equal only while the PIN is not changed."""
    return hashlib.sha256(stored.salt + stored.digest).hexdigest()


def read_members(conn: Connection, *, include_inactive: bool = False) -> list[StaffMember]:
    """Staff by name, read with a plain connection; only active ones unless asked."""
    return [_member(row) for row in
            staff_table.member_rows(conn, include_inactive=include_inactive)]


def read_stored_pin(conn: Connection, staff_id: str) -> PinHash:
    row = staff_table.pin_row(conn, staff_id)
    if row is None:
        raise StaffError("No such staff member.")
    kdf, params, salt, digest = row
    return PinHash(kdf, json.loads(params), bytes(salt), bytes(digest))


def read_demo_hint(conn: Connection, checked: dict[bytes, str] | None = None) -> str:
    """What the sign-in screen says while the demo administrator still has a demo PIN.

    ``checked`` remembers scrypt answers (the demo PIN it is, or "") by stored hash, for
    databases without the fingerprint settings; without it (and without a fingerprint)
    the answer is "".
    """
    demo_id = staff_table.setting(conn, DEMO_STAFF_KEY)
    if not demo_id or not staff_table.is_active(conn, demo_id):
        return ""
    stored = read_stored_pin(conn, demo_id)
    for setting, pin in DEMO_PIN_KEYS:
        fingerprint = staff_table.setting(conn, setting)
        if fingerprint is not None:
            return demo_hint_for(pin) if fingerprint == pin_fingerprint(stored) else ""
    if checked is None:
        return ""
    key = stored.salt + stored.digest
    if key not in checked:
        checked.clear()
        checked[key] = next((pin for pin in (LEGACY_DEMO_PIN, DEMO_PIN)
                             if pin_matches(pin, stored)), "")
    return demo_hint_for(checked[key]) if checked[key] else ""


def pin_row_of(stored: PinHash) -> staff_table.PinRow:
    """How ``stored`` is kept in the staff table."""
    return stored.kdf, json.dumps(stored.params, sort_keys=True), stored.salt, stored.digest


def _who(member: StaffMember | None) -> str | None:
    return member.display_name if member else None


class StaffDirectory:
    """The clinic's staff, read from and written to the records database."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._conn = staff_table.connection(store)
        # the demo hint's PIN check by stored hash, for databases without the fingerprint:
        # scrypt costs ~170 ms, and a changed PIN is a new salted hash, so it cannot go stale
        self._demo_pin_by_hash: dict[bytes, str] = {}

    # -- reading ----------------------------------------------------------------------------

    def members(self, *, include_inactive: bool = False) -> list[StaffMember]:
        """Staff by name; only active ones unless asked."""
        return read_members(self._conn, include_inactive=include_inactive)

    def get(self, staff_id: str) -> StaffMember:
        row = staff_table.member_row(self._conn, staff_id)
        if row is None:
            raise StaffError("No such staff member.")
        return _member(row)

    def is_empty(self) -> bool:
        """No staff at all yet: the window asks for the first administrator."""
        return staff_table.staff_count(self._conn) == 0

    def stored_pin(self, staff_id: str) -> PinHash:
        return read_stored_pin(self._conn, staff_id)

    def pin_is(self, staff_id: str, pin: str) -> bool:
        """Whether ``pin`` is this member's PIN (only reads; see ``check_pin``)."""
        return pin_matches(pin, self.stored_pin(staff_id))

    def is_demo(self, staff_id: str) -> bool:
        """Whether this is the demo administrator (who alone may keep the demo PIN)."""
        return staff_table.setting(self._conn, DEMO_STAFF_KEY) == staff_id

    def asks_for_stronger(self, staff_id: str, pin: str) -> bool:
        """After ``pin`` signed this member in: whether to ask them for a stronger PIN."""
        return asks_for_stronger(pin, demo=self.is_demo(staff_id))

    def check_pin(self, staff_id: str, pin: str) -> bool:
        """Whether ``pin`` is this member's PIN; a right PIN hashed at a lower cost than
        today's is rehashed at today's (logged as ``staff.pin_rehashed``)."""
        stored = self.stored_pin(staff_id)
        if not pin_matches(pin, stored):
            return False
        if needs_rehash(stored):
            self._rehash(staff_id, pin, stored)
        return True

    def match_pin(self, pin: str, *, admins_only: bool = False,
                  first: str | None = None) -> StaffMember | None:
        """The active staff member (an administrator, if asked) whose PIN this is.

        Each member costs a scrypt check, so ``first`` (the one most likely typing: who
        signed in last) is tried before the others."""
        if not can_be_a_pin(pin):
            return None
        members = sorted(self.members(), key=lambda m: m.id != first)
        for member in members:
            if (member.is_admin or not admins_only) and self.check_pin(member.id, pin):
                return member
        return None

    # -- changing ---------------------------------------------------------------------------

    def add(self, full_name: str, credentials: str, role: str, pin: str, *,
            is_admin: bool = False, by: StaffMember | None = None,
            demo: bool = False) -> StaffMember:
        """Add an active staff member; StaffError (with the reason) when the input is not
        acceptable. The profile and its audit event are written together. ``demo``: the
        demo administrator, who alone may have the demo PIN."""
        injector, problems = validate_injector(full_name, credentials, role)
        if injector is None:
            raise StaffError(problems[0].message.replace("Injector name", "Name"))
        if pin_problem(pin, demo=demo):
            raise StaffError(pin_problem(pin, demo=demo))
        import uuid  # here: uuid's import is a cost the sign-in screen need not pay

        pin_hash = hash_pin(pin)
        now = now_iso()
        member = StaffMember(str(uuid.uuid4()), injector.full_name, injector.credentials,
                             injector.role, is_admin, True, now)
        with self.store.transaction():
            staff_table.insert_member(self.store, {
                "id": member.id, "full_name": member.full_name,
                "credentials": member.credentials, "role": member.role,
                "is_admin": is_admin}, pin_row_of(pin_hash), now)
            self.store.log_event("staff.added", actor=_who(by), details={
                "staff_id": member.id, "full_name": member.full_name,
                "credentials": member.credentials, "is_admin": is_admin})
        return member

    def set_active(self, staff_id: str, active: bool, *, by: StaffMember | None = None) -> None:
        """Deactivate (or bring back) a profile; the last active administrator stays."""
        with self.store.transaction():
            member = self.get(staff_id)
            if member.active == active:
                return
            if not active and member.is_admin and self._active_admins() == 1:
                raise StaffError("This is the last active administrator: add another "
                                 "administrator before deactivating this one.")
            staff_table.set_active(self.store, staff_id, active)
            self.store.log_event("staff.reactivated" if active else "staff.deactivated",
                                 actor=_who(by), details={"staff_id": staff_id,
                                                          "full_name": member.full_name})

    def reset_pin(self, staff_id: str, pin: str, *, by: StaffMember | None = None) -> None:
        """A new PIN for ``staff_id`` (by an administrator, or by themselves); StaffError
        with the reason when it is too weak."""
        problem = pin_problem(pin)  # not even the demo administrator may choose the demo PIN
        if problem:
            raise StaffError(problem)
        pin_hash = hash_pin(pin)
        with self.store.transaction():
            member = self.get(staff_id)
            staff_table.set_pin(self.store, staff_id, pin_row_of(pin_hash), now_iso())
            self.store.log_event("staff.pin_reset", actor=_who(by),
                                 details={"staff_id": staff_id, "full_name": member.full_name})

    def _rehash(self, staff_id: str, pin: str, stored: PinHash) -> None:
        """``stored`` again at today's cost; the demo hint keeps knowing the demo PIN."""
        fresh = hash_pin(pin)
        with self.store.transaction():
            staff_table.set_pin_hash(self.store, staff_id, pin_row_of(fresh))
            for key, _pin in DEMO_PIN_KEYS:
                if staff_table.setting(self._conn, key) == pin_fingerprint(stored):
                    self.store.set_setting(key, pin_fingerprint(fresh))
            self.store.log_event("staff.pin_rehashed", actor=_who(self.get(staff_id)),
                                 details={"staff_id": staff_id, "from": stored.params,
                                          "to": fresh.params})

    def _active_admins(self) -> int:
        return staff_table.active_admin_count(self._conn)

    # -- the demo clinic --------------------------------------------------------------------

    def ensure_demo_admin(self) -> StaffMember | None:
        """A brand-new database with no staff gets the demo administrator (PIN 246813)."""
        if not self.is_empty():
            return None
        name, credentials, role = DEMO_STAFF
        with self.store.transaction():
            member = self.add(name, credentials, role, DEMO_PIN, is_admin=True, demo=True)
            self.store.set_setting(DEMO_STAFF_KEY, member.id)
            self.store.set_setting(DEMO_PIN_KEY, pin_fingerprint(self.stored_pin(member.id)))
        return member

    def demo_hint(self) -> str:
        """What the sign-in screen says while the demo administrator still has a demo PIN13."""
        return read_demo_hint(self._conn, self._demo_pin_by_hash)
