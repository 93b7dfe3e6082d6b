"""``accountability serve --workers N``: N service processes on one listening socket and
one engine, so that a request's Python work has more than one core.

The first process is the service as it always is: it starts (and supervises) the
embedded engine or connects to Neo4j, sets up the schema, re-masks, sweeps. Only once it
is ready does it start the other N-1, each ``serve --fd`` on the socket it inherits,
attached to its engine (as ``serve --attach`` is). The kernel hands each new connection
to whichever process accepts it first. Everything one process knows that another must
too already lives in the graph (export jobs, token revocations, the protected names'
generation; docs/design.md, "More than one instance"), so a request is answered alike
by any of them.

A worker that exits is started again; a worker whose parent is gone stops itself; the
parent stops its workers when it stops."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator

log = logging.getLogger(__name__)

#: A worker that exits is started again after this wait, doubled each time it exits
#: within a minute of starting (up to MAX_RESTART_WAIT_S).
RESTART_WAIT_S = 1.0
MAX_RESTART_WAIT_S = 30.0
#: How long a worker has to finish its requests when the service stops.
STOP_GRACE_S = 10.0


def listening_socket(host: str, port: int) -> socket.socket:
    """The service's socket, bound and inheritable, for every worker to accept on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def inherited_socket(fd: int) -> socket.socket:
    """The socket a worker was handed by its parent."""
    return socket.socket(fileno=fd)


def stop_with_parent(parent: int) -> None:
    """In a worker: stop (as on Ctrl-C) when the process that started it is gone, so
    that a parent killed with -9 leaves no worker serving on without an engine's owner."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class WorkerPool:
    """The N-1 extra worker processes of the first one."""

    def __init__(self, sock: socket.socket, count: int) -> None:
        self.fd = sock.fileno()
        self.count = count
        self._procs: dict[int, asyncio.subprocess.Process] = {}
        self._stopping = False

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self._procs.values()]

    async def _spawn(self, slot: int) -> asyncio.subprocess.Process:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "accountability",
            "serve",
            "--fd",
            str(self.fd),
            "--parent",
            str(os.getpid()),
            pass_fds=(self.fd,),
            stdin=subprocess.DEVNULL,
        )
        self._procs[slot] = process
        log.info("worker %d started (pid %d)", slot + 2, process.pid)
        return process

    async def _keep(self, slot: int) -> None:
        """Run one worker, and start it again whenever it exits unasked."""
        wait = RESTART_WAIT_S
        while not self._stopping:
            started = time.monotonic()
            process = await self._spawn(slot)
            code = await process.wait()
            if self._stopping:
                return
            log.error("worker %d (pid %d) exited with code %s", slot + 2, process.pid, code)
            wait = wait * 2 if time.monotonic() - started < 60 else RESTART_WAIT_S
            wait = min(wait, MAX_RESTART_WAIT_S)
            await asyncio.sleep(wait)

    async def _stop(self, keepers: list[asyncio.Task[None]]) -> None:
        self._stopping = True
        for process in self._procs.values():
            if process.returncode is None:
                process.terminate()
        for process in self._procs.values():
            try:
                await asyncio.wait_for(process.wait(), STOP_GRACE_S)
            except TimeoutError:
                process.kill()
                await process.wait()
        for task in keepers:
            task.cancel()
        await asyncio.gather(*keepers, return_exceptions=True)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """The workers, for as long as the first process serves."""
        keepers = [asyncio.create_task(self._keep(slot)) for slot in range(self.count)]
        try:
            yield
        finally:
            await self._stop(keepers)
