"""Backup and restore: an online backup of the session's engine taken by the command line
(attached to it, as beside a running service) while a writer keeps writing, restored into
an empty folder by a second engine; the restored graph is the source's at one point in
time, its audit chain and evidence originals verify, and an altered archive is refused."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import zipfile
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from accountability.cli import app
from accountability.domain.redaction import SYSTEM, Role
from accountability.domain.vocabulary import NodeLabel
from accountability.graph.database import Database
from accountability.services.backup import archive
from accountability.services.container import Services
from accountability.settings import Settings
from tests.exporting import whole_graph

pytestmark = pytest.mark.slow

Cli = Callable[..., Awaitable[Result]]


@pytest.fixture(scope="module")
def cli(settings: Settings, db: Database) -> Cli:
    """``accountability ARGS`` on the session's data folder: ``db`` is open, so commands
    attach to its engine as they would to a running service's."""
    env: dict[str, str | None] = {
        "ACCOUNTABILITY_TOKEN": None,
        "ACCOUNTABILITY_DATA_DIR": str(settings.data_dir),
        "ACCOUNTABILITY_DB_URI": settings.db_uri,
        "ACCOUNTABILITY_DB_USER": settings.db_user,
        "ACCOUNTABILITY_DB_PASSWORD": settings.db_password.get_secret_value(),
        "ACCOUNTABILITY_DB_NAME": settings.db_name,
        "ACCOUNTABILITY_EMBEDDED_HEAP_MB": "256",  # the restore's own engine
        "COLUMNS": "250",
    }
    runner = CliRunner()

    async def run(*args: str, token: str | None = None) -> Result:
        argv = [*(["--token", token] if token else []), *args]
        return await asyncio.to_thread(lambda: runner.invoke(app, argv, env=env))

    return run


@pytest.fixture(scope="module")
def embedded(settings: Settings) -> None:
    if settings.db_uri is not None:
        pytest.skip("the engine's own backup is the embedded engine's (Neo4j: neo4j-admin)")


async def test_backup_under_writes_restores_the_same_graph(
    embedded: None,
    cli: Cli,
    services: Services,
    tokens: dict[Role, str],
    tmp_path: Path,
    uid: Callable[[str], str],
) -> None:
    original = tmp_path / "statement.txt"
    original.write_bytes(f"Fictional statement for the backup {uid('')}".encode())
    item = await services.evidence_files.add(
        original, {"title": "Fictional backup statement", "kind": "testimony"}, SYSTEM
    )
    written: list[str] = []
    stop = asyncio.Event()
    progress = asyncio.Condition()

    async def writer() -> None:
        while not stop.is_set():
            node_id = uid(f"load-{len(written):05d}")
            await services.nodes.create(
                NodeLabel.UNIT, {"name": f"Fictional unit {len(written)}"}, SYSTEM, node_id
            )
            async with progress:
                written.append(node_id)
                progress.notify_all()

    async def until(count: int) -> None:
        async with progress:
            await progress.wait_for(lambda: len(written) >= count)

    load = asyncio.create_task(writer())
    await until(5)
    out = tmp_path / "backups" / "backup.zip"
    # Without an admin's token, no backup: it is the whole graph, unredacted.
    refused = await cli("backup", "--out", str(out))
    assert refused.exit_code == 1 and "only an admin" in refused.output
    made = await cli("backup", "--out", str(out), token=tokens[Role.ADMIN])
    during = len(written)
    await until(during + 5)  # the writer went on after the backup
    stop.set()
    await load
    assert made.exit_code == 0, made.output
    assert "backup written" in made.output
    assert os.listdir(out.parent) == ["backup.zip"]  # no partial file left
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600  # the whole graph: the owner's only

    checked = await cli("backup", "--verify", str(out))
    assert checked.exit_code == 0 and "backup verified" in checked.output, checked.output
    with zipfile.ZipFile(out) as z:
        manifest = json.loads(z.read(archive.MANIFEST))
        names = set(z.namelist())
    assert archive.GRAPH in names
    assert archive.original_name(item.properties["sha256"]) in names
    assert not any("password" in n for n in names)
    secret = (Path(services.db.settings.data_dir) / "engine-password").read_text().strip()
    assert secret not in out.read_bytes().decode("latin-1")
    assert manifest["created_by"]["role"] == "admin"

    target = tmp_path / "restored"
    restored = await cli("restore", str(out), "--data-dir", str(target))
    assert restored.exit_code == 0, restored.output
    again = await cli("restore", str(out), "--data-dir", str(target))
    assert again.exit_code == 1 and "not empty" in again.output

    source = await whole_graph(services)
    settings = Settings(data_dir=target, db_uri=None, embedded_heap_mb=256)
    db = Database(settings)
    await db.open()
    try:
        copy = Services.over(db, settings)
        graph = await whole_graph(copy)
        # One point in time: the writer's units up to some number, none after it.
        kept = [n["id"] for n in graph["nodes"] if n["id"].startswith(uid("load-"))]
        assert 5 <= len(kept) <= during and kept == written[: len(kept)]
        later = set(written[len(kept) :])
        assert graph == {**source, "nodes": [n for n in source["nodes"] if n["id"] not in later]}
        count, broken = await copy.audit.verify(
            {manifest["audit_head"]["seq"]: manifest["audit_head"]["hash"]}
        )
        assert broken is None and count > manifest["audit_head"]["seq"]  # and the restore's
        [check] = await copy.evidence_files.verify(SYSTEM, [item.id])
        assert check.problem is None
    finally:
        await db.close()


async def test_verify_names_an_altered_added_or_missing_file(
    embedded: None, cli: Cli, tokens: dict[Role, str], tmp_path: Path
) -> None:
    out = tmp_path / "backup.zip"
    made = await cli("backup", "--out", str(out), token=tokens[Role.ADMIN])
    assert made.exit_code == 0, made.output

    def rewrite(target: Path, change: Callable[[str, bytes], bytes | None], extra: bool) -> None:
        with zipfile.ZipFile(out) as src, zipfile.ZipFile(target, "w") as dst:
            for info in src.infolist():
                body = change(info.filename, src.read(info))
                if body is not None:
                    dst.writestr(info, body)
            if extra:
                dst.writestr("evidence-store/sha256/00/00/" + "0" * 64, b"smuggled")

    def alter(name: str, body: bytes) -> bytes:
        return body + b" " if name == "settings/settings.json" else body

    altered = tmp_path / "altered.zip"
    await asyncio.to_thread(rewrite, altered, alter, False)
    result = await cli("backup", "--verify", str(altered))
    assert result.exit_code == 1, result.output
    assert "settings/settings.json: SHA-256" in result.output

    def drop(name: str, body: bytes) -> bytes | None:
        return None if name == archive.GRAPH else body

    dropped = tmp_path / "dropped.zip"
    await asyncio.to_thread(rewrite, dropped, drop, True)
    result = await cli("backup", "--verify", str(dropped))
    assert result.exit_code == 1
    assert f"{archive.GRAPH}: listed in the manifest but missing" in result.output
    assert "in the archive but not in the manifest" in result.output

    # An archive that does not verify is never restored.
    target = tmp_path / "never"
    refused = await cli("restore", str(altered), "--data-dir", str(target))
    assert refused.exit_code == 1 and not target.exists()
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".never")]
