"""Evidence files: originals kept by hash, verification, working copies, custody."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from accountability.domain.redaction import SYSTEM, Role, Viewer
from accountability.errors import Forbidden, NotFound, ValidationFailed
from accountability.services.container import Services
from tests.conftest import GQL


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


async def test_add_verify_and_detect_an_altered_original(
    services: Services, uid: Callable[[str], str], tmp_path: Path
) -> None:
    files = services.evidence_files
    content = f"fictional statement {uid('')}".encode()
    item = await files.add(
        write(tmp_path / "statement.txt", content),
        {"title": "Fictional statement", "kind": "testimony"},
        SYSTEM,
        received_from="Fictional courier",
        evidence_id=uid("ev"),
    )
    digest = hashlib.sha256(content).hexdigest()
    assert item.properties["sha256"] == digest
    stored = files.store.path_of(digest)
    assert (stored.read_bytes() == content and not os.access(stored, os.W_OK)) or os.geteuid() == 0
    assert oct(stored.stat().st_mode & 0o777) == "0o444"

    checks = await files.verify(SYSTEM, [uid("ev")])
    assert [(c.evidence_id, c.problem) for c in checks] == [(uid("ev"), None)]

    os.chmod(stored, 0o644)
    stored.write_bytes(content + b" altered")
    checks = await files.verify(SYSTEM, [uid("ev")])
    assert checks[0].problem is not None and "hashes to" in checks[0].problem

    stored.unlink()
    checks = await files.verify(SYSTEM, [uid("ev")])
    assert checks[0].problem == "the original is missing from the store"

    events = (await files.custody([uid("ev")], SYSTEM))[uid("ev")]
    assert [e.action for e in events] == ["received", "checked", "checked", "checked"]
    assert events[0].from_party == "Fictional courier" and events[0].sha256 == digest


async def test_the_same_content_is_stored_once_and_never_replaced(
    services: Services, uid: Callable[[str], str], tmp_path: Path
) -> None:
    store = services.evidence_files.store
    first = store.put(write(tmp_path / "a.bin", f"same {uid('')}".encode()))
    inode = store.path_of(first).stat().st_ino
    assert store.put(write(tmp_path / "b.bin", f"same {uid('')}".encode())) == first
    assert store.path_of(first).stat().st_ino == inode
    with pytest.raises(ValidationFailed, match="not a readable file"):
        store.put(tmp_path / "missing.bin")


async def test_working_copy_is_apart_from_the_original(
    services: Services, uid: Callable[[str], str], tmp_path: Path
) -> None:
    files = services.evidence_files
    item = await files.add(
        write(tmp_path / "p.jpg", f"photo {uid('')}".encode()),
        {"title": "Fictional photo", "kind": "photo"},
        SYSTEM,
    )
    copy = await files.working_copy(item.id, tmp_path / "work.jpg", SYSTEM)
    copy.write_bytes(b"edited")
    assert files.store.check(item.properties["sha256"]) is None
    events = (await files.custody([item.id], SYSTEM))[item.id]
    assert [e.action for e in events][-1] == "copied"


@pytest.mark.parametrize(
    ("role", "error"),
    [(Role.VIEWER, NotFound), (Role.ANALYST, Forbidden), (Role.INVESTIGATOR, Forbidden)],
)
async def test_working_copy_of_protected_evidence_needs_clearance(
    services: Services,
    uid: Callable[[str], str],
    tmp_path: Path,
    role: Role,
    error: type[Exception],
) -> None:
    """A protected testimony's file names its witness: uncleared roles get no copy (and a
    viewer, who cannot see the item at all, is told it is unknown)."""
    files = services.evidence_files
    item = await files.add(
        write(tmp_path / "t.txt", f"testimony {uid('')}".encode()),
        {"title": "Fictional testimony", "kind": "testimony", "classification": "protected"},
        SYSTEM,
        evidence_id=uid("ev"),
    )
    out = tmp_path / "copy.txt"
    with pytest.raises(error):
        await files.working_copy(item.id, out, Viewer(name="t", role=role))
    assert not out.exists()
    cleared = await files.working_copy(item.id, out, Viewer(name="p", role=Role.PROSECUTOR))
    assert cleared.read_bytes().startswith(b"testimony")


async def test_custody_over_graphql_hides_parties_from_uncleared_roles(
    services: Services,
    gql_as: Callable[[Role], GQL],
    uid: Callable[[str], str],
    tmp_path: Path,
) -> None:
    item = await services.evidence_files.add(
        write(tmp_path / "s.txt", f"statement {uid('')}".encode()),
        {"title": "Fictional statement", "kind": "testimony", "classification": "confidential"},
        SYSTEM,
        received_from="Protectedcourier",
        evidence_id=uid("ev"),
    )
    body = await gql_as(Role.INVESTIGATOR)(
        """mutation($e: ID!, $h: String!) { recordCustody(evidenceId: $e, action: "transferred",
        fromParty: "Fictional team A", toParty: "Fictional court", sha256: $h) { hashOk } }""",
        e=uid("ev"),
        h=item.properties["sha256"],
    )
    assert body["data"]["recordCustody"] == {"hashOk": True}
    body = await gql_as(Role.INVESTIGATOR)(
        """mutation($e: ID!) { recordCustody(evidenceId: $e, action: "checked",
        sha256: "0000") { hashOk } }""",
        e=uid("ev"),
    )
    assert body["data"]["recordCustody"] == {"hashOk": False}
    query = """query($e: ID!) { evidence(id: $e) { custody { action fromParty toParty hashOk
        } } }"""
    analyst = await gql_as(Role.ANALYST)(query, e=uid("ev"))
    assert "Protectedcourier" not in str(analyst)
    assert [e["action"] for e in analyst["data"]["evidence"]["custody"]] == [
        "received",
        "transferred",
        "checked",
    ]
    prosecutor = await gql_as(Role.PROSECUTOR)(query, e=uid("ev"))
    assert prosecutor["data"]["evidence"]["custody"][0]["fromParty"] == "Protectedcourier"
    denied = await gql_as(Role.ANALYST)(
        """mutation($e: ID!) { recordCustody(evidenceId: $e, action: "checked") { id } }""",
        e=uid("ev"),
    )
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    with pytest.raises(Forbidden):
        await services.evidence_files.add(
            tmp_path / "s.txt", {"title": "x", "kind": "photo"}, Viewer("a", Role.ANALYST)
        )
