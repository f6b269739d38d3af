"""Sealed files: what Glabella wrote opens; anything changed, foreign or plain is refused."""

from __future__ import annotations

import os

import pytest

from app.security.sealed import MAGIC, SealError, is_sealed, seal, unseal

KEY = os.urandom(32)
TEXT = "Zoë 李 😀 — draft".encode()


def test_round_trip_and_the_plaintext_is_not_in_the_file() -> None:
    blob = seal(TEXT, KEY, b"draft")
    assert is_sealed(blob)
    assert TEXT not in blob and "Zoë".encode() not in blob
    assert unseal(blob, KEY, b"draft") == TEXT
    # a fresh nonce each time: the same text never seals to the same bytes
    assert seal(TEXT, KEY, b"draft") != blob


@pytest.mark.parametrize("position", [len(MAGIC), len(MAGIC) + 12, -1])
def test_one_changed_byte_is_refused(position: int) -> None:
    blob = bytearray(seal(TEXT, KEY, b"draft"))
    blob[position] ^= 0x01
    with pytest.raises(SealError, match="changed"):
        unseal(bytes(blob), KEY, b"draft")


def test_another_key_or_purpose_is_refused() -> None:
    blob = seal(TEXT, KEY, b"draft")
    with pytest.raises(SealError, match="another clinic"):
        unseal(blob, os.urandom(32), b"draft")
    with pytest.raises(SealError):
        unseal(blob, KEY, b"photo")


def test_plain_and_truncated_files_are_refused() -> None:
    with pytest.raises(SealError, match="not a sealed file"):
        unseal(b'{"format": "glabella-draft"}', KEY, b"draft")
    with pytest.raises(SealError, match="cut short"):
        unseal(MAGIC + b"x" * 10, KEY, b"draft")
