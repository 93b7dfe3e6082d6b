"""The last line: an alarm, not a protection. Protection holds by construction (readers
without clearance are served renditions only); this check looks at what is about to be
sent to such a reader, and when a protected person's full name or alias is in it, and
the reader did not send it themselves (errors may repeat the caller's input verbatim),
something upstream is broken: it is logged as critical and the response refused."""

from __future__ import annotations

import logging
import re
import time

from accountability.domain import search
from accountability.graph.catalog import Q
from accountability.graph.database import Database

log = logging.getLogger("accountability.protection")
#: Shorter forms would sound the alarm on ordinary words.
MIN_FORM = 8


class ProtectionAlarm:
    """Protected names, reloaded every ``max_age_s``: an alarm may lag a little."""

    def __init__(self, db: Database, max_age_s: float = 5.0) -> None:
        self.db = db
        self.max_age_s = max_age_s
        self._pattern: re.Pattern[str] | None = None
        #: The first word of every form (see ``scan``).
        self._first_words: frozenset[str] = frozenset()
        self._loaded_at = -1e9

    async def _current(self) -> re.Pattern[str] | None:
        if time.monotonic() - self._loaded_at >= self.max_age_s:
            self._loaded_at = time.monotonic()
            forms: set[str] = set()
            for row in await self.db.read(Q.MASKED_PEOPLE):
                for name in (row["name"], *row["aliases"]):
                    folded = search.fold(str(name or ""))
                    if len(folded) >= MIN_FORM or " " in folded:
                        forms.add(folded)
            self._pattern, self._first_words = forms_pattern(forms)
        return self._pattern

    async def leaked(self, response: str, request: str) -> list[str]:
        """Protected names in the response that the request did not carry."""
        pattern = await self._current()
        if pattern is None:
            return []
        return scan(pattern, self._first_words, response, request)

    async def sound(self, response: str, request: str, who: str) -> bool:
        """Log and say whether this response must be refused."""
        leaked = await self.leaked(response, request)
        if leaked:
            # The names themselves stay out of the log: how many, and for whom.
            log.critical(
                "protection alarm: a response to %s held %d protected name(s); refused",
                who,
                len(leaked),
            )
        return bool(leaked)


def forms_pattern(forms: set[str]) -> tuple[re.Pattern[str] | None, frozenset[str]]:
    """The pattern that finds these folded forms as whole words, and their first words."""
    if not forms:
        return None, frozenset()
    body = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)"), frozenset(f.split(" ", 1)[0] for f in forms)


def scan(
    pattern: re.Pattern[str], first_words: frozenset[str], response: str, request: str
) -> list[str]:
    """The forms the pattern finds in the response that the request did not carry.

    Folded text is words and single spaces, and a form matches whole words only, so a
    response holds a form only if one of its words is a form's first word: most hold
    none, and are not scanned (tests/test_alarm.py checks the two agree)."""
    folded = search.fold(response)
    if first_words.isdisjoint(folded.split(" ")):
        return []
    asked = search.fold(request)
    found = {m.group(0) for m in pattern.finditer(folded)}
    return sorted(f for f in found if f not in asked)
