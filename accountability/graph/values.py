"""Converting values between the driver's types and ours."""

from __future__ import annotations

import datetime as dt
from typing import Any

from neo4j.time import Date, DateTime


def to_native(value: Any) -> Any:
    """Driver temporal values to the standard library's, recursively."""
    if isinstance(value, Date | DateTime):
        return value.to_native()
    if isinstance(value, list):
        return [to_native(v) for v in value]
    if isinstance(value, dict):
        return {k: to_native(v) for k, v in value.items()}
    return value


def parse_instant(value: str | None) -> dt.datetime | None:
    """A stored ISO-8601 UTC string back to an aware datetime."""
    if value is None:
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
