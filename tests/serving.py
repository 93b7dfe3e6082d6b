"""``accountability serve`` as a real process on a data folder, for tests of what only a
whole service shows (supervision, several instances)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.builders import REPO


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def first_token(self) -> str:
        """The admin token a first start prints."""
        found = re.search(r"^\s+(acc_\S+)$", self.log.read_text(), re.M)
        assert found, "the first start prints an admin token"
        return found.group(1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def service_env(data_dir: Path, port: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ACCOUNTABILITY_DB_") and k != "ACCOUNTABILITY_TOKEN"
    }
    return env | {
        "ACCOUNTABILITY_DATA_DIR": str(data_dir),
        "ACCOUNTABILITY_PORT": str(port),
        "ACCOUNTABILITY_EMBEDDED_HEAP_MB": "256",
    }


def serve(data_dir: Path, log_path: Path, *args: str, timeout_s: float = 60) -> Served:
    """Start a service and wait until it is ready (a failed start shows its log)."""
    port = free_port()
    with log_path.open("w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "accountability", "serve", *args],
            env=service_env(data_dir, port),
            cwd=REPO,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    return Served(process, base, log_path)
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
    except BaseException:
        process.kill()
        process.wait(30)
        raise
