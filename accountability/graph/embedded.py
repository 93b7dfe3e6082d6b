"""The embedded default database: ArcadeDB from the ``arcadedb-embedded`` wheel, run as a
child process with its Bolt plugin on loopback, spoken to with the ordinary neo4j driver.

The engine's root password is a secret shared by files only: it is generated into
``engine-password`` (mode 0600) in the data folder, and the engine is told the file's *path*
(``arcadedb.server.rootPasswordPath``), never the password, so it appears neither on the
child's command line nor in its environment nor among its system properties. The engine's
HTTP port cannot be turned off; like Bolt, it answers nothing but a landing page and the
readiness probes without that password. Its files are kept to the owner (mode 0700)."""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import importlib.util
import logging
import os
import secrets
import signal
import socket
import stat
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from neo4j import GraphDatabase
from neo4j import exceptions as neo4j_errors

from accountability.errors import EngineError

DATABASE_NAME = "g"
ROOT_USER = "root"
PASSWORD_FILE = "engine-password"
_PR_SET_PDEATHSIG = 1
#: Settings of the service and of the engine's root password that the engine must not see
#: in its environment: ArcadeDB reads any of its settings from an environment variable of
#: the setting's name, and one named ``arcadedb.server.rootPassword`` would override the file.
_WITHHELD_ENV_PREFIXES = ("ACCOUNTABILITY_", "arcadedb.server.rootPassword")

log = logging.getLogger("accountability.engine")


def _package_dir() -> Path:
    spec = importlib.util.find_spec("arcadedb_embedded")
    if spec is None or spec.origin is None:
        raise EngineError("the arcadedb-embedded package is not installed")
    return Path(spec.origin).parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # As the engine binds: a port left in TIME_WAIT by a killed engine is reusable.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _child_environment() -> dict[str, str]:
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(_WITHHELD_ENV_PREFIXES)
    }


def _die_with_parent() -> None:
    # So that a killed service never leaves an engine holding the data folder.
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class EngineOptions:
    """How to run the engine."""

    data_dir: Path
    heap_mb: int = 512
    fsync: bool = True
    query_timeout_s: float = 30.0
    start_timeout_s: float = 60.0


class DataFolderInUse(EngineError):
    """Another service's engine owns the data folder."""


