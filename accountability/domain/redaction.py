"""What a caller may see: protected identities are replaced by their pseudonym."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Fields of a protected person that could identify them.
IDENTIFYING_FIELDS = ("aliases", "birth_year", "gender", "nationality")


@dataclass(frozen=True)
class Viewer:
    """Who is asking, and whether they are cleared to see protected identities."""

    name: str
    cleared: bool = False


ANONYMOUS = Viewer(name="anonymous", cleared=False)
SYSTEM = Viewer(name="system", cleared=True)


def redact_person(props: dict[str, Any], viewer: Viewer) -> dict[str, Any]:
    """A person's properties as this viewer may see them."""
    if viewer.cleared or not props.get("protected"):
        return props
    out = dict(props)
    out["name"] = props.get("pseudonym") or "Protected person"
    for key in IDENTIFYING_FIELDS:
        out[key] = [] if key == "aliases" else None
    return out
