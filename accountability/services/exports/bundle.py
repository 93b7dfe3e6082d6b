"""The bundle: every format in one zip with ``manifest.json`` — what was exported, for
whom, by whom, when, with which tool, and the SHA-256 of every file — and its check."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from accountability.services.exports.base import ExportMeta

MANIFEST = "manifest.json"
FORMAT = "accountability-bundle"
VERSION = 1
_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def manifest(
    meta: ExportMeta,
    requested: str,
    files: dict[str, tuple[str, int]],
    nodes: int,
    claims: int,
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "scope": meta.scope,
        "subject": meta.subject_id,
        "title": meta.title,
        "profile": {"requested": requested, "effective": meta.profile},
        "exported_by": {"name": meta.exported_by, "role": meta.role},
        "exported_at": meta.exported_at.isoformat().replace("+00:00", "Z"),
        "tool": {"name": "accountability", "version": meta.tool_version},
        "counts": {"nodes": nodes, "claims": claims},
        "files": [
            {"path": path, "sha256": sha, "bytes": size}
            for path, (sha, size) in sorted(files.items())
        ],
    }


def write(
    folder: Path,
    files: list[str],
    out: Path,
    meta: ExportMeta,
    requested: str,
    nodes: int,
    claims: int,
) -> str:
    """Zip ``files`` from ``folder`` with their manifest into ``out``; the manifest's
    SHA-256 back."""
    hashes = {f: (sha256_file(folder / f), (folder / f).stat().st_size) for f in files}
    body = json.dumps(
        manifest(meta, requested, hashes, nodes, claims), ensure_ascii=False, indent=2
    ).encode()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for f in files:
            z.write(folder / f, f)
        z.writestr(MANIFEST, body)
    return hashlib.sha256(body).hexdigest()


@dataclass
class Verification:
    """What a bundle check found; ``ok`` when nothing."""

    manifest: dict[str, Any] = field(default_factory=dict)
    manifest_sha256: str = ""
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(path: Path) -> Verification:
    """Re-hash every file of a bundle against its manifest; report each mismatch, each
    missing file and each file the manifest does not list."""
    result = Verification()
    try:
        z = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        result.problems.append(f"not a readable zip file: {exc}")
        return result
    with z:
        names = z.namelist()
        if MANIFEST not in names:
            result.problems.append(f"{MANIFEST} is missing")
            return result
        body = z.read(MANIFEST)
        result.manifest_sha256 = hashlib.sha256(body).hexdigest()
        try:
            result.manifest = json.loads(body)
            listed = {f["path"]: f for f in result.manifest["files"]}
        except (ValueError, KeyError, TypeError) as exc:
            result.problems.append(f"{MANIFEST} cannot be read: {exc}")
            return result
        if result.manifest.get("format") != FORMAT:
            result.problems.append(f"{MANIFEST} is not an {FORMAT} manifest")
        for name in names:
            if name == MANIFEST or name.endswith("/"):
                continue
            pure = PurePosixPath(name)
            if pure.is_absolute() or ".." in pure.parts:
                result.problems.append(f"{name}: unsafe path in the bundle")
            elif name not in listed:
                result.problems.append(f"{name}: in the bundle but not in the manifest")
        for name, entry in sorted(listed.items()):
            if name not in names:
                result.problems.append(f"{name}: listed in the manifest but missing")
                continue
            digest = hashlib.sha256()
            size = 0
            with z.open(name) as f:
                while chunk := f.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
            result.checked += 1
            if digest.hexdigest() != entry.get("sha256"):
                result.problems.append(
                    f"{name}: SHA-256 {digest.hexdigest()} does not match the manifest's "
                    f"{entry.get('sha256')}"
                )
            elif size != entry.get("bytes"):
                result.problems.append(
                    f"{name}: {size} bytes, the manifest says {entry.get('bytes')}"
                )
    return result
