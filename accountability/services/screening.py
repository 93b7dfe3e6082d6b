"""The current screen of protected names, kept fresh for this process."""

from __future__ import annotations

import time

from accountability.domain.screening import Screen
from accountability.graph.catalog import Q
from accountability.graph.database import Database


class ScreenService:
    """Loads protected names; reloads after this process writes a person, or once the
    list is ``max_age_s`` old (for writes by other processes). Loading costs ~80 ms on
    a graph of a million elements, so other writes do not trigger it."""

    TOPIC = "persons"

    def __init__(self, db: Database, max_age_s: float = 5.0) -> None:
        self.db = db
        self.max_age_s = max_age_s
        self._screen: Screen | None = None
        self._people: list[tuple[str, list[str], str]] = []
        self._loaded_at = 0.0
        self._generation = -1

    async def current(self) -> Screen:
        stale = time.monotonic() - self._loaded_at >= self.max_age_s
        generation = self.db.generation(self.TOPIC)
        if self._screen is None or stale or generation != self._generation:
            loaded_at = time.monotonic()
            rows = await self.db.read(Q.PROTECTED_NAMES)
            self._people = [
                (r["name"], list(r["aliases"]), r["pseudonym"])
                for r in rows
                if r["name"] and r["pseudonym"]
            ]
            self._screen = Screen.of(self._people)
            self._loaded_at, self._generation = loaded_at, generation
        return self._screen

    async def people(self) -> list[tuple[str, list[str], str]]:
        """(name, aliases, pseudonym) of every protected person, as of now."""
        self._loaded_at = 0.0  # an export must not miss a person protected a second ago
        await self.current()
        return list(self._people)
