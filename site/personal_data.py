"""Encryption at rest of applicants' personal data (design.md §3, issue 4 §8).

Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) with the key of the
``PERSONAL_DATA_KEY`` setting or ``instance/personal_data_key``. A keyed hash (HMAC-SHA256 with a
sub-key derived from the same key) lets the site match one applicant's requests without
decrypting anything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

from opengov.site.config import ConfigError

EXTENSION_KEY = "opengov.personal_data"
KEY_FILE = "personal_data_key"


class PersonalDataCipher:
    def __init__(self, key: str) -> None:
        try:
            self._fernet = Fernet(key.encode("ascii"))
        except (ValueError, TypeError) as exc:
            raise ConfigError(
                "OPENGOV_PERSONAL_DATA_KEY: not a Fernet key (urlsafe base64 of 32 bytes)"
            ) from exc
        self._mac_key = hashlib.sha256(b"opengov-personal-data-hmac:" + key.encode()).digest()

    def encrypt(self, value: str) -> str:
        """Ciphertext of ``value``; the empty string stays empty (nothing to protect)."""
        if not value:
            return ""
        return self._fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        if not token:
            return ""
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise ConfigError("OPENGOV_PERSONAL_DATA_KEY: cannot decrypt stored personal data "
                              "(wrong key?)") from exc

    def encrypt_bytes(self, data: bytes) -> bytes:
        """Ciphertext of a file's bytes (an attachment naming the applicant)."""
        return self._fernet.encrypt(data)

    def decrypt_bytes(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken as exc:
            raise ConfigError("OPENGOV_PERSONAL_DATA_KEY: cannot decrypt stored personal data "
                              "(wrong key?)") from exc

    def keyed_hash(self, value: str) -> str:
        """Stable pseudonym of ``value`` (normalised: stripped, upper case)."""
        normalised = value.strip().upper().encode("utf-8")
        return hmac.new(self._mac_key, normalised, hashlib.sha256).hexdigest()


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def ensure_key_file(instance_path: Path) -> bool:
    """Create ``instance/personal_data_key`` (mode 600) when missing; True if created."""
    key_file = instance_path / KEY_FILE
    if key_file.exists():
        return False
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file.write_text(new_key(), encoding="ascii")
    key_file.chmod(0o600)
    return True


def get_cipher() -> PersonalDataCipher:
    """The cipher of the current app, built on first use."""
    cipher: PersonalDataCipher | None = current_app.extensions.get(EXTENSION_KEY)
    if cipher is None:
        key = current_app.config.get("PERSONAL_DATA_KEY")
        if not key:
            raise ConfigError("OPENGOV_PERSONAL_DATA_KEY: not set and no "
                              "instance/personal_data_key; run `opengov init` first")
        cipher = PersonalDataCipher(key)
        current_app.extensions[EXTENSION_KEY] = cipher
    return cipher


def key_from_secret(secret: str) -> str:
    """A Fernet key derived from a passphrase (tests and development only)."""
    return base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest()).decode("ascii")
