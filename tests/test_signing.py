"""Signed bundles: a bundle verifies by itself and with standard tools; each kind of
tampering is named; rotation keeps old bundles verifiable; originals ride along in court
bundles only; the audit log vouches for a manifest online."""

from __future__ import annotations

import asyncio
import hashlib
import json
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from accountability.domain.export_profiles import ExportProfile
from accountability.domain.redaction import SYSTEM, Role, Viewer
from accountability.errors import Forbidden, ValidationFailed
from accountability.services.container import Services
from accountability.services.exports import bundle
from accountability.services.exports.service import Scope
from accountability.services.signing import keys
from tests.test_cli import Cli, cli
from tests.test_exports import INVESTIGATOR, PROSECUTOR, case

__all__ = ["case", "cli"]  # fixtures

ANALYST = Viewer("Fictional analyst", Role.ANALYST)


@pytest.fixture
async def signed(services: Services, case: dict[str, Any], tmp_path: Path) -> Path:
    out = tmp_path / "case.zip"
    await services.exports.export(PROSECUTOR, Scope("case", case["id"]), ExportProfile.COURT, out)
    return out


def _contents(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _zip(path: Path, content: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in content.items():
            z.writestr(name, data)
    return path


def _recomputed(content: dict[str, bytes], signer: Ed25519PrivateKey | None) -> None:
    """What a forger does: recompute every file's hash in the manifest, and re-sign it
    with a key of their own when they have one (naming that key, as ours would)."""
    manifest = json.loads(content["manifest.json"])
    for entry in manifest["files"]:
        data = content[entry["path"]]
        entry["sha256"], entry["bytes"] = hashlib.sha256(data).hexdigest(), len(data)
    if signer is not None:
        public = signer.public_key()
        manifest["signature"]["key_fingerprint"] = keys.fingerprint(public)
        manifest["signature"]["public_key"] = keys.public_pem(public)
    body = json.dumps(manifest, indent=2).encode()
    content["manifest.json"] = body
    if signer is not None:
        content["manifest.sig"] = signer.sign(body)


async def test_a_bundle_is_signed_by_the_current_key(services: Services, signed: Path) -> None:
    current = services.exports.keys.current()
    manifest = json.loads(_contents(signed)["manifest.json"])
    assert manifest["signature"]["key_fingerprint"] == current.fingerprint
    ours = keys.load_public(current.public_key)
    for check in (
        bundle.verify(signed),
        bundle.verify(signed, public_key=ours),
        bundle.verify(signed, trusted_fingerprint="SHA256:" + current.fingerprint.upper()),
    ):
        assert check.ok and check.signature == "valid", check.problems
        assert check.key_fingerprint == current.fingerprint
    assert not bundle.verify(signed).key_given and bundle.verify(signed, ours).key_given
    key_file = services.exports.keys.private_path
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


async def test_each_tampering_is_named(services: Services, signed: Path, tmp_path: Path) -> None:
    ours = keys.load_public(services.exports.keys.current().public_key)

    def forged(name: str, change: Callable[[dict[str, bytes]], object]) -> Path:
        content = _contents(signed)
        change(content)
        return _zip(tmp_path / name, content)

    def brief_swapped(c: dict[str, bytes]) -> None:
        c["brief.html"] = c["brief.html"].replace(b"</body>", b"<p>Innocent Bystander</p></body>")

    # A file changed and the manifest's hashes recomputed: the signature gives it away.
    def swapped_and_recomputed(c: dict[str, bytes]) -> None:
        brief_swapped(c)
        _recomputed(c, None)

    recomputed = forged("recomputed.zip", swapped_and_recomputed)
    check = bundle.verify(recomputed, public_key=ours)
    assert check.signature == "invalid"
    assert check.problems == [
        f"manifest.json: altered after it was signed (the signature by key "
        f"{check.key_fingerprint} does not match it)"
    ]
    # Without a key given, the key the bundle carries catches it just the same.
    assert bundle.verify(recomputed).problems == check.problems

    def retitled(c: dict[str, bytes]) -> None:
        c["manifest.json"] = c["manifest.json"].replace(b'"title": "', b'"title": "Not ')

    assert bundle.verify(forged("retitled.zip", retitled)).signature == "invalid"

    # Re-signed with another key: fine by itself, refused against our key or fingerprint.
    other = Ed25519PrivateKey.generate()

    def swapped_and_resigned(c: dict[str, bytes]) -> None:
        brief_swapped(c)
        _recomputed(c, other)

    resigned = forged("resigned.zip", swapped_and_resigned)
    alone = bundle.verify(resigned)
    assert alone.ok and alone.key_fingerprint == keys.fingerprint(other.public_key())
    for check in (
        bundle.verify(resigned, public_key=ours),
        bundle.verify(resigned, trusted_fingerprint=keys.fingerprint(ours)),
    ):
        assert len(check.problems) == 1 and "signed by another key" in check.problems[0]
        assert keys.fingerprint(other.public_key()) in check.problems[0]

    added = forged("added.zip", lambda c: c.update({"note.txt": b"added later"}))
    assert bundle.verify(added, ours).problems == [
        "note.txt: in the bundle but not in the manifest"
    ]
    removed = forged("removed.zip", lambda c: c.pop("i2/links.csv"))
    assert bundle.verify(removed, ours).problems == [
        "i2/links.csv: listed in the manifest but missing"
    ]
    unsigned = forged("unsigned.zip", lambda c: c.pop("manifest.sig"))
    assert bundle.verify(unsigned).problems == ["manifest.sig is missing: the bundle is not signed"]


async def test_standard_tools_verify_a_bundle(
    services: Services, signed: Path, tmp_path: Path
) -> None:
    """The two commands the README gives, with nothing but the bundle and the key."""
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(signed) as z:
        z.extractall(folder)
    key = tmp_path / "producer.pem"
    key.write_text(services.exports.keys.current().public_key)

    def signature_ok() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(key), "-rawin",
             "-in", "manifest.json", "-sigfile", "manifest.sig"],
            cwd=folder, capture_output=True, text=True, check=False,
        )  # fmt: skip

    def hashes_ok() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            "jq -r '.files[] | \"\\(.sha256)  \\(.path)\"' manifest.json "
            "| sha256sum --check --strict",
            cwd=folder, shell=True, capture_output=True, text=True, check=False,
        )  # fmt: skip

    def fingerprint() -> str:
        return subprocess.run(
            f"openssl pkey -pubin -in {key} -outform DER | sha256sum",
            shell=True, capture_output=True, text=True, check=True,
        ).stdout.split()[0]  # fmt: skip

    first = await asyncio.to_thread(signature_ok)
    assert first.returncode == 0 and "Signature Verified Successfully" in first.stdout
    assert (await asyncio.to_thread(hashes_ok)).returncode == 0
    assert await asyncio.to_thread(fingerprint) == services.exports.keys.current().fingerprint

    brief = folder / "brief.html"
    brief.write_bytes(brief.read_bytes() + b" ")
    assert (await asyncio.to_thread(hashes_ok)).returncode != 0
    manifest = folder / "manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace(b'"title": "', b'"title": "X'))
    assert (await asyncio.to_thread(signature_ok)).returncode != 0


