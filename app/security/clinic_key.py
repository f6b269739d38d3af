"""The clinic key: 32 random bytes per data folder, its subkeys and its recovery code.

The key itself encrypts the records database (SQLCipher) and its backups; other uses take a
subkey derived for their purpose (HKDF-SHA256), so no two uses ever share key material. The
recovery code is the key written for people: base32 in groups of four, with a 3-byte check
so that a mistyped code ("a typo") is told apart from a well-formed code of another clinic.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from app.base.errors import KnownError

KEY_BYTES = 32
_CHECK_BYTES = 3  # 32 + 3 bytes = 280 bits = exactly 56 base32 letters, no padding
_GROUP = 4
_CHECK_LABEL = b"glabella recovery code check"


class RecoveryCodeError(KnownError, ValueError):
    """A recovery code that is not well formed: mistyped, cut short or with extra letters."""


@dataclass(frozen=True, repr=False)
class ClinicKey:
    """The clinic's secret; its repr never shows the bytes."""

    raw: bytes

    def __post_init__(self) -> None:
        if len(self.raw) != KEY_BYTES:
            raise ValueError(f"a clinic key is {KEY_BYTES} bytes, not {len(self.raw)}")

    def __repr__(self) -> str:
        return "ClinicKey(<secret>)"

    @classmethod
    def generate(cls) -> ClinicKey:
        return cls(os.urandom(KEY_BYTES))

    def for_purpose(self, purpose: str) -> bytes:
        """A 32-byte subkey for one use ("signing-key", "drafts" …), derived by HKDF."""
        from cryptography.hazmat.primitives import hashes  # lazy: start-up cost
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                    info=b"glabella:" + purpose.encode()).derive(self.raw)

    def recovery_code(self) -> str:
        """The key as a recovery code, e.g. ``ABCD-EFGH-…`` (14 groups of four)."""
        letters = base64.b32encode(self.raw + _check(self.raw)).decode()
        return "-".join(letters[i:i + _GROUP] for i in range(0, len(letters), _GROUP))

    @classmethod
    def from_recovery_code(cls, code: str) -> ClinicKey:
        """The key a recovery code names; RecoveryCodeError when it is mistyped."""
        letters = "".join(ch for ch in code.upper() if ch.isalnum())
        # people read 0 and 1 for O and I; base32 has neither digit
        letters = letters.replace("0", "O").replace("1", "I").replace("8", "B")
        expected = (KEY_BYTES + _CHECK_BYTES) * 8 // 5
        if len(letters) != expected:
            raise RecoveryCodeError(
                f"A recovery code has {expected} letters and digits (in groups of four); "
                f"this one has {len(letters)}. Check it against the printed copy.")
        try:
            blob = base64.b32decode(letters)
        except ValueError:
            raise RecoveryCodeError("The recovery code holds a character that is not in "
                                    "any recovery code. Check it against the printed copy."
                                    ) from None
        raw, check = blob[:KEY_BYTES], blob[KEY_BYTES:]
        if not hmac.compare_digest(check, _check(raw)):
            raise RecoveryCodeError("The recovery code has a typo (its check letters do not "
                                    "match). Check each group against the printed copy.")
        return cls(raw)


def _check(raw: bytes) -> bytes:
    return hashlib.sha256(_CHECK_LABEL + raw).digest()[:_CHECK_BYTES]
