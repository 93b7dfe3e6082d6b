"""Keyset pagination: opaque cursors and page sizes."""

from __future__ import annotations

import base64
import json

from accountability.errors import Problem, ValidationFailed


def encode(*parts: str) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


def decode(cursor: str, size: int, where: str = "after") -> list[str]:
    """The parts of a cursor, or a clear error naming the argument."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        parts = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        parts = None
    if (
        not isinstance(parts, list)
        or len(parts) != size
        or not all(isinstance(p, str) for p in parts)
    ):
        raise ValidationFailed.of([Problem(where, "not a cursor this list gave out")])
    return parts


def check_page_size(first: int, maximum: int) -> None:
    """A clear error for a page size out of range."""
    if not 0 < first <= maximum:
        raise ValidationFailed.of([Problem("first", f"must be between 1 and {maximum}")])