async def test_originals_in_court_bundles_only(
    services: Services, case: dict[str, Any], uid: Callable[[str], str], tmp_path: Path
) -> None:
    content = f"fictional scanned register {uid('')}".encode()
    source = tmp_path / "register.pdf"
    source.write_bytes(content)
    item = await services.evidence_files.add(
        source, {"title": "Fictional register", "kind": "document"}, SYSTEM,
        evidence_id=uid("orig"),
    )  # fmt: skip
    await services.cases.add(INVESTIGATOR, case["id"], [item.id])
    scope = Scope("case", case["id"], with_originals=True)
    out = tmp_path / "with-originals.zip"
    await services.exports.export(PROSECUTOR, scope, ExportProfile.COURT, out)
    sha = str(item.properties["sha256"])
    files = _contents(out)
    assert files[f"originals/sha256/{sha}"] == content
    check = bundle.verify(out)
    assert check.ok, check.problems
    listed = {f["path"] for f in json.loads(files["manifest.json"])["files"]}
    assert f"originals/sha256/{sha}" in listed

    # An original renamed in a forged bundle is caught even with hashes recomputed.
    forged = dict(files)
    forged["originals/sha256/" + "0" * 64] = forged.pop(f"originals/sha256/{sha}")
    manifest = json.loads(forged["manifest.json"])
    for entry in manifest["files"]:
        if entry["path"].startswith("originals/"):
            entry["path"] = "originals/sha256/" + "0" * 64
    forged["manifest.json"] = json.dumps(manifest).encode()
    problems = bundle.verify(_zip(tmp_path / "renamed.zip", forged)).problems
    assert any("an original not named by its SHA-256" in p for p in problems)

    for profile in (ExportProfile.PARTNER, ExportProfile.PUBLIC):
        with pytest.raises(ValidationFailed) as refused:
            await services.exports.export(PROSECUTOR, scope, profile, tmp_path / "p.zip")
        assert refused.value.problems[0].where == "withOriginals"
    with pytest.raises(Forbidden):  # an analyst's exports are capped below court
        await services.exports.export(ANALYST, scope, ExportProfile.COURT, tmp_path / "a.zip")
    assert not (tmp_path / "p.zip").exists() and not (tmp_path / "a.zip").exists()


