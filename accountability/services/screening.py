"""The current screen of protected names, kept fresh for this process."""

from __future__ import annotations

import time

from accountability.domain.screening import Screen
from accountability.graph.catalog import Q
from accountability.graph.database import Database


class ScreenService:
    """Loads protected names; reloads after a write here, or after ``max_age_s``."""

    def __init__(self, db: Database, max_age_s: float = 5.0) -> None:
        self.db = db
        self.max_age_s = max_age_s
        self._screen: Screen | None = None
        self._loaded_at = 0.0
        self._loaded_version = -1

    async def current(self) -> Screen:
        fresh = time.monotonic() - self._loaded_at < self.max_age_s
        if self._screen is None or not fresh or self._loaded_version != self.db.write_version:
            version = self.db.write_version
            rows = await self.db.read(Q.PROTECTED_NAMES)
            self._screen = Screen.of(
                [
                    (r["name"], list(r["aliases"]), r["pseudonym"])
                    for r in rows
                    if r["name"] and r["pseudonym"]
                ]
            )
            self._loaded_at, self._loaded_version = time.monotonic(), version
        return self._screen
