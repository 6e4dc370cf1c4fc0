"""Encryption of personal data: round trip, keyed hashes, wrong keys, key file."""

from __future__ import annotations

from pathlib import Path

import pytest

from opengov.site.config import ConfigError
from opengov.site.personal_data import (
    KEY_FILE,
    PersonalDataCipher,
    ensure_key_file,
    key_from_secret,
    new_key,
)


def test_round_trip_and_empty_values() -> None:
    cipher = PersonalDataCipher(new_key())
    token = cipher.encrypt("11010519491231002X")
    assert "11010519491231002X" not in token
    assert cipher.decrypt(token) == "11010519491231002X"
    assert cipher.encrypt("") == ""
    assert cipher.decrypt("") == ""
    assert cipher.encrypt("x") != cipher.encrypt("x")  # random IV: equal values look different


def test_keyed_hash_is_stable_normalised_and_key_bound() -> None:
    one = PersonalDataCipher(key_from_secret("a"))
    assert one.keyed_hash("11010519491231002x ") == one.keyed_hash("11010519491231002X")
    assert one.keyed_hash("A") != PersonalDataCipher(key_from_secret("b")).keyed_hash("A")


def test_bad_and_wrong_keys_are_named() -> None:
    with pytest.raises(ConfigError, match="OPENGOV_PERSONAL_DATA_KEY"):
        PersonalDataCipher("not a key")
    token = PersonalDataCipher(key_from_secret("a")).encrypt("secret")
    with pytest.raises(ConfigError, match="wrong key"):
        PersonalDataCipher(key_from_secret("b")).decrypt(token)


def test_key_file_created_once_private(tmp_path: Path) -> None:
    assert ensure_key_file(tmp_path / "instance")
    key_file = tmp_path / "instance" / KEY_FILE
    key = key_file.read_text(encoding="ascii")
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert not ensure_key_file(tmp_path / "instance")
    assert key_file.read_text(encoding="ascii") == key
    PersonalDataCipher(key)  # a valid Fernet key
