"""Which process runs an import, and whether it is still there."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from accountability.domain.imports import ProcessIdentity

_PROC = Path("/proc")


def _boot_id() -> str:
    try:
        return (_PROC / "sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _start_ticks(pid: int) -> str | None:
    """When the process started, in clock ticks since boot (None: no such process, or
    no /proc to ask)."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces or parentheses:
    # fields are counted from the last ")". The start time is field 22.
    fields = stat[stat.rindex(")") + 2 :].split()
    return fields[19]


def _token(pid: int) -> str:
    ticks = _start_ticks(pid)
    return f"{_boot_id()}/{ticks}" if ticks is not None else ""


def this_process() -> ProcessIdentity:
    """This process: host, pid, and a token that a process later given the same pid
    (after a reboot, or pids wrapping round) would not have."""
    pid = os.getpid()
    return ProcessIdentity(host=socket.gethostname(), pid=pid, token=_token(pid))


def is_gone(process: ProcessIdentity) -> bool | None:
    """Whether that process has ended; None when this host cannot tell (another host
    runs it: a Neo4j server shared by several machines)."""
    if process.host != socket.gethostname():
        return None
    if _PROC.is_dir():
        # Gone when no process has the pid, or the one that has it started at another
        # time (or boot): the pid was given to someone else.
        return _start_ticks(process.pid) is None or _token(process.pid) != process.token
    try:
        os.kill(process.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
