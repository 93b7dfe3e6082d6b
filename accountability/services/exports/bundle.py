"""The bundle: every format in one zip with ``manifest.json`` — what was exported, for
whom, by whom, when, with which tool, the SHA-256 of every file and the key that signs
it — and ``manifest.sig``, the Ed25519 signature of the manifest's exact bytes; and the
check of both (docs/design.md, "Signed bundles").

The signature is raw (64 bytes), so standard tools check a bundle with nothing but its
public key: ``openssl pkeyutl -verify -pubin -inkey KEY.pem -rawin -in manifest.json
-sigfile manifest.sig``, then ``jq -r '.files[] | "\\(.sha256)  \\(.path)"' manifest.json |
sha256sum --check --strict``."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from accountability.services import zip_members
from accountability.services.exports.base import ExportMeta
from accountability.services.signing import keys
from accountability.services.signing.keys import Signer

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
#: Where evidence originals sit in a bundle, each named by its SHA-256.
ORIGINALS = "originals/sha256"
FORMAT = "accountability-bundle"
#: 2: signed (manifest.sig, the manifest's "signature" block).
VERSION = 2
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
    signer: Signer,
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
        # The key rides along so that a bundle can be checked with nothing else; what
        # makes it authentic is its fingerprint matching one published by the producer.
        "signature": {
            "algorithm": keys.ALGORITHM,
            "key_fingerprint": signer.public.fingerprint,
            "public_key": signer.public.public_key,
            "file": SIGNATURE,
        },
    }


def write(
    folder: Path,
    files: list[str],
    out: Path,
    meta: ExportMeta,
    requested: str,
    nodes: int,
    claims: int,
    signer: Signer,
) -> str:
    """Zip ``files`` from ``folder`` with their manifest and its signature into ``out``;
    the manifest's SHA-256 back."""
    hashes = {f: (sha256_file(folder / f), (folder / f).stat().st_size) for f in files}
    body = json.dumps(
        manifest(meta, requested, hashes, nodes, claims, signer), ensure_ascii=False, indent=2
    ).encode()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for f in files:
            z.write(folder / f, f)
        z.writestr(MANIFEST, body)
        z.writestr(SIGNATURE, signer.sign(body))
    return hashlib.sha256(body).hexdigest()


@dataclass
class Verification:
    """What a bundle check found; ``ok`` when nothing."""

    manifest: dict[str, Any] = field(default_factory=dict)
    manifest_sha256: str = ""
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    #: "valid", "invalid", or "missing" (an unsigned or unreadable bundle).
    signature: str = "missing"
    #: The fingerprint of the key the manifest names.
    key_fingerprint: str = ""
    #: Whether that key was given by the caller (a key or fingerprint they trust), or only
    #: read from the bundle itself — which proves integrity, not who made it.
    key_given: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def pure_name(path: str) -> str:
    return PurePosixPath(path).name


def normalize_fingerprint(text: str) -> str:
    """A fingerprint as printed, with or without a ``sha256:`` prefix, colons or spaces."""
    raw = text.strip().lower().removeprefix("sha256:")
    return "".join(c for c in raw if c not in ": ")


def _check_signature(
    result: Verification,
    body: bytes,
    signature: bytes | None,
    public_key: Ed25519PublicKey | None,
    trusted_fingerprint: str | None,
) -> None:
    block = result.manifest.get("signature")
    if signature is None:
        result.problems.append(f"{SIGNATURE} is missing: the bundle is not signed")
        return
    if not isinstance(block, dict) or not isinstance(block.get("key_fingerprint"), str):
        result.problems.append(f"{MANIFEST} names no signing key")
        return
    named = normalize_fingerprint(block["key_fingerprint"])
    result.key_fingerprint = named
    result.key_given = public_key is not None or trusted_fingerprint is not None
    if public_key is not None:
        wanted = keys.fingerprint(public_key)
        key = public_key
    else:
        try:
            key = keys.load_public(str(block.get("public_key", "")))
        except keys.SigningKeyError as exc:
            result.problems.append(f"{MANIFEST}: the signing key it carries cannot be read: {exc}")
            return
        if keys.fingerprint(key) != named:
            result.problems.append(
                f"{MANIFEST}: the signing key it carries does not have the fingerprint it names"
            )
            return
        wanted = normalize_fingerprint(trusted_fingerprint) if trusted_fingerprint else named
    if named != wanted:
        result.signature = "invalid"
        result.problems.append(
            f"{SIGNATURE}: signed by another key: the manifest names key {named}, not the "
            f"trusted key {wanted}"
        )
        return
    if keys.verify(key, signature, body):
        result.signature = "valid"
    else:
        result.signature = "invalid"
        result.problems.append(
            f"{MANIFEST}: altered after it was signed (the signature by key {named} does "
            "not match it)"
        )


def verify(
    path: Path,
    public_key: Ed25519PublicKey | None = None,
    trusted_fingerprint: str | None = None,
) -> Verification:
    """Check a bundle's signature (against ``public_key``, or the key the bundle carries
    when its fingerprint is ``trusted_fingerprint`` or when neither is given), then
    re-hash every file against the manifest; report each mismatch, each missing file and
    each file the manifest does not list."""
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
        signature = z.read(SIGNATURE) if SIGNATURE in names else None
        _check_signature(result, body, signature, public_key, trusted_fingerprint)
        for name in names:
            if name in (MANIFEST, SIGNATURE) or name.endswith("/"):
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
            digest, size = zip_members.member_digest(z, name)
            result.checked += 1
            if name.startswith(ORIGINALS + "/") and pure_name(name) != entry.get("sha256"):
                result.problems.append(f"{name}: an original not named by its SHA-256")
            if problem := zip_members.mismatch(name, entry, digest, size):
                result.problems.append(problem)
    return result
