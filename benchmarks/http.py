"""A minimal keep-alive HTTP/1.1 client for the timed loops: like wrk, it costs little,
so the figures are the service's, not the client library's."""

from __future__ import annotations

import asyncio
import json
from typing import Any


class LeanClient:
    """One persistent connection; one request at a time."""

    def __init__(self, host: str, port: int, token: str | None = None) -> None:
        self.host = host
        self.port = port
        self.auth = f"Authorization: Bearer {token}\r\n" if token else ""
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> LeanClient:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._writer is not None:
            self._writer.close()
            try:
                await self._writer.wait_closed()
            except ConnectionError:
                pass
            self._writer = None

    async def post_json(self, path: str, payload: Any) -> tuple[int, Any]:
        try:
            return await self._post_json(path, payload)
        except (ConnectionError, IndexError):
            # The server closed an idle keep-alive connection: open a new one, once.
            await self.__aexit__()
            await self.__aenter__()
            return await self._post_json(path, payload)

    async def get_status(self, path: str) -> int:
        assert self._reader is not None and self._writer is not None
        self._writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        return (await self._read_response())[0]

    async def _post_json(self, path: str, payload: Any) -> tuple[int, Any]:
        assert self._reader is not None and self._writer is not None
        body = json.dumps(payload).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{self.auth}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        self._writer.write(head + body)
        return await self._read_response()

    async def _read_response(self) -> tuple[int, Any]:
        assert self._reader is not None
        status_line = await self._reader.readline()
        status = int(status_line.split()[1])
        length = 0
        while (line := await self._reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        data = await self._reader.readexactly(length)
        return status, json.loads(data)
