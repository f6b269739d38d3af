"""What a staff PIN may be, and how it is kept: the strength rule and the scrypt hash. Qt-free.

A new or reset PIN is 6 to 12 digits (0-9) or a passphrase of 12 or more characters, and
not one of the obviously guessed: one digit repeated, a run (123456, 987654), a short group
repeated (121212), a date (a birthday such as 170488), or the demo clinic's published PIN
for anyone but the demo administrator. PINs of 4 or 5 digits set before this rule still
sign in (``can_be_a_pin``); after such a sign-in the window asks for a stronger one
(``asks_for_stronger``).

A PIN is kept only as a salted hash with its algorithm and parameters, so the cost can be
raised (``needs_rehash``) and old hashes still check. Passphrases are NFC-normalised
before hashing, so the same text typed on another keyboard (é as one character or as e
plus an accent) is the same passphrase.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date

from app.base.errors import KnownError

SCRYPT = "scrypt"
PBKDF2 = "pbkdf2_sha256"
# scrypt at n=2**16, r=8 costs 64 MiB and ~170 ms per check on a 2-core laptop
# (bench/bench_pin.py: 2**14 ~40 ms, 2**15 ~87 ms, 2**17 ~345 ms): a short wait for one
# sign-in, and about 47 core-hours to try every 6-digit PIN against a copied database.
SCRYPT_PARAMS: dict[str, int] = {"n": 2**16, "r": 8, "p": 1, "dklen": 32}
PBKDF2_MIN_ITERATIONS = 600_000
SALT_BYTES = 16

DIGITS_MIN, DIGITS_MAX = 6, 12  # a new PIN of digits
LEGACY_MIN = 4  # PINs set before the 6-digit rule: they still sign in
PASSPHRASE_MIN = 12
PASSPHRASE_MAX = 128
INPUT_MAX = PASSPHRASE_MAX  # the longest text a PIN field takes

DEMO_PIN = "246813"  # the demo clinic's administrator's PIN, printed in the README


class PinFormatError(KnownError, ValueError):
    """Text that can never be a stored PIN, or a stored hash that cannot be trusted."""


def normalise(pin: str) -> str:
    """The form a PIN is hashed in: NFC, so composed and decomposed accents agree."""
    return unicodedata.normalize("NFC", pin)


def _is_digits(pin: str) -> bool:
    return pin.isascii() and pin.isdigit()


def can_be_a_pin(pin: str) -> bool:
    """Whether ``pin`` could be a stored PIN (new, or older 4-5 digits): worth hashing."""
    pin = normalise(pin)
    if _is_digits(pin):
        return LEGACY_MIN <= len(pin) <= DIGITS_MAX
    return PASSPHRASE_MIN <= len(pin) <= PASSPHRASE_MAX and pin.isprintable()


def _is_run(pin: str) -> bool:
    """Each digit one more (or one less) than the one before, wrapping 9 to 0."""
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    return steps in ({1}, {9})


def _is_repeat(pin: str) -> bool:
    """A group of up to half the PIN's length repeated (111111, 121212, 123123)."""
    return any(len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size)
               for size in range(1, len(pin) // 2 + 1))


def _is_date(pin: str) -> bool:
    """Reads as a calendar date: DDMMYY, MMDDYY, YYMMDD, or those with a year 1900-2099."""
    if len(pin) == 6:
        y, a, b = pin[4:], pin[:2], pin[2:4]
        candidates = [(2000 + int(y), b, a), (2000 + int(y), a, b),
                      (2000 + int(pin[:2]), pin[2:4], pin[4:])]
    elif len(pin) == 8:
        candidates = [(int(pin[4:]), pin[2:4], pin[:2]), (int(pin[4:]), pin[:2], pin[2:4]),
                      (int(pin[:4]), pin[4:6], pin[6:])]
        candidates = [c for c in candidates if 1900 <= c[0] <= 2099]
    else:
        return False
    for year, month, day in candidates:
        try:
            date(year, int(month), int(day))
        except ValueError:
            continue
        return True
    return False


def pin_problem(pin: str, *, demo: bool = False) -> str:
    """Why ``pin`` cannot be a new PIN ("" when it can), in words for the person typing it.

    ``demo``: the PIN is for the demo administrator, who alone may have the demo PIN.
    """
    pin = normalise(pin)
    if not _is_digits(pin):
        if pin.isdigit():
            return "A PIN is made of the digits 0–9 only, or is a passphrase."
        if len(pin) < PASSPHRASE_MIN:
            return (f"A PIN has {DIGITS_MIN} to {DIGITS_MAX} digits (0–9); a passphrase has "
                    f"at least {PASSPHRASE_MIN} characters.")
        if len(pin) > PASSPHRASE_MAX:
            return f"A passphrase has at most {PASSPHRASE_MAX} characters."
        if not pin.isprintable():
            return "A passphrase cannot hold tabs, line breaks or other control characters."
        if len(set(pin)) == 1:
            return "A passphrase of one character repeated is too easy to guess."
        return ""
    if not DIGITS_MIN <= len(pin) <= DIGITS_MAX:
        return f"A PIN has {DIGITS_MIN} to {DIGITS_MAX} digits."
    if pin == DEMO_PIN and not demo:
        return "That is the demo clinic's published PIN: choose another."
    if _is_repeat(pin):
        return "A digit or a group of digits repeated is too easy to guess: choose another."
    if _is_run(pin):
        return "Digits in a row (like 123456 or 987654) are too easy to guess: choose another."
    if _is_date(pin):
        return "That reads as a date, such as a birthday, which is easy to guess: choose another."
    return ""


def asks_for_stronger(pin: str, *, demo: bool = False) -> bool:
    """After ``pin`` signed someone in: whether it falls short of today's rule."""
    return bool(pin_problem(pin, demo=demo))


@dataclass(frozen=True)
class PinHash:
    """A stored PIN: the key-derivation function, its parameters, the salt and the hash."""

    kdf: str
    params: dict[str, int]
    salt: bytes
    digest: bytes


def _derive(pin: str, kdf: str, params: dict[str, int], salt: bytes) -> bytes:
    secret = normalise(pin).encode("utf-8")
    if kdf == SCRYPT:
        n, r, p = params["n"], params["r"], params["p"]
        return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, dklen=params["dklen"],
                              maxmem=2 * 128 * n * r * p)  # twice what it needs
    if kdf == PBKDF2:
        if params["iterations"] < PBKDF2_MIN_ITERATIONS:
            raise PinFormatError("This PIN hash uses too few PBKDF2 iterations to be trusted.")
        return hashlib.pbkdf2_hmac("sha256", secret, salt, params["iterations"],
                                   params["dklen"])
    raise PinFormatError(f"Unknown PIN hash algorithm {kdf!r}.")


