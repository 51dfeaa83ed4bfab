"""Personal data at rest: versioned Fernet encryption and keyed-hash (HMAC) blind indexes (PRV-10).

Stored form of an encrypted text: ``"<version>$<fernet token>"``; of encrypted bytes the same in
bytes. The version names the data key, so several keys can be live while `flask privacy
rotate-key` re-encrypts old rows with the newest one. Keys come from ``DATA_KEYS`` (newest first)
or, when unset, version 1 is derived from ``SECRET_KEY`` with HKDF under its own label; the data
key is never the signing key itself. Blind indexes use a second derived (or configured) key.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import LargeBinary, Text
from sqlalchemy.types import TypeDecorator

SEPARATOR = "$"


class KeyMissing(RuntimeError):
    """Stored data names a key version the configuration does not hold."""


def parse_data_keys(raw: str) -> list[tuple[str, str]]:
    """Read ``"2:key,1:key"`` into [(version, key)], newest first; refuse malformed entries."""
    keys: list[tuple[str, str]] = []
    for part in (p.strip() for p in raw.split(",") if p.strip()):
        version, sep, key = part.partition(":")
        if not sep or not re.fullmatch(r"[0-9A-Za-z]{1,8}", version):
            raise ValueError("each entry is VERSION:KEY, e.g. 2:<urlsafe base64 key>")
        try:
            Fernet(key.encode())
        except ValueError as exc:
            raise ValueError(
                f"key {version} is not a Fernet key (32 bytes, urlsafe base64)"
            ) from exc
        if version in dict(keys):
            raise ValueError(f"version {version} given twice")
        keys.append((version, key))
    return keys


def derive(secret: str, label: str) -> bytes:
    """Derive 32 bytes for one purpose from a secret (HKDF-SHA256)."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"dispatch-privacy", info=label.encode()
    ).derive(secret.encode())


@dataclass(frozen=True)
class KeyRing:
    current: str
    fernets: dict[str, Fernet]
    index_key: bytes

    def encrypt(self, data: bytes) -> bytes:
        return self.current.encode() + SEPARATOR.encode() + self.fernets[self.current].encrypt(data)

    def decrypt(self, stored: bytes) -> bytes:
        version, sep, token = stored.partition(SEPARATOR.encode())
        if not sep:
            raise KeyMissing("stored value has no key version")
        fernet = self.fernets.get(version.decode())
        if fernet is None:
            raise KeyMissing(f"data key version {version.decode()} is not configured")
        try:
            return fernet.decrypt(token)
        except InvalidToken as exc:
            raise KeyMissing(
                f"data key version {version.decode()} does not open this value"
            ) from exc

    def version_of(self, stored: bytes | str) -> str:
        raw = stored.encode() if isinstance(stored, str) else stored
        return raw.partition(SEPARATOR.encode())[0].decode()


@functools.lru_cache(maxsize=8)
def _ring(secret_key: str, data_keys: str, blind_index_key: str) -> KeyRing:
    keys = parse_data_keys(data_keys)
    if not keys:
        keys = [("1", base64.urlsafe_b64encode(derive(secret_key, "customer-data-v1")).decode())]
    index_key = (
        blind_index_key.encode() if blind_index_key else derive(secret_key, "customer-index-v1")
    )
    return KeyRing(
        current=keys[0][0], fernets={v: Fernet(k.encode()) for v, k in keys}, index_key=index_key
    )


def keyring(config=None) -> KeyRing:
    """Return the key ring of a configuration (the active one by default)."""
    if config is None:
        from dispatch.config import active_config

        config = active_config()
    return _ring(config.secret_key, config.data_keys, config.blind_index_key)


def generate_key() -> str:
    """Return a new random data key (for DATA_KEYS)."""
    return Fernet.generate_key().decode()


class EncryptedText(TypeDecorator):
    """A text column stored encrypted; Python code sees the plain text (sensitivity: personal)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return keyring().encrypt(value.encode()).decode()

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return keyring().decrypt(value.encode()).decode()


class EncryptedBytes(TypeDecorator):
    """A binary column stored encrypted (signature images)."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return keyring().encrypt(bytes(value))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return keyring().decrypt(bytes(value))


# --- Blind indexes: HMAC digests of normalised pieces, so search never needs the plain text ---


def blind(kind: str, piece: str, ring: KeyRing | None = None) -> str:
    """Return the hex HMAC-SHA256 of one normalised piece of a field (`kind` separates fields)."""
    ring = ring or keyring()
    return hmac.new(ring.index_key, f"{kind}:{piece}".encode(), hashlib.sha256).hexdigest()


def normalise_text(text: str) -> str:
    """Lower case, compatibility-folded, without spaces or punctuation."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def text_grams(text: str, *, unigrams: bool) -> set[str]:
    """Character bigrams of a text (and single characters for names: a family name is one)."""
    norm = normalise_text(text)
    grams = {norm[i : i + 2] for i in range(len(norm) - 1)}
    if unigrams or len(norm) == 1:
        grams |= set(norm)
    return grams


MIN_PHONE_PREFIX = 3


def phone_prefixes(national_digits: str) -> set[str]:
    """Every prefix of the national number of at least MIN_PHONE_PREFIX digits."""
    return {national_digits[:n] for n in range(MIN_PHONE_PREFIX, len(national_digits) + 1)}
