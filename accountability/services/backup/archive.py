"""The backup archive: a zip of files with ``manifest.json`` (what was backed up, when,
by whom, the audit head it holds, and the SHA-256 and size of every file), written
atomically, and its check. Blocking file work: callers run it in a thread."""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from accountability.services import zip_members

MANIFEST = "manifest.json"
FORMAT = "accountability-backup"
VERSION = 1
#: Where things sit in the archive.
GRAPH = "graph/arcadedb-g.zip"
STORE = "evidence-store"
SETTINGS = "settings"
_CHUNK = 1 << 20
_ORIGINAL = re.compile(r"^evidence-store/sha256/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$")


@dataclass(frozen=True)
class Source:
    """A file to archive: its name in the archive and where it is now."""

    name: str
    path: Path
    compress: bool = False


def original_name(sha256: str) -> str:
    """Where an evidence original sits in the archive (as in the store)."""
    return f"{STORE}/sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def store_files(root: Path) -> Iterator[Source]:
    """The originals in a content-addressed store, in name order; files being written
    (``.incoming-…``) and anything not named by a hash are left out."""
    base = root / "sha256"
    if not base.is_dir():
        return
    for path in sorted(base.glob("??/??/*")):
        name = f"{STORE}/{path.relative_to(root).as_posix()}"
        if path.is_file() and _ORIGINAL.match(name):
            yield Source(name, path)


def fsync_path(path: Path) -> None:
    """Flush a file or a folder to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write(out: Path, sources: list[Source], manifest: dict[str, Any]) -> str:
    """Write the archive to ``out`` (a partial file beside it, fsynced, then renamed, so
    ``out`` is whole or absent); the SHA-256 of its manifest back. The manifest's
    ``files`` are filled in from what was written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.partial")
    files: list[dict[str, Any]] = []
    # 0600 from the start: the archive holds the whole graph, protected identities included.
    fd = os.open(partial, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w+b") as raw, zipfile.ZipFile(raw, "w", allowZip64=True) as z:
            for source in sources:
                size = source.path.stat().st_size
                info = zipfile.ZipInfo.from_file(source.path, source.name)
                info.compress_type = zipfile.ZIP_DEFLATED if source.compress else zipfile.ZIP_STORED
                digest = hashlib.sha256()
                written = 0
                with (
                    source.path.open("rb") as src,
                    z.open(info, "w", force_zip64=size >= 1 << 31) as dst,
                ):
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        dst.write(chunk)
                        written += len(chunk)
                files.append({"path": source.name, "sha256": digest.hexdigest(), "bytes": written})
            body = json.dumps({**manifest, "files": files}, ensure_ascii=False, indent=2).encode()
            z.writestr(MANIFEST, body, compress_type=zipfile.ZIP_DEFLATED)
            z.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, out)
        fsync_path(out.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return hashlib.sha256(body).hexdigest()


@dataclass
class Verification:
    """What an archive check found; ``ok`` when nothing."""

    manifest: dict[str, Any] = field(default_factory=dict)
    manifest_sha256: str = ""
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(path: Path) -> Verification:
    """Re-hash every file of an archive against its manifest: each mismatch, missing or
    unlisted file, unsafe name, and original not named by its own hash is a problem."""
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
            listed = {str(f["path"]): f for f in result.manifest["files"]}
        except (ValueError, KeyError, TypeError) as exc:
            result.problems.append(f"{MANIFEST} cannot be read: {exc}")
            return result
        if result.manifest.get("format") != FORMAT:
            result.problems.append(f"{MANIFEST} is not an {FORMAT} manifest")
        elif result.manifest.get("version") != VERSION:
            result.problems.append(f"{MANIFEST} is version {result.manifest.get('version')}")
        if names.count(MANIFEST) > 1:
            result.problems.append(f"{MANIFEST} appears twice")
        for name in names:
            if name == MANIFEST or name.endswith("/"):
                continue
            if not safe_name(name):
                result.problems.append(f"{name}: unsafe path in the archive")
            elif name not in listed:
                result.problems.append(f"{name}: in the archive but not in the manifest")
        graph = result.manifest.get("graph") or {}
        if graph.get("file") and graph["file"] not in listed:
            result.problems.append(f"{graph['file']}: the graph is not in the manifest")
        for name, entry in sorted(listed.items()):
            if name not in names:
                result.problems.append(f"{name}: listed in the manifest but missing")
                continue
            digest, size = zip_members.member_digest(z, name)
            result.checked += 1
            if problem := zip_members.mismatch(name, entry, digest, size):
                result.problems.append(problem)
            elif name.startswith(f"{STORE}/"):
                named = _ORIGINAL.match(name)
                if named is None or named.group(3) != digest:
                    result.problems.append(f"{name}: an original not named by its SHA-256")
    return result


def safe_name(name: str) -> bool:
    pure = PurePosixPath(name)
    return not pure.is_absolute() and ".." not in pure.parts and "\\" not in name


def extract(z: zipfile.ZipFile, name: str, target: Path, mode: int) -> None:
    """One member to ``target`` (fsynced), with ``mode``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    dst: IO[bytes]
    with z.open(name) as src, os.fdopen(fd, "wb") as dst:
        while chunk := src.read(_CHUNK):
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    os.chmod(target, mode)
