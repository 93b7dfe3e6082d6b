"""Python values as Cypher literals, for the Cypher script an export hands to a user.

This is the only place where the project writes values into Cypher text, and it exists
for one purpose: a file a user runs on their own database (``cypher-shell -f``) to
recreate an exported subgraph. Statements our service runs never contain values: they
take them as parameters (docs/design.md, "Architecture"). Do not use these functions to
build a query the service sends to a database.

Every literal comes out on one line (control and line-separator characters are
escaped), so a reader can split a script into statements on lines ending in ``;``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

__all__ = ["cypher_date", "cypher_key", "cypher_literal", "cypher_map", "cypher_string"]

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SHORT_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
#: Bidirectional embedding, override and isolate controls: invisible, and able to make
#: a script read differently from what it does ("Trojan Source"), so they are escaped
#: too; the value is unchanged. Joiners (U+200C, U+200D) stay: emoji and Arabic need them.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Control characters, line and paragraph separators, lone surrogates.
_ESCAPED_CATEGORIES = frozenset({"Cc", "Zl", "Zp", "Cs"})


def _needs_escape(ch: str) -> bool:
    return unicodedata.category(ch) in _ESCAPED_CATEGORIES or ch in _BIDI_CONTROLS


def _escape_char(ch: str) -> str:
    short = _SHORT_ESCAPES.get(ch)
    if short is not None:
        return short
    if _needs_escape(ch):
        # Every character escaped here is in the Basic Multilingual Plane.
        return f"\\u{ord(ch):04x}"
    return ch


#: Every character ``_escape_char`` changes, in one class: the short escapes, the
#: categories above (Cc is exactly U+0000-U+001F and U+007F-U+009F, Zl U+2028, Zp U+2029,
#: Cs the surrogates) and the bidirectional controls. A string without any (nearly all)
#: is written as it is, without a call per character.
_ESCAPED = re.compile(r"[\\'\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def cypher_string(value: str) -> str:
    """A string as a single-quoted Cypher literal that always fits on one line."""
    return "'" + _ESCAPED.sub(lambda m: _escape_char(m.group()), value) + "'"


def cypher_date(value: dt.date) -> str:
    """A calendar date as ``date('YYYY-MM-DD')``."""
    if isinstance(value, dt.datetime):
        raise TypeError("an instant is not a date; store it as an ISO-8601 string")
    return f"date('{value.isoformat()}')"


def cypher_key(key: object) -> str:
    """A map key: bare when it is a plain identifier, else backquoted."""
    if not isinstance(key, str):
        raise TypeError(f"a Cypher map key must be a string, not {type(key).__name__}")
    if _PLAIN_KEY.fullmatch(key):
        return key
    # A backquoted name has no escapes but the doubled backquote, so a control character
    # could not be written on one line; parsers decode ``\uXXXX`` even there, so a
    # backslash could change the name; and an empty name is invalid.
    if not key or "\\" in key or any(_needs_escape(ch) for ch in key):
        raise ValueError(f"cannot write {key!r} as a Cypher map key")
    return "`" + key.replace("`", "``") + "`"


def _number(value: int | float) -> str:
    if isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            raise ValueError(f"{value} does not fit a Cypher integer (64 bits)")
        return str(int(value))
    if not math.isfinite(value):
        raise ValueError(f"Cypher has no literal for {value!r}")
    # repr() round-trips and always has a '.' or an exponent, so it stays a float;
    # Cypher's exponent takes no '+'.
    return repr(float(value)).replace("e+", "e")


def cypher_map(value: dict[Any, Any]) -> str:
    """A dict as a Cypher map literal, keys in the dict's order."""
    return "{" + ", ".join(f"{cypher_key(k)}: {cypher_literal(v)}" for k, v in value.items()) + "}"


def cypher_literal(value: Any) -> str:
    """Any supported value (None, bool, int, float, str, date, list, dict) as a literal."""
    if value is None:
        return "null"
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return cypher_string(value)
    if isinstance(value, dt.datetime):
        raise TypeError("an instant is not a date; store it as an ISO-8601 string")
    if isinstance(value, dt.date):
        return cypher_date(value)
    if isinstance(value, list):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return cypher_map(value)
    raise TypeError(f"no Cypher literal for a value of type {type(value).__name__}")
