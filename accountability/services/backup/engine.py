"""The embedded engine's own backup: ArcadeDB's ``BACKUP DATABASE``, a point-in-time
snapshot of every page taken while the engine serves and writes.

The statement is SQL, which Bolt does not carry, so it goes to the engine's HTTP API on
loopback as its root user (the password read from its file, never printed or passed
on). The engine writes the zip under its own ``backups/`` folder; the caller moves it."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from pathlib import Path

from accountability.errors import EngineError
from accountability.graph.database import Database
from accountability.graph.embedded import DATABASE_NAME, ROOT_USER, EmbeddedEngine, EngineOptions

#: How long the engine may take to write the snapshot (1M elements: a few seconds).
BACKUP_TIMEOUT_S = 3600.0


def _engine_of(db: Database) -> tuple[EmbeddedEngine, int]:
    """The engine behind ``db`` and its HTTP port: ours, or a running service's."""
    if db.engine is not None:
        return db.engine, db.engine.http_port
    engine = EmbeddedEngine(EngineOptions(data_dir=db.settings.data_dir))
    uri = engine.running_uri()
    port = engine.running_http_port()
    if uri is None or port is None:
        raise EngineError("no embedded engine runs on this data folder")
    return engine, port


def snapshot(db: Database) -> Path:
    """Have the engine write a consistent snapshot of the database; its zip's path.
    Blocking (an HTTP call that lasts as long as the snapshot): run it in a thread."""
    engine, port = _engine_of(db)
    credentials = base64.b64encode(f"{ROOT_USER}:{engine.password()}".encode()).decode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/command/{DATABASE_NAME}",
        data=json.dumps({"language": "sql", "command": "BACKUP DATABASE"}).encode(),
        headers={"Authorization": f"Basic {credentials}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=BACKUP_TIMEOUT_S) as response:
            body = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:500].decode(errors="replace")
        raise EngineError(f"the engine refused the backup (HTTP {exc.code}): {detail}") from None
    except (OSError, ValueError) as exc:
        raise EngineError(f"the engine's backup failed: {exc}") from None
    try:
        name = str(body["result"][0]["backupFile"])
    except (KeyError, IndexError, TypeError):
        raise EngineError(f"the engine's backup answered without a file: {body!r:.300}") from None
    path = engine.root / "backups" / DATABASE_NAME / Path(name).name
    if not path.is_file():
        raise EngineError(f"the engine's backup file {path} is missing")
    return path
