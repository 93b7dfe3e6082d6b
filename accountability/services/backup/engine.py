"""The embedded engine's own backup: ArcadeDB's ``BACKUP DATABASE``, a point-in-time
snapshot of every page taken while the engine serves and writes.

The statement is SQL, which Bolt does not carry, so it goes to the engine's HTTP API on
loopback as its root user (the password read from its file, never printed or passed
on). The engine writes the zip under its own ``backups/`` folder; the caller moves it."""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.request
from pathlib import Path

from accountability.errors import EngineError
from accountability.graph.database import Database
from accountability.graph.embedded import DATABASE_NAME, ROOT_USER, EmbeddedEngine, EngineOptions

#: The engine's log lines that say where it listens, newest last.
_BOLT = re.compile(rb"Listening for incoming BOLT connections on /127\.0\.0\.1:(\d+)")
_HTTP = re.compile(rb"HTTP Server started \(host=127\.0\.0\.1 port=(\d+)")
#: How long the engine may take to write the snapshot (1M elements: a few seconds).
BACKUP_TIMEOUT_S = 3600.0


def _engine_of(db: Database) -> tuple[EmbeddedEngine, int]:
    """The engine behind ``db`` and its HTTP port: ours, or a running service's."""
    if db.engine is not None:
        return db.engine, db.engine.http_port
    engine = EmbeddedEngine(EngineOptions(data_dir=db.settings.data_dir))
    uri = engine.running_uri()
    if uri is None:
        raise EngineError("no embedded engine runs on this data folder")
    return engine, _http_port_from_log(engine.log_path, int(uri.rsplit(":", 1)[1]))


def _http_port_from_log(log: Path, bolt_port: int) -> int:
    """The HTTP port of the engine that listens on ``bolt_port``, from its log: the
    service that started it keeps only the Bolt address in the data folder."""
    try:
        text = log.read_bytes()
    except OSError as exc:
        raise EngineError(f"cannot read the engine's log {log}: {exc}") from exc
    bolts = list(_BOLT.finditer(text))
    if not bolts or int(bolts[-1].group(1)) != bolt_port:
        raise EngineError(f"the engine's log {log} does not name its Bolt port {bolt_port}")
    http = _HTTP.search(text, bolts[-1].end())
    if http is None:
        raise EngineError(f"the engine's log {log} does not name its HTTP port")
    return int(http.group(1))


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
