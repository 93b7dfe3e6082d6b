"""The embedded engine's lifecycle: one owner per data folder, data kept, crashes reported."""

from __future__ import annotations

import os
import signal
import stat
import time
from pathlib import Path

import pytest

from accountability.domain.redaction import SYSTEM
from accountability.errors import (
    DatabaseUnavailable,
    EngineError,
    QueryTimeout,
    mapped_driver_errors,
)
from accountability.graph.database import Database
from accountability.graph.embedded import DataFolderInUse
from accountability.services.container import Services
from accountability.settings import Settings
from tests.builders import document, make_node

pytestmark = pytest.mark.slow


async def test_restart_keeps_data_and_second_owner_is_refused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", embedded_heap_mb=256, db_uri=None)
    db = Database(settings)
    await db.open()
    try:
        services = Services.over(db, settings)
        await services.interchange.import_document(
            SYSTEM, document([make_node("kept-1", "Unit", name="Fictional Kept Unit")], [])
        )
        password_file = tmp_path / "data" / "engine-password"
        assert stat.S_IMODE(password_file.stat().st_mode) == 0o600

        with pytest.raises(DataFolderInUse, match="already uses the data folder"):
            await Database(settings).open()

        attached = Database(settings)
        await attached.open(attach=True)
        try:
            assert "kept-1" in await Services.over(attached, settings).nodes.labels_of(["kept-1"])
        finally:
            await attached.close()
    finally:
        await db.close()

    db = Database(settings)
    await db.open()
    try:
        found = await Services.over(db, settings).nodes.labels_of(["kept-1"])
        assert found == {"kept-1": "Unit"}
    finally:
        await db.close()


async def test_a_dead_engine_is_reported_not_hung(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", embedded_heap_mb=256, readiness_timeout_s=2, db_uri=None
    )
    db = Database(settings)
    await db.open()
    try:
        assert await db.ready() == (True, "ok")
        assert db.engine is not None and db.engine.process is not None
        os.kill(db.engine.process.pid, signal.SIGKILL)
        db.engine.process.wait(10)
        ok, reason = await db.ready()
        assert not ok and "exited" in reason
        with pytest.raises(EngineError, match="exited with code"):
            db.engine.raise_if_exited()
        with pytest.raises(DatabaseUnavailable, match="engine has stopped"):
            await Services.over(db, settings).nodes.labels_of(["any"])
    finally:
        await db.close()


async def test_a_runaway_query_is_stopped_by_the_time_out(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", embedded_heap_mb=256, db_uri=None, query_timeout_s=1
    )
    db = Database(settings)
    await db.open()
    try:
        started = time.monotonic()
        with pytest.raises(QueryTimeout), mapped_driver_errors():
            # No statement of ours runs this long; the engine must stop it, not us.
            await db.driver.execute_query(
                "UNWIND range(1, 1000000) AS x UNWIND range(1, 1000) AS y RETURN count(*) AS n",
                database_=db.database_name,
            )
        assert time.monotonic() - started < 20
        assert await db.ready() == (True, "ok")
    finally:
        await db.close()
