"""Search keys: names folded so that case, accents, Arabic letter variants and
transliteration do not stop a match. Both engines lack a portable full-text
index, so the keys are computed here and stored on the node."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

# Arabic letters that spellings use interchangeably.
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ة": "ه",
        "ـ": None,  # tatweel, a stretching stroke
    }
)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
#: ASCII's non-word characters (all but letters, digits and "_", as ``\w`` has it) to
#: spaces: one table lookup a character instead of a regular expression.
_ASCII_NON_WORD = str.maketrans(
    {c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_")}
)
_VOWELS = re.compile(r"[aeiouy]")
_REPEATS = re.compile(r"(.)\1+")
SEPARATOR = "|"
#: A consonant skeleton shorter than this matches too much to be useful.
MIN_SKELETON = 3


def fold(text: str) -> str:
    """Case-fold, drop accents and Arabic diacritics, unify Arabic letter variants."""
    if text.isascii():
        # The same result, fast: ASCII has no decompositions, combining marks or Arabic
        # letters, and its case-folding is lower-casing. (Whole responses are folded.)
        return " ".join(text.lower().translate(_ASCII_NON_WORD).split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    unified = stripped.translate(_ARABIC_FOLD).casefold()
    return " ".join(_NON_WORD.sub(" ", unified).split())


def skeleton(latin: str) -> str:
    """Consonants only, doubled letters merged: Muhammad, Mohammed and محمد all give 'mhmd'."""
    return " ".join(_REPEATS.sub(r"\1", _VOWELS.sub("", word)) for word in latin.split()).strip()


def forms(text: str) -> list[str]:
    """The folded, transliterated and skeleton forms of one name, without repeats."""
    folded = fold(text)
    latin = fold(anyascii(folded))
    out = [folded, latin]
    sk = skeleton(latin)
    if len(sk.replace(" ", "")) >= MIN_SKELETON:
        out.append(sk)
    return list(dict.fromkeys(f for f in out if f))


def search_text(names: list[str]) -> str:
    """The stored search key of a node: every form of every name, separated."""
    keys: list[str] = []
    for name in names:
        keys.extend(forms(name))
    unique = list(dict.fromkeys(keys))
    return SEPARATOR + SEPARATOR.join(unique) + SEPARATOR if unique else ""


def needles(query: str) -> list[str]:
    """The forms of a search string to look for inside stored keys (any one matching)."""
    return forms(query)


def sort_key(name: str) -> str:
    """A sortable form of a display name."""
    return fold(name)
