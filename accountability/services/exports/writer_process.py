"""The format writers of an export, run in a process of their own.

An export's bundle is made by two kinds of Python work at once: the format writers
(GraphML, GEXF, FtM, Cypher, i2, the interchange JSON: seconds of CPU for a large case)
and the case's element matrix with the traces behind it. In one process they take turns
on one interpreter lock; here the writers run in a child process, on another core, fed
the records the redactor has already kept — nothing a writer receives is unredacted, as
when they ran in the service's process.

The child is ``python -P -m accountability.services.exports.writer_process``: a plain
program reading pickled messages on its stdin and answering on its stdout, so nothing of
the service's process (its event loop, threads, driver) is copied into it. A child
serves one export at a time and is kept for the next (starting one imports the writers,
half a second); one that failed or whose export was abandoned is killed, never reused.

A bundle's writers run there; an export of one format (the interchange JSON) runs its
writer in the service's process (``LocalWriters``): nothing runs alongside it, and the
crossing would only cost (2.5 s against 2.1 s for a 10,000-entity case).

Messages to the child: ``("open", folder, meta, writer names)``, then ``("nodes",
[NodeRecord, ...])`` and ``("claims", [ClaimRecord, ...])`` in feeding order, then
``("close",)``; it answers ``("done", files)`` or ``("failed", why)``.

Measured and left out: ``matrix.csv`` written here while the service writes the brief
(its 100,000 rows take longer to pickle and unpickle, 0.75 s, than to write, 0.7 s), and
the formats packed into the bundle's zip here while the matrix is made (no change in an
export's time: the machine's two cores are already busy with the engine, the service and
this process)."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import pickle
import subprocess
import sys
import threading
import traceback
from pathlib import Path
from typing import IO, Any, Literal

from accountability.errors import AccountabilityError
from accountability.services.exports.base import ClaimRecord, ExportMeta, NodeRecord, Writer

#: Records sent to the child in one message: large enough that pickling and the pipe
#: cost little per record, small enough that the child starts writing early.
CHUNK = 2000
#: Children kept for later exports once theirs is done.
KEEP_IDLE = 1
#: A child that wrote more records than this is ended, not kept: its heap grew with the
#: export (200 MB after a case of 10,000 entities), and Python keeps it grown, where
#: starting a new one costs half a second.
KEEP_AFTER_RECORDS = 20_000

_idle: list[_Child] = []
_idle_lock = threading.Lock()


def writer_classes(names: list[str] | None = None) -> list[type[Writer]]:
    """Every format writer (imported when first asked for: the FtM model loads in half a
    second)."""
    from accountability.services.exports.cypher_script import CypherScriptWriter
    from accountability.services.exports.ftm import FtmWriter
    from accountability.services.exports.graphs import GraphWriter
    from accountability.services.exports.i2_csv import I2CsvWriter
    from accountability.services.exports.interchange_json import InterchangeWriter

    every: list[type[Writer]] = [
        InterchangeWriter,
        GraphWriter,
        I2CsvWriter,
        CypherScriptWriter,
        FtmWriter,
    ]
    return every if names is None else [w for w in every if w.__name__ in names]


class WritersFailed(AccountabilityError):
    """The child writing the formats failed or died; nothing was written. Its reasons
    go to the service's log (the child's stderr), never to the client: they may quote
    a record."""

    code = "EXPORT_FAILED"


class _Child:
    """One child process and its two pipes (blocking: used from worker threads)."""

    def __init__(self) -> None:
        # -P: the working folder is not put on the child's import path, so that it runs
        # this installation's code whatever folder the service was started from.
        self.proc = subprocess.Popen(
            [sys.executable, "-P", "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._to: IO[bytes] = self.proc.stdin
        self._from: IO[bytes] = self.proc.stdout

    def send(self, message: tuple[Any, ...]) -> None:
        pickle.dump(message, self._to, protocol=pickle.HIGHEST_PROTOCOL)
        self._to.flush()

    def receive(self) -> tuple[Any, ...]:
        answer: tuple[Any, ...] = pickle.load(self._from)
        return answer

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self._close_pipes()

    def stop(self) -> None:
        """End an idle child: it leaves when its stdin closes."""
        self._close_pipes()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def _close_pipes(self) -> None:
        # Closing stdin flushes what is still buffered for it, which fails when the child
        # is gone; the pipe is closed all the same.
        with contextlib.suppress(OSError):
            self._to.close()
        self._from.close()


def _acquire() -> _Child:
    with _idle_lock:
        while _idle:
            child = _idle.pop()
            if child.alive():
                return child
            child.kill()
    return _Child()


def _release(child: _Child) -> None:
    with _idle_lock:
        if len(_idle) < KEEP_IDLE and child.alive():
            _idle.append(child)
            return
    child.stop()


@atexit.register
def _stop_idle() -> None:
    with _idle_lock:
        children = list(_idle)
        _idle.clear()
    for child in children:
        child.stop()


class Writers:
    """The writers of one export, in a child process: fed like a writer, closed once for
    the files they made. Use as ``async with await Writers.start(...) as w``: leaving the
    block by an error or a cancellation kills the child before the export's folder
    is removed, so it cannot write there afterwards."""

    def __init__(self, child: _Child) -> None:
        self._child = child
        #: The child's process id (the tests look for it).
        self.pid = child.proc.pid
        self._nodes: list[NodeRecord] = []
        self._claims: list[ClaimRecord] = []
        self._records = 0
        self._closed = False

    @classmethod
    async def start(cls, folder: Path, meta: ExportMeta, names: list[str] | None) -> Writers:
        """``names``: the writer classes to run, or None for every format."""
        child = await asyncio.to_thread(_acquire)
        writers = cls(child)
        try:
            await writers._send(("open", folder, meta, names))
        except BaseException:
            await asyncio.to_thread(child.kill)
            raise
        return writers

    async def __aenter__(self) -> Writers:
        return self

    async def __aexit__(self, kind: object, error: object, tb: object) -> None:
        if not self._closed:
            await asyncio.to_thread(self._child.kill)

    async def node(self, record: NodeRecord) -> None:
        self._nodes.append(record)
        if len(self._nodes) >= CHUNK:
            await self._flush()

    async def claim(self, record: ClaimRecord) -> None:
        if self._nodes:
            await self._flush()
        self._claims.append(record)
        if len(self._claims) >= CHUNK:
            await self._flush()

    async def close(self) -> list[str]:
        """Finish every file; their paths in the export's folder back."""
        await self._flush()
        await self._send(("close",))
        try:
            answer = await asyncio.to_thread(self._child.receive)
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            raise WritersFailed("the format writers' process died: nothing was written") from exc
        if answer[0] != "done":
            raise WritersFailed("the format writers failed: nothing was written")
        self._closed = True
        if self._records <= KEEP_AFTER_RECORDS:
            await asyncio.to_thread(_release, self._child)
        else:
            await asyncio.to_thread(self._child.stop)
        return list(answer[1])

    async def _flush(self) -> None:
        self._records += len(self._nodes) + len(self._claims)
        if self._nodes:
            batch, self._nodes = self._nodes, []
            await self._send(("nodes", batch))
        if self._claims:
            batch2, self._claims = self._claims, []
            await self._send(("claims", batch2))

    async def _send(self, message: tuple[Any, ...]) -> None:
        try:
            await asyncio.to_thread(self._child.send, message)
        except OSError as exc:  # a broken pipe: the child died
            raise WritersFailed("the format writers' process died: nothing was written") from exc


