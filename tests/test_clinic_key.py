"""The clinic key: its store, its recovery code and subkeys, and the key id file."""

from __future__ import annotations

import json
import os
import stat

import pytest

from app.security.clinic_key import ClinicKey, RecoveryCodeError
from app.security.folder_key import KEYID_NAME, KeyMissingError, create_key, load_key
from app.security.key_store import ENV_KEY_DIR, FolderKeyStore, store_for


def test_a_recovery_code_gives_the_key_back_and_tells_a_typo_from_another_clinics_code():
    key = ClinicKey.generate()
    code = key.recovery_code()
    groups = code.split("-")
    assert len(groups) == 14 and all(len(g) == 4 for g in groups)
    assert ClinicKey.from_recovery_code(code) == key
    # spaces, lower case and the digits people read for O and I are accepted
    assert ClinicKey.from_recovery_code(code.lower().replace("-", " ")) == key
    typo = code[:5] + ("A" if code[5] != "A" else "B") + code[6:]
    with pytest.raises(RecoveryCodeError, match="typo"):
        ClinicKey.from_recovery_code(typo)
    with pytest.raises(RecoveryCodeError, match="56 letters"):
        ClinicKey.from_recovery_code(code[:-5])
    other = ClinicKey.generate()
    assert ClinicKey.from_recovery_code(other.recovery_code()) != key  # well formed, not ours


def test_subkeys_differ_by_purpose_and_never_equal_the_key():
    key = ClinicKey.generate()
    signing, drafts = key.for_purpose("signing-key"), key.for_purpose("drafts")
    assert len(signing) == len(drafts) == 32
    assert len({signing, drafts, key.raw}) == 3
    assert key.for_purpose("drafts") == drafts  # the same key always derives the same subkey
    assert "secret" in repr(key) and key.raw.hex() not in repr(key)


def test_the_data_folder_holds_only_a_key_id_and_the_key_is_private(tmp_path, monkeypatch):
    keys = tmp_path / "keys"
    monkeypatch.setenv(ENV_KEY_DIR, str(keys))
    data = tmp_path / "data"
    data.mkdir()
    made = create_key(data)
    assert made.created
    named = json.loads((data / KEYID_NAME).read_text())
    assert named == {"key_id": made.key_id, "store": "folder"}
    assert made.key.raw.hex() not in (data / KEYID_NAME).read_text()
    [key_file] = keys.iterdir()
    assert key_file.read_text().strip() == made.key.raw.hex()
    if os.name == "posix":
        assert stat.S_IMODE(keys.stat().st_mode) == 0o700
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = load_key(data)
    assert again is not None and again.key == made.key and not again.created


def test_a_folder_copied_without_its_key_says_how_to_recover(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_KEY_DIR, str(tmp_path / "keys"))
    data = tmp_path / "data"
    data.mkdir()
    create_key(data)
    monkeypatch.setenv(ENV_KEY_DIR, str(tmp_path / "another-computer"))
    with pytest.raises(KeyMissingError, match="glabella key recover"):
        load_key(data)


def test_without_a_usable_credential_store_the_fallback_folder_is_marked(tmp_path):
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    store = store_for("folder", env)
    assert isinstance(store, FolderKeyStore) and store.fallback
    assert store.folder == tmp_path / "config" / "Glabella" / "keys"
    assert "fallback" in store.where()
    explicit = store_for(None, {ENV_KEY_DIR: str(tmp_path / "chosen")})
    assert isinstance(explicit, FolderKeyStore) and not explicit.fallback
