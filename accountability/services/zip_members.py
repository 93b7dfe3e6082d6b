"""Checking a zip's members against a manifest of SHA-256s and sizes: shared by export
bundles (services/exports/bundle.py) and backup archives (services/backup/archive.py),
each of which adds its own rules (signature, originals named by their hash)."""

from __future__ import annotations

import hashlib
import zipfile
from typing import Any

_CHUNK = 1 << 20


def member_digest(z: zipfile.ZipFile, name: str) -> tuple[str, int]:
    """A member's SHA-256 and size, read a chunk at a time (members may be GBs)."""
    digest = hashlib.sha256()
    size = 0
    with z.open(name) as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def mismatch(name: str, entry: dict[str, Any], digest: str, size: int) -> str | None:
    """How a member differs from its manifest entry, or None."""
    if digest != entry.get("sha256"):
        return f"{name}: SHA-256 {digest} does not match the manifest's {entry.get('sha256')}"
    if size != entry.get("bytes"):
        return f"{name}: {size} bytes, the manifest says {entry.get('bytes')}"
    return None
