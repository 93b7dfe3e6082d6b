"""The embedded engine's root password stays a secret of the data folder's owner: it is on
no command line and in no environment, its file is 0600, and neither of the engine's
ports answers without it."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import httpx
import pytest
from neo4j import GraphDatabase
from neo4j import exceptions as neo4j_errors

from accountability.graph.database import Database
from accountability.graph.embedded import (
    DATABASE_NAME,
    PASSWORD_FILE,
    ROOT_USER,
    EmbeddedEngine,
    EngineOptions,
)

pytestmark = pytest.mark.slow


def running_engine(db: Database) -> EmbeddedEngine:
    if db.engine is None or db.engine.process is None:
        pytest.skip("the suite runs against a Neo4j server, not the embedded engine")
    return db.engine


def proc_file(engine: EmbeddedEngine, name: str) -> bytes:
    assert engine.process is not None
    return Path(f"/proc/{engine.process.pid}/{name}").read_bytes()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_the_password_is_in_no_command_line_environment_or_stray_file(db: Database) -> None:
    engine = running_engine(db)
    password = engine.password().encode()
    cmdline, environ = proc_file(engine, "cmdline"), proc_file(engine, "environ")

    assert b"com.arcadedb.server.ArcadeDBServer" in cmdline  # the engine's, not another's
    assert password not in cmdline
    assert b"arcadedb.server.rootPassword=" not in cmdline
    assert password not in environ
    assert mode(engine.password_path) == 0o600
    assert mode(engine.root) == 0o700

    # The password file is its only copy on disk (no argument file, no log line).
    data_dir = engine.options.data_dir.resolve()
    for path in data_dir.rglob("*"):
        if path.is_file() and path != engine.password_path and path.stat().st_size < 1 << 22:
            assert password not in path.read_bytes(), path


async def test_the_http_port_answers_nothing_without_the_password(db: Database) -> None:
    engine = running_engine(db)
    query = {"language": "sql", "command": "SELECT name FROM schema:types"}
    requests: list[tuple[str, str, object]] = [
        ("GET", "/server", None),
        ("GET", "/databases", None),
        ("POST", f"/command/{DATABASE_NAME}", query),
        ("POST", f"/query/{DATABASE_NAME}", query),
        ("GET", f"/query/{DATABASE_NAME}/sql/SELECT%201", None),
        ("POST", "/mcp", {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}),
    ]
    base_url = f"http://127.0.0.1:{engine.http_port}/api/v1"
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
        for method, path, body in requests:
            answer = await http.request(method, path, json=body)
            assert answer.status_code in (401, 403), (method, path, answer.text[:300])
        # One wrong password only: five in a row would lock the root user out for 30 s.
        answer = await http.post(
            f"/query/{DATABASE_NAME}", json=query, auth=(ROOT_USER, "not-the-password")
        )
        assert answer.status_code in (401, 403), answer.text[:300]
        assert "result" not in answer.json()

        # The same request with the password is answered (and clears the failure count):
        # so the port probed above is really the engine's.
        answer = await http.post(
            f"/query/{DATABASE_NAME}", json=query, auth=(ROOT_USER, engine.password())
        )
        assert answer.status_code == 200, answer.text[:300]
        assert "result" in answer.json()


async def test_bolt_refuses_a_wrong_password(db: Database) -> None:
    engine = running_engine(db)
    with GraphDatabase.driver(
        engine.uri, auth=(ROOT_USER, "not-the-password"), connection_timeout=5
    ) as driver:
        with pytest.raises(neo4j_errors.AuthError):
            driver.verify_connectivity()
    with GraphDatabase.driver(
        engine.uri, auth=(ROOT_USER, engine.password()), connection_timeout=5
    ) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS ok", database_=DATABASE_NAME)
        assert records[0]["ok"] == 1


def test_a_loosened_password_file_is_tightened_and_the_environment_withheld(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    password_file = data_dir / PASSWORD_FILE
    password = "fictional-root-password-" + os.urandom(8).hex()
    password_file.write_text(password + "\n")
    password_file.chmod(0o644)
    # Neither reaches the engine: a service setting, and an ArcadeDB setting (read from the
    # environment too) that would otherwise override the password file.
    monkeypatch.setenv("ACCOUNTABILITY_DB_PASSWORD", password)
    monkeypatch.setenv("arcadedb.server.rootPassword", "fictional-other-password")

    engine = EmbeddedEngine(EngineOptions(data_dir=data_dir, heap_mb=256, start_timeout_s=30))
    with caplog.at_level(logging.WARNING, logger="accountability.engine"):
        engine.start()
    try:
        assert mode(password_file) == 0o600
        assert "had mode 0644" in caplog.text
        environ = proc_file(engine, "environ")
        assert password.encode() not in environ
        assert b"arcadedb.server.rootPassword" not in environ
        assert b"ACCOUNTABILITY_" not in environ
        # start() returned, so the engine took the file's password (newline aside).
        assert engine.password() == password
    finally:
        engine.stop()
