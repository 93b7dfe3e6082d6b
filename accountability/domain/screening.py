"""Screening free text: a description or a note can name a protected person; for
readers without clearance, each such name becomes the person's pseudonym."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

#: Names shorter than this are not screened alone: they would hit ordinary words.
MIN_NAME_LENGTH = 4


@dataclass(frozen=True)
class Screen:
    """Replaces protected names (whole phrases, any case) with pseudonyms."""

    replacements: dict[str, str] = field(default_factory=dict)  # casefolded name -> pseudonym
    pattern: re.Pattern[str] | None = None

    @classmethod
    def of(cls, people: list[tuple[str, list[str], str]]) -> Screen:
        """From (name, aliases, pseudonym) of each protected person."""
        replacements: dict[str, str] = {}
        for name, aliases, pseudonym in people:
            for form in (name, *aliases):
                form = " ".join(form.split())
                if len(form) >= MIN_NAME_LENGTH:
                    replacements[form.casefold()] = pseudonym
        if not replacements:
            return cls()
        # Longest first, so that a full name wins over a part of it.
        alternatives = sorted(replacements, key=len, reverse=True)
        body = "|".join(r"\s+".join(map(re.escape, a.split())) for a in alternatives)
        return cls(replacements, re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE))

    def mentions(self, value: str) -> bool:
        """Whether the text names a protected person."""
        return self.pattern is not None and self.pattern.search(value) is not None

    def text(self, value: str) -> str:
        if self.pattern is None:
            return value
        return self.pattern.sub(
            lambda m: self.replacements.get(" ".join(m.group(0).split()).casefold(), "[withheld]"),
            value,
        )

    def value(self, value: Any) -> Any:
        """Every string inside a JSON-like value, screened."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        return value