async def test_keys_are_published_and_rotation_keeps_old_bundles_verifiable(
    services: Services, client: httpx.AsyncClient, cli: Cli, case: dict[str, Any],
    tokens: dict[Role, str], tmp_path: Path,
) -> None:  # fmt: skip
    before = tmp_path / "before.zip"
    await services.exports.export(
        PROSECUTOR, Scope("case", case["id"]), ExportProfile.COURT, before
    )
    old = services.exports.keys.current()
    shown = await cli("signing-key", "show")
    assert shown.exit_code == 0 and old.fingerprint in shown.stdout
    assert "PRIVATE" not in shown.stdout and old.public_key.strip() in shown.stdout

    refused = await cli("signing-key", "rotate", token=tokens[Role.PROSECUTOR])
    assert refused.exit_code == 1 and services.exports.keys.current() == old
    rotated = await cli("signing-key", "rotate", token=tokens[Role.ADMIN])
    assert rotated.exit_code == 0, rotated.output
    new = services.exports.keys.current()
    assert new.fingerprint != old.fingerprint and new.fingerprint in rotated.stdout

    published = (await client.get("/.well-known/accountability-keys")).json()["keys"]
    by_fp = {k["fingerprint"]: k for k in published}
    assert published[0]["fingerprint"] == new.fingerprint and published[0]["current"]
    assert by_fp[old.fingerprint]["retired_at"] and not by_fp[old.fingerprint]["current"]
    assert all("PRIVATE" not in k["public_key"] for k in published)

    old_key = tmp_path / "old.pem"
    old_key.write_text(by_fp[old.fingerprint]["public_key"])
    assert (await cli("verify-bundle", str(before), "--public-key", str(old_key))).exit_code == 0
    against_new = await cli("verify-bundle", str(before), "--fingerprint", new.fingerprint)
    assert against_new.exit_code == 1 and "signed by another key" in against_new.output

    after = tmp_path / "after.zip"
    await services.exports.export(PROSECUTOR, Scope("case", case["id"]), ExportProfile.COURT, after)
    assert bundle.verify(after).key_fingerprint == new.fingerprint
    entries = [e async for e in services.audit.entries()]
    assert any(e["action"] == "signing-key" and new.fingerprint in e["summary"] for e in entries)


async def test_verify_bundle_on_the_command_line_and_against_the_audit_log(
    cli: Cli, signed: Path, services: Services, tmp_path: Path
) -> None:
    alone = await cli("verify-bundle", str(signed))
    assert alone.exit_code == 0, alone.output
    assert "authentic only if this fingerprint is the one the producer published" in " ".join(
        alone.output.split()
    )
    audited = await cli("verify-bundle", str(signed), "--audit", "--json")
    assert audited.exit_code == 0, audited.output
    report = json.loads(audited.stdout)
    assert report["audit"].startswith("audit log entry") and report["signature"] == "valid"
    last = [e async for e in services.audit.entries()][-1]
    assert last["action"] == "verify-bundle" and report["manifest_sha256"] in last["targets"]

    # A bundle this service never exported (signed by another key) is not in the log.
    content = _contents(signed)
    _recomputed(content, Ed25519PrivateKey.generate())
    stranger = await cli("verify-bundle", str(_zip(tmp_path / "s.zip", content)), "--audit")
    assert stranger.exit_code == 1
    assert "no export in this service's audit log" in " ".join(stranger.output.split())