class LocalWriters:
    """The writers of one export in this process, fed and closed as ``Writers``."""

    def __init__(self, folder: Path, meta: ExportMeta, names: list[str] | None) -> None:
        self._writers = [w(folder, meta) for w in writer_classes(names)]

    async def __aenter__(self) -> LocalWriters:
        return self

    async def __aexit__(self, kind: object, error: object, tb: object) -> None:
        return None

    async def node(self, record: NodeRecord) -> None:
        for w in self._writers:
            w.node(record)

    async def claim(self, record: ClaimRecord) -> None:
        for w in self._writers:
            w.claim(record)

    async def close(self) -> list[str]:
        await asyncio.to_thread(_close_all, self._writers)
        return [f for w in self._writers for f in w.files]


async def writers_for(
    folder: Path, meta: ExportMeta, names: list[str] | None
) -> Writers | LocalWriters:
    """Every format (``names`` None) in a child process; one or a few in this one."""
    if names is None:
        return await Writers.start(folder, meta, names)
    return LocalWriters(folder, meta, names)


def _close_all(writers: list[Writer]) -> None:
    for w in writers:
        w.close()


def _serve(inbox: IO[bytes], outbox: IO[bytes]) -> None:
    """The child's loop: one export after another until stdin closes."""

    def answer(message: tuple[Any, ...]) -> None:
        pickle.dump(message, outbox, protocol=pickle.HIGHEST_PROTOCOL)
        outbox.flush()

    writers: list[Writer] = []
    failed: str | None = None
    while True:
        try:
            message = pickle.load(inbox)
        except EOFError:
            return
        kind: Literal["open", "nodes", "claims", "close"] = message[0]
        try:
            if kind == "open":
                _, folder, meta, names = message
                writers, failed = [w(folder, meta) for w in writer_classes(names)], None
            elif failed is not None:
                # A writer failed: the rest of this export is read and dropped, so that
                # the parent, which sends without waiting, meets the failure at "close".
                if kind == "close":
                    answer(("failed", failed))
            elif kind == "nodes":
                for w in writers:
                    for node in message[1]:
                        w.node(node)
            elif kind == "claims":
                for w in writers:
                    for claim in message[1]:
                        w.claim(claim)
            else:
                _close_all(writers)
                answer(("done", [f for w in writers for f in w.files]))
        except Exception:
            traceback.print_exc()
            failed = "a format writer failed"
            if kind == "close":
                answer(("failed", failed))


def main() -> None:
    # The answers get stdout's pipe to themselves: anything printed goes to stderr, the
    # service's log, and cannot break the stream of answers.
    outbox = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    _serve(sys.stdin.buffer, outbox)


if __name__ == "__main__":
    main()
