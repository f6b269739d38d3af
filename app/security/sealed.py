"""Sealed files: AES-256-GCM with the clinic's key, so a file is both private and provably ours.

A sealed file is ``MAGIC``, a 12-byte random nonce, then the ciphertext with GCM's 16-byte
tag. The tag is the MAC: changing one byte, swapping the nonce, or sealing with another
clinic's key makes ``unseal`` refuse the file. The purpose (e.g. ``b"draft"``) is bound in
as associated data, so a file sealed for one use cannot be passed off as another.
"""

from __future__ import annotations

import os

from app.base.errors import KnownError

MAGIC = b"GLABELLA-SEALED-1\n"
NONCE_BYTES = 12
KEY_BYTES = 32


class SealError(KnownError, ValueError):
    """A file that is not sealed, was changed, or was sealed with another key."""


def is_sealed(blob: bytes) -> bool:
    return blob.startswith(MAGIC)


def seal(plaintext: bytes, key: bytes, purpose: bytes) -> bytes:
    """Encrypt and authenticate plaintext for purpose under a 32-byte key."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # lazy: start-up cost

    _check_key(key)
    nonce = os.urandom(NONCE_BYTES)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, plaintext, MAGIC + purpose)


def unseal(blob: bytes, key: bytes, purpose: bytes) -> bytes:
    """The plaintext, or SealError saying (without guessing) why it cannot be trusted."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    _check_key(key)
    if not is_sealed(blob):
        raise SealError("it was not written by Glabella (it is not a sealed file)")
    body = blob[len(MAGIC):]
    if len(body) < NONCE_BYTES + 16:
        raise SealError("it is cut short")
    nonce, ciphertext = body[:NONCE_BYTES], body[NONCE_BYTES:]
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, MAGIC + purpose)
    except InvalidTag:
        raise SealError("it was changed after Glabella wrote it, or it was written with "
                        "another clinic's key") from None


def _check_key(key: bytes) -> None:
    if len(key) != KEY_BYTES:
        # a programming error, not something a user can fix
        raise ValueError(f"a sealing key is {KEY_BYTES} bytes, not {len(key)}")