class EmbeddedEngine:
    """One ArcadeDB server process owning one data folder."""

    def __init__(self, options: EngineOptions) -> None:
        self.options = options
        self.root = options.data_dir.resolve() / "arcadedb"
        self.bolt_port = 0
        self.http_port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._lock_file: IO[str] | None = None
        self._log: IO[bytes] | None = None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def address_path(self) -> Path:
        """Where a running engine says which port it listens on, for CLI commands."""
        return self.options.data_dir.resolve() / "engine-address"

    def _published(self) -> list[str]:
        try:
            return self.address_path.read_text().split()
        except OSError:
            return []

    def running_uri(self) -> str | None:
        """The Bolt URI of the engine another process runs on this data folder, if any."""
        lines = self._published()
        uri = lines[0] if lines else ""
        return uri if uri.startswith("bolt://127.0.0.1:") else None

    def running_http_port(self) -> int | None:
        """The HTTP port of that engine (its SQL commands, such as a backup), if known."""
        lines = self._published()
        http = lines[1] if len(lines) > 1 else ""
        prefix = "http://127.0.0.1:"
        return int(http.removeprefix(prefix)) if http.startswith(prefix) else None

    def _publish(self) -> None:
        """Say where the engine listens, Bolt first, then HTTP: written whole and renamed
        into place, so a tool reading it never sees half."""
        part = self.address_path.with_suffix(".part")
        part.write_text(f"{self.uri}\nhttp://127.0.0.1:{self.http_port}\n")
        part.replace(self.address_path)

    @property
    def log_path(self) -> Path:
        return self.root / "engine.log"

    @property
    def password_path(self) -> Path:
        return self.options.data_dir.resolve() / PASSWORD_FILE

    def password(self) -> str:
        """The root password, generated once and kept readable by the owner only.

        A password file whose mode was loosened (a copy, a restore under another umask) is
        set back to 0600 with a warning rather than refused: the engine keeps the password
        it was first given, so a refusal could only be cleared by the same chmod."""
        path = self.password_path
        with contextlib.suppress(FileExistsError):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(24))
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as exc:
            raise EngineError(f"cannot read the engine password file {path}: {exc}") from exc
        with os.fdopen(fd) as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise EngineError(f"the engine password file {path} is not a regular file")
            mode = stat.S_IMODE(info.st_mode)
            if mode != 0o600:
                try:
                    os.fchmod(fh.fileno(), 0o600)
                except OSError as exc:
                    raise EngineError(
                        f"the engine password file {path} has mode {mode:04o}, not 0600, "
                        f"and cannot be changed: {exc}"
                    ) from exc
                if mode & 0o077:
                    log.warning(
                        "the engine password file %s had mode %04o; set it back to 0600",
                        path,
                        mode,
                    )
            password = fh.read().strip()
        if not password:
            raise EngineError(f"the engine password file {path} is empty")
        return password

    def _acquire_lock(self) -> None:
        self.options.data_dir.mkdir(parents=True, exist_ok=True)
        lock_path = self.options.data_dir.resolve() / "service.lock"
        fh = open(lock_path, "a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            raise DataFolderInUse(
                f"another service already uses the data folder {self.options.data_dir} "
                f"(lock {lock_path}); stop it or choose another ACCOUNTABILITY_DATA_DIR"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._lock_file = fh

    def command(self) -> list[str]:
        pkg = _package_dir()
        timeout_ms = int(self.options.query_timeout_s * 1000)
        return [
            str(pkg / "jre" / "bin" / "java"),
            f"-Xmx{self.options.heap_mb}m",
            "-cp",
            str(pkg / "jars") + "/*",
            f"-Darcadedb.server.rootPath={self.root}",
            # Read by the engine on its first start only, to create the root user.
            f"-Darcadedb.server.rootPasswordPath={self.password_path}",
            "-Darcadedb.server.httpIncomingHost=127.0.0.1",
            f"-Darcadedb.server.httpIncomingPort={self.http_port}",
            "-Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            "-Darcadedb.bolt.host=127.0.0.1",
            f"-Darcadedb.bolt.port={self.bolt_port}",
            f"-Darcadedb.server.defaultDatabases={DATABASE_NAME}[{ROOT_USER}]",
            f"-Darcadedb.txWalFlush={2 if self.options.fsync else 0}",
            f"-Darcadedb.command.timeout={timeout_ms}",
            "com.arcadedb.server.ArcadeDBServer",
        ]

    def start(self) -> None:
        """Start the engine and return once a Bolt query succeeds."""
        self._acquire_lock()
        try:
            # The databases, the engine's users and its log: the owner's only.
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(self.root, 0o700)
            self.bolt_port = _free_port()
            self.http_port = _free_port()
            self._spawn()
        except BaseException:
            self.stop()
            raise

    def restart(self) -> None:
        """Start a new engine process after the last one exited, keeping the data folder's
        lock (no other service may take the folder in between) and, when they are free,
        the same ports (the drivers of tools attached to this engine reconnect)."""
        if self._lock_file is None:
            raise EngineError("the embedded engine was not started, so cannot be restarted")
        if self.process is not None and self.process.poll() is None:
            return
        self._close_log()
        if not (_port_is_free(self.bolt_port) and _port_is_free(self.http_port)):
            self.bolt_port, self.http_port = _free_port(), _free_port()
        try:
            self._spawn()
        except BaseException:
            self._kill()
            self._close_log()
            raise

    def _spawn(self) -> None:
        password = self.password()
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            self.command(),
            cwd=self.root,
            env=_child_environment(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
        self._wait_ready(password)
        self._publish()

    def _wait_ready(self, password: str) -> None:
        deadline = time.monotonic() + self.options.start_timeout_s
        last_error = ""
        with GraphDatabase.driver(
            self.uri, auth=(ROOT_USER, password), connection_timeout=2
        ) as driver:
            while time.monotonic() < deadline:
                self.raise_if_exited()
                try:
                    # A bare session, not execute_query, which would retry on its own.
                    with driver.session(database=DATABASE_NAME) as session:
                        session.run("RETURN 1 AS ok").consume()
                    return
                except (
                    neo4j_errors.ServiceUnavailable,
                    neo4j_errors.SessionExpired,
                    neo4j_errors.DatabaseError,
                    neo4j_errors.ClientError,
                    OSError,
                ) as exc:
                    last_error = str(exc)
                time.sleep(0.25)
        raise EngineError(
            f"the embedded engine did not answer within {self.options.start_timeout_s:.0f} s "
            f"(last error: {last_error[:200]}); see {self.log_path}"
        )

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def raise_if_exited(self) -> None:
        code = self.exit_code()
        if code is not None:
            raise EngineError(
                f"the embedded engine exited with code {code}; see {self.log_path}:\n"
                + self.log_tail()
            )

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, grace_s: float = 15.0) -> None:
        """SIGTERM, then kill after a grace period; release the data folder."""
        proc = self.process
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(grace_s)
            except subprocess.TimeoutExpired:
                self._kill()
        self.process = None
        if self._lock_file is not None:
            self.address_path.unlink(missing_ok=True)
        self._close_log()
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    def _kill(self) -> None:
        proc = self.process
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None
