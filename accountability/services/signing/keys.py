"""The service's signing keys: one current Ed25519 key that signs every bundle's
manifest, and the public halves of every key it has had, so that a bundle signed before a
rotation still verifies.

On disk (``signing_dir``, by default ``signing/`` in the data folder; for a Neo4j
deployment, a configured folder or a mounted secret):

- ``signing.key``: the current private key, PKCS#8 PEM, mode 0600. It never leaves this
  file: no command prints it and no endpoint serves it.
- ``public-keys.json``: every public key, oldest first, with when it was made and when it
  was retired. Public by nature: served at ``/.well-known/accountability-keys``.

A new public key is published before its private key is used, and every file is replaced
atomically (temporary file, fsync, rename), so a crash at any moment leaves either the
old key or the new one in force, never a key whose public half is unknown."""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

ALGORITHM = "Ed25519"
PRIVATE_FILE = "signing.key"
PUBLIC_FILE = "public-keys.json"
_LOCK_FILE = ".lock"


class SigningKeyError(ValueError):
    """A key file that cannot be read as an Ed25519 key."""


def fingerprint(public: Ed25519PublicKey) -> str:
    """SHA-256 of the key's DER SubjectPublicKeyInfo, in hex: what
    ``openssl pkey -pubin -in KEY.pem -outform DER | sha256sum`` prints."""
    der = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public(pem: str | bytes) -> Ed25519PublicKey:
    """A public key from PEM; refuses anything but Ed25519."""
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as exc:
        raise SigningKeyError(f"not a PEM public key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"not an {ALGORITHM} public key")
    return key


def verify(public: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        public.verify(signature, data)
    except InvalidSignature:
        return False
    return True


@dataclass(frozen=True)
class PublicKey:
    """One key the service has signed with."""

    fingerprint: str
    algorithm: str
    public_key: str
    created_at: str
    retired_at: str | None = None

    @property
    def current(self) -> bool:
        return self.retired_at is None


@dataclass(frozen=True)
class Signer:
    """The current private key, for signing."""

    key: Ed25519PrivateKey
    public: PublicKey

    def sign(self, data: bytes) -> bytes:
        return self.key.sign(data)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, mode)
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class KeyRing:
    """The signing keys in one folder; safe to use from several processes at once (the
    first to need a key makes it, under a file lock)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def private_path(self) -> Path:
        return self.folder / PRIVATE_FILE

    @property
    def public_path(self) -> Path:
        return self.folder / PUBLIC_FILE

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with (self.folder / _LOCK_FILE).open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def public_keys(self) -> list[PublicKey]:
        """Every key, oldest first; empty before the first signature."""
        try:
            raw = json.loads(self.public_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        return [PublicKey(**k) for k in raw["keys"]]

    def find(self, fp: str) -> PublicKey | None:
        return next((k for k in self.public_keys() if k.fingerprint == fp.lower()), None)

    def _save_public(self, keys: list[PublicKey]) -> None:
        body = json.dumps({"keys": [asdict(k) for k in keys]}, indent=2) + "\n"
        _write_atomically(self.public_path, body.encode("utf-8"), 0o644)

    def _load_private(self) -> Ed25519PrivateKey | None:
        try:
            data = self.private_path.read_bytes()
        except FileNotFoundError:
            return None
        key = serialization.load_pem_private_key(data, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise SigningKeyError(f"{self.private_path} does not hold an {ALGORITHM} key")
        return key

    def _install(self, keys: list[PublicKey]) -> Signer:
        """Make a key, publish its public half, then put the private half in force."""
        key = Ed25519PrivateKey.generate()
        entry = PublicKey(
            fingerprint(key.public_key()), ALGORITHM, public_pem(key.public_key()), _now()
        )
        self._save_public([*keys, entry])
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _write_atomically(self.private_path, pem, 0o600)
        return Signer(key, entry)

    def _signer(self) -> Signer | None:
        key = self._load_private()
        if key is None:
            return None
        fp = fingerprint(key.public_key())
        entry = self.find(fp)
        if entry is None:
            # A key whose public half was never published (a mounted secret, or a copy
            # restored without its list): publish it now rather than sign unverifiably.
            entry = PublicKey(fp, ALGORITHM, public_pem(key.public_key()), _now())
            self._save_public([*self.public_keys(), entry])
        return Signer(key, entry)

    def signer(self) -> Signer:
        """The current key, made on first use."""
        signer = self._signer()
        if signer is not None:
            return signer
        with self._locked():
            return self._signer() or self._install(self.public_keys())

    def current(self) -> PublicKey:
        return self.signer().public

    def rotate(self) -> tuple[PublicKey | None, PublicKey]:
        """A new current key; the old one's public half is kept, marked retired, and its
        private half is overwritten. Returns (old, new)."""
        with self._locked():
            old = self._signer()
            keys = self.public_keys()
            if old is not None:
                retired = _now()
                keys = [
                    PublicKey(**{**asdict(k), "retired_at": retired})
                    if k.fingerprint == old.public.fingerprint
                    else k
                    for k in keys
                ]
            new = self._install(keys)
            return (None if old is None else self.find(old.public.fingerprint)), new.public