def hash_pin(pin: str, salt: bytes | None = None, params: dict[str, int] | None = None
             ) -> PinHash:
    """Hash a PIN with scrypt at today's cost (or ``params``) and a fresh random salt.

    Only the format is checked here (an older 4-digit PIN is rehashed at sign-in); whether
    a PIN is strong enough to be chosen is ``pin_problem``'s, asked by whoever sets it.
    """
    if not can_be_a_pin(pin):
        raise PinFormatError(pin_problem(pin) or "That cannot be a PIN.")
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    params = dict(SCRYPT_PARAMS if params is None else params)
    return PinHash(SCRYPT, params, salt, _derive(pin, SCRYPT, params, salt))


def pin_matches(pin: str, stored: PinHash) -> bool:
    """Whether ``pin`` is the PIN behind ``stored`` (constant-time comparison)."""
    if not can_be_a_pin(pin):
        return False  # never a stored PIN; and no hashing work for junk input
    candidate = _derive(pin, stored.kdf, stored.params, stored.salt)
    return hmac.compare_digest(candidate, stored.digest)


def needs_rehash(stored: PinHash) -> bool:
    """Whether ``stored`` was made at a lower cost than today's (then rehash it at sign-in)."""
    return stored.kdf != SCRYPT or any(stored.params.get(key, 0) < value
                                       for key, value in SCRYPT_PARAMS.items())


def stronger_pin_request(name: str) -> str:
    """What the window says after ``name`` signed in with a PIN short of today's rule."""
    return (f"{name}, your PIN is shorter or easier to guess than Glabella now asks for. "
            f"Choose a new one: {DIGITS_MIN} to {DIGITS_MAX} digits, or a passphrase of "
            f"{PASSPHRASE_MIN} or more characters.")
