"""Keyset pagination: opaque cursors and page sizes.

A cursor holds a position in a sorted list: a sort key and an id. Even a rendition's
sort key says something about a text, and a cursor made for a cleared reader holds a
real name, so cursors are encrypted and authenticated (Fernet) and carry the scope of
the list they were made for: a cursor cannot be read, forged, or replayed on a list of
another label, sort order or clearance."""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import overload

from cryptography.fernet import Fernet, InvalidToken

from accountability.errors import Problem, ValidationFailed

_fernet = Fernet(Fernet.generate_key())


def configure(key: bytes) -> None:
    """Use this key (shared by every instance of the service over one graph), instead
    of the random key that makes a process's cursors its own."""
    global _fernet
    _fernet = Fernet(key)


def key_from_file(path: Path) -> bytes:
    """The key kept in ``path``; made (readable by its owner only) when there is none.
    Two processes starting at once agree: only one creates the file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(Fernet.generate_key())
            f.flush()
            os.fsync(f.fileno())
    for _ in range(50):  # the other process may be writing it this instant
        key = path.read_bytes().strip()
        if key:
            return key
        time.sleep(0.01)
    raise RuntimeError(f"the cursor key file {path} is empty")


def encode(*parts: str, scope: str = "") -> str:
    payload = json.dumps([scope, *parts], ensure_ascii=False).encode()
    return _fernet.encrypt(payload).decode().rstrip("=")


class Lazy(Sequence[str]):
    """The cursors of a page's items, each encrypted when first read: a reader that does
    not ask for cursors costs no encryption (nested lists ask for hundreds of edges)."""

    def __init__(self, parts: list[tuple[str, ...]], scope: str = "") -> None:
        self._parts = parts
        self._scope = scope
        self._made: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._parts)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        i = range(len(self))[index]  # negative indexes, and IndexError past the end
        if i not in self._made:
            self._made[i] = encode(*self._parts[i], scope=self._scope)
        return self._made[i]


def decode(cursor: str, size: int, where: str = "after", scope: str = "") -> list[str]:
    """The parts of a cursor, or a clear error naming the argument (the same error for
    anything this list did not give out, whatever is wrong with it)."""
    parts: object = None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        parts = json.loads(_fernet.decrypt(padded.encode()))
    except (InvalidToken, ValueError, UnicodeError):
        parts = None
    if (
        not isinstance(parts, list)
        or len(parts) != size + 1
        or parts[0] != scope
        or not all(isinstance(p, str) for p in parts)
    ):
        raise ValidationFailed.of([Problem(where, "not a cursor this list gave out")])
    return [str(p) for p in parts[1:]]


def check_page_size(first: int, maximum: int) -> None:
    """A clear error for a page size out of range."""
    if not 0 < first <= maximum:
        raise ValidationFailed.of([Problem("first", f"must be between 1 and {maximum}")])
