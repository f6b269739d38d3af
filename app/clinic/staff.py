"""Staff profiles and their PINs: who signs in, unlocks patient mode and changes settings.

A PIN is kept only as a salted scrypt hash together with its algorithm and parameters,
so it can be checked again (and the parameters raised later) without ever storing the
PIN. Four to eight digits is a small space whatever the hash, so wrong PINs are also
counted, per staff member, and logged (``app.clinic.pin_lockout``). Qt-free.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.base.errors import KnownError
from app.consult.patient import Injector, validate_injector
from db import staff as staff_table
from db.clock import now_iso

if TYPE_CHECKING:
    from sqlite3 import Connection  # sqlite-utils' Database.conn is one too

    from db import Store

SCRYPT = "scrypt"
PBKDF2 = "pbkdf2_sha256"
# scrypt at n=2**14, r=8 costs 16 MiB and ~50 ms per check: cheap for one sign-in, dear
# for someone trying every PIN against a copied database.
SCRYPT_PARAMS: dict[str, int] = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
PBKDF2_MIN_ITERATIONS = 600_000
SALT_BYTES = 16
PIN_MIN, PIN_MAX = 4, 8

DEMO_PIN = "2468"
DEMO_STAFF = ("Dana Whitfield", "RN", "Nurse injector")
DEMO_STAFF_KEY = "staff.demo_id"  # setting: which profile is the demo one
# setting: a hash of the demo profile's stored PIN hash when it was made. While they are
# equal the PIN is still the demo PIN, which the sign-in screen can then say without a
# 50 ms scrypt check on every start (a new PIN always comes with a new salt).
DEMO_PIN_KEY = "staff.demo_pin_fingerprint"
DEMO_HINT = f"Demo clinic: PIN {DEMO_PIN} — change it in Settings"



class StaffError(KnownError, ValueError):
    """A staff change that cannot be made; the message says why in plain words."""


def pin_problem(pin: str) -> str:
    """Why ``pin`` cannot be a PIN ("" when it can): 4 to 8 digits 0-9, nothing else."""
    if not (pin.isascii() and pin.isdigit()):
        return "A PIN is made of digits only (0–9)."
    if not PIN_MIN <= len(pin) <= PIN_MAX:
        return f"A PIN has {PIN_MIN} to {PIN_MAX} digits."
    return ""


@dataclass(frozen=True)
class PinHash:
    """A stored PIN: the key-derivation function, its parameters, the salt and the hash."""

    kdf: str
    params: dict[str, int]
    salt: bytes
    digest: bytes


def _derive(pin: str, kdf: str, params: dict[str, int], salt: bytes) -> bytes:
    secret = pin.encode("utf-8")
    if kdf == SCRYPT:
        return hashlib.scrypt(secret, salt=salt, n=params["n"], r=params["r"], p=params["p"],
                              dklen=params["dklen"], maxmem=64 * 1024 * 1024)
    if kdf == PBKDF2:
        if params["iterations"] < PBKDF2_MIN_ITERATIONS:
            raise StaffError("This PIN hash uses too few PBKDF2 iterations to be trusted.")
        return hashlib.pbkdf2_hmac("sha256", secret, salt, params["iterations"],
                                   params["dklen"])
    raise StaffError(f"Unknown PIN hash algorithm {kdf!r}.")


def hash_pin(pin: str, salt: bytes | None = None) -> PinHash:
    """Hash a valid PIN with scrypt and a fresh 16-byte random salt."""
    problem = pin_problem(pin)
    if problem:
        raise StaffError(problem)
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    params = dict(SCRYPT_PARAMS)
    return PinHash(SCRYPT, params, salt, _derive(pin, SCRYPT, params, salt))


def pin_matches(pin: str, stored: PinHash) -> bool:
    """Whether ``pin`` is the PIN behind ``stored`` (constant-time comparison)."""
    if pin_problem(pin):
        return False  # never a stored PIN; and no hashing work for junk input
    candidate = _derive(pin, stored.kdf, stored.params, stored.salt)
    return hmac.compare_digest(candidate, stored.digest)


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


def read_demo_hint(conn: Connection, checked: dict[bytes, bool] | None = None) -> str:
    """What the sign-in screen says while the demo administrator still has the demo PIN.

    ``checked`` remembers scrypt answers by stored hash, for databases made before the
    fingerprint setting; without it (and without a fingerprint) the answer is "".
    """
    demo_id = staff_table.setting(conn, DEMO_STAFF_KEY)
    if not demo_id or not staff_table.is_active(conn, demo_id):
        return ""
    stored = read_stored_pin(conn, demo_id)
    fingerprint = staff_table.setting(conn, DEMO_PIN_KEY)
    if fingerprint is not None:
        return DEMO_HINT if fingerprint == pin_fingerprint(stored) else ""
    if checked is None:
        return ""
    key = stored.salt + stored.digest
    if key not in checked:
        checked.clear()
        checked[key] = pin_matches(DEMO_PIN, stored)
    return DEMO_HINT if checked[key] else ""


def _pin_row(stored: PinHash) -> staff_table.PinRow:
    return stored.kdf, json.dumps(stored.params, sort_keys=True), stored.salt, stored.digest


def _who(member: StaffMember | None) -> str | None:
    return member.display_name if member else None


class StaffDirectory:
    """The clinic's staff, read from and written to the records database."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._conn = staff_table.connection(store)
        # the demo hint's PIN check by stored hash, for databases without the fingerprint:
        # scrypt costs ~50 ms, and a changed PIN is a new salted hash, so it cannot go stale
        self._demo_pin_by_hash: dict[bytes, bool] = {}

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
        return pin_matches(pin, self.stored_pin(staff_id))

    def match_pin(self, pin: str, *, admins_only: bool = False) -> StaffMember | None:
        """The active staff member (an administrator, if asked) whose PIN this is."""
        if pin_problem(pin):
            return None
        for member in self.members():
            if (member.is_admin or not admins_only) and self.pin_is(member.id, pin):
                return member
        return None

    # -- changing ---------------------------------------------------------------------------

    def add(self, full_name: str, credentials: str, role: str, pin: str, *,
            is_admin: bool = False, by: StaffMember | None = None) -> StaffMember:
        """Add an active staff member; StaffError (with the reason) when the input is not
        acceptable. The profile and its audit event are written together."""
        injector, problems = validate_injector(full_name, credentials, role)
        if injector is None:
            raise StaffError(problems[0].message.replace("Injector name", "Name"))
        import uuid  # here: uuid's import is a cost the sign-in screen need not pay

        pin_hash = hash_pin(pin)
        now = now_iso()
        member = StaffMember(str(uuid.uuid4()), injector.full_name, injector.credentials,
                             injector.role, is_admin, True, now)
        with self.store.transaction():
            staff_table.insert_member(self.store, {
                "id": member.id, "full_name": member.full_name,
                "credentials": member.credentials, "role": member.role,
                "is_admin": is_admin}, _pin_row(pin_hash), now)
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
        pin_hash = hash_pin(pin)
        with self.store.transaction():
            member = self.get(staff_id)
            staff_table.set_pin(self.store, staff_id, _pin_row(pin_hash), now_iso())
            self.store.log_event("staff.pin_reset", actor=_who(by),
                                 details={"staff_id": staff_id, "full_name": member.full_name})

    def _active_admins(self) -> int:
        return staff_table.active_admin_count(self._conn)

    # -- the demo clinic --------------------------------------------------------------------

    def ensure_demo_admin(self) -> StaffMember | None:
        """A brand-new database with no staff gets the demo administrator (PIN 2468)."""
        if not self.is_empty():
            return None
        name, credentials, role = DEMO_STAFF
        with self.store.transaction():
            member = self.add(name, credentials, role, DEMO_PIN, is_admin=True)
            self.store.set_setting(DEMO_STAFF_KEY, member.id)
            self.store.set_setting(DEMO_PIN_KEY, pin_fingerprint(self.stored_pin(member.id)))
        return member

    def demo_hint(self) -> str:
        """What the sign-in screen says while the demo administrator still has PIN 2468."""
        return read_demo_hint(self._conn, self._demo_pin_by_hash)
