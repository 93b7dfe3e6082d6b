"""The last line: an alarm, not a protection. Protection holds by construction (readers
without clearance are served renditions only); this check looks at what is about to be
sent to such a reader, and when a protected person's full name or alias is in it, and
the reader did not send it themselves (errors may repeat the caller's input verbatim),
something upstream is broken: it is logged as critical and the response refused."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

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
        self._forms = NO_FORMS
        self._loaded_at = -1e9

    async def _current(self) -> Forms:
        if time.monotonic() - self._loaded_at >= self.max_age_s:
            self._loaded_at = time.monotonic()
            forms: set[str] = set()
            for row in await self.db.read(Q.MASKED_PEOPLE):
                for name in (row["name"], *row["aliases"]):
                    folded = search.fold(str(name or ""))
                    if len(folded) >= MIN_FORM or " " in folded:
                        forms.add(folded)
            self._forms = indexed(forms)
        return self._forms

    async def leaked(self, response: str, request: str) -> list[str]:
        """Protected names in the response that the request did not carry."""
        forms = await self._current()
        if not forms.all:
            return []
        return scan(forms, response, request)

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


@dataclass(frozen=True)
class Forms:
    """Folded forms, and for each word that begins one, the numbers of words of the forms
    it begins."""

    all: frozenset[str]
    lengths: dict[str, tuple[int, ...]]


NO_FORMS = Forms(frozenset(), {})


def indexed(forms: set[str]) -> Forms:
    """These folded forms, indexed for ``scan``."""
    lengths: dict[str, set[int]] = {}
    for form in forms:
        words = form.split(" ")
        lengths.setdefault(words[0], set()).add(len(words))
    return Forms(frozenset(forms), {w: tuple(sorted(n)) for w, n in lengths.items()})


def scan(forms: Forms, response: str, request: str) -> list[str]:
    """The forms in the response, as whole words, that the request did not carry.

    Folded text is words and single spaces, so a form is in it as whole words exactly
    when, at a word of the text, that word and the ones after it are the form. Only the
    words that begin a form are looked at, and at each, one set lookup for each number
    of words a form it begins has: many protected people may share a first name, and
    checking each of their forms at each mention of it cost milliseconds a response.
    (A regular expression of every form was slower, and missed forms that overlap
    another: tests/test_alarm.py checks this against a search for each form.)"""
    folded = search.fold(response)
    present = forms.lengths.keys() & set(folded.split(" "))
    if not present:
        return []
    padded = f" {folded} "
    found: set[str] = set()
    for word in present:
        needle = f" {word} "
        at = padded.find(needle)
        while at >= 0:
            start = at + 1
            end, words = start + len(word), 1
            for count in forms.lengths[word]:
                while words < count and end >= 0:
                    end, words = padded.find(" ", end + 1), words + 1
                if end < 0:
                    break
                phrase = padded[start:end]
                if phrase in forms.all:
                    found.add(phrase)
            at = padded.find(needle, at + 1)
    if not found:
        return []
    asked = search.fold(request)
    return sorted(f for f in found if f not in asked)
