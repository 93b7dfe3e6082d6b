"""Mentions of protected persons in free text, and the rendition that replaces them.

A word mentions a protected person when one of its keys (the search folding of
``search.py``: folded Latin form, consonant skeleton, and a metaphone code) equals a
key of a part of one of that person's names. Every key a word can match with is also
in ``text_keys`` of any text holding the word, and every key of a person in
``person_keys``: so the stored texts a newly protected person could be mentioned in
are exactly those whose text keys share a key with that person. Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from anyascii import anyascii
from rigour.names.prefix import remove_person_prefixes
from rigour.text.phonetics import metaphone
from rigour.text.stopwords import is_stopword

from accountability.domain import search

__all__ = [
    "MIN_PART",
    "PARTICLES",
    "WITHHELD",
    "Decision",
    "MaskSet",
    "Masked",
    "Mention",
    "ProtectedName",
    "person_keys",
    "text_keys",
]

#: What replaces a mention that cannot be given one pseudonym with certainty.
WITHHELD = "[withheld]"
#: A name token shorter than this is not searched for on its own (unless the name has
#: nothing longer).
MIN_PART = 3
#: Phonetic codes of short words match almost anything.
_MIN_PHONETIC_WORD = 4
_MIN_PHONETIC_CODE = 3
#: Arabic clitic stripping may leave a two-letter stem.
_MIN_ARABIC_STEM = 2

_SEPARATOR = search.SEPARATOR
_PHONETIC = "p"  # the namespace of the uncertain keys

# Apostrophes join the pieces of one word (Isma'il, O'Brien); a trailing 's is left in
# the text, so a possessive reads "Witness RT-1's".
_APOSTROPHES = "'\u2019\u2018`\u00b4\u02bc\u02bb"
_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"

# Persian letters typed for Arabic ones; ``search.fold`` does not unify them.
_PERSIAN = str.maketrans(
    {
        "\u06a9": "\u0643",  # keheh -> kaf
        "\u06cc": "\u064a",  # farsi yeh -> yeh
        "\u06d5": "\u0647",  # ae -> heh
        "\u06c0": "\u0647",  # heh with yeh above -> heh
        "\u06be": "\u0647",  # heh doachashmee -> heh
        "\u06c1": "\u0647",  # heh goal -> heh
    }
)


def _folded(words: str) -> frozenset[str]:
    return frozenset(search.fold(w) for w in words.split())


#: Particles of names: never a part of a name on their own, and absorbed into a mention.
PARTICLES = _folded(
    "al el ul bin ibn bint ben abu abou umm um abd abdel abdul ould de da del van von "
    "ال بن ابن بنت ابو أبو أم عبد"
)
#: The article assimilated to a sun letter (ar-Rahman, ash-Shami): a particle only when
#: a hyphen or apostrophe ties it to the next word, as plain words they are English.
_ARTICLES = _folded("ad adh an ar as ash at ath az ed en er es esh et ez ud un ur us ut uz")
_HONORIFICS = _folded(
    "mr mrs ms mx miss mister missus dr prof sheikh shaykh shaikh sheik haj hajj hajji hajja "
    "hajjah sayyid sayyida sayed sayyed sayid sayeda sayyeda ustaz ustaza ustadh ustad "
    "madame madam mme mlle mademoiselle doctor professor "
    "السيد السيدة الشيخ الشيخة الحاج الحاجة الدكتور الدكتورة الأستاذ الأستاذة "
    "سيد سيدة شيخ شيخة حاج حاجة دكتور دكتورة أستاذ أستاذة"
)
#: Honorifics that are not also ordinary English words: absorbed even in lower case
#: (a lower-case "miss" or "general" before a name is more likely a verb or adjective).
_UNAMBIGUOUS_HONORIFICS = _folded(
    "mr mrs ms mx dr prof sheikh shaykh shaikh haj hajj hajji hajja hajjah sayyid sayyida "
    "ustaz ustadh madame mme mlle"
)
#: Abbreviations that may be followed by a dot inside a mention ("Dr. Qandeel").
_ABBREVIATIONS = _folded(
    "mr mrs ms mx dr prof mme mlle fr sr hr amb capt col gen lt sgt hon rev st"
)
#: Titles that are never a part of a name, wherever they stand in it.
_TITLES = _folded(
    "mr mrs ms mx miss mister dr prof mme mlle madame madam doctor professor "
    "الدكتور الدكتورة دكتور دكتورة"
)
#: Honorifics that are also common given names and surnames: a leading one stays a part.
_NAME_HONORIFICS = _folded("sayyid sayyida sayed sayyed sayid sayeda sayyeda السيد السيدة سيد سيدة")
#: Words that are never a part of a name: a nickname such as "The Teacher" must not
#: make every "the" a mention.
_FUNCTION_WORDS = _folded(
    "the and for from with into onto upon this that these those "
    "على إلى الى هذا هذه ذلك تلك التي الذي الذين"
)
#: Very common words: matched only by their exact form, never through a skeleton, a
#: phonetic code or a stripped variant ("the" must not mask someone called "Thea").
_STOPWORDS = _folded(
    "a about above after again against all am an and any are as at be because been before "
    "being below between both but by can could did do does doing done down during each few "
    "for from further had has have having he her here hers herself him himself his how i if "
    "in into is it its itself just me more most my myself no nor not now of off on once only "
    "or other our ours ourselves out over own same she should so some such than that the "
    "their theirs them themselves then there these they this those through to too under "
    "until up upon very was we were what when where which while who whom whose why will with "
    "would you your yours yourself yourselves also said says may might must shall one two "
    "three many much any every since via per within without told tells according whether "
    "either neither though although however therefore thus yet still even ever never "
    "في من على الى إلى عن مع هذا هذه ذلك تلك التي الذي الذين هو هي هم هن نحن انا أنا "
    "انت أنت كان كانت كانوا يكون قد لقد لم لن لا ما ماذا متى اين أين كيف ثم او أو ان إن أن "
    "بعد قبل عند حتى كل بين حول ضد خلال منذ غير بعض ايضا أيضا الا إلا لكن بل"
)

# Clitics written together with an Arabic word: conjunctions, prepositions, the
# article, and the first half of a compound name (عبدالله, ابوبكر).
_AR_TEXT_PREFIXES = tuple(search.fold(p) for p in "و ف ب ل ك ال لل عبد ابو أبو ابن".split())
_AR_NAME_PREFIXES = tuple(search.fold(p) for p in "ال عبد ابو أبو ابن".split())
_AR_SUFFIXES = tuple("ه ها هم هن ي ك نا كم".split())
# A name's final ta marbuta (folded to heh) is spelt -a in Latin: زبيدة is Zubaida.
_AR_NAME_SUFFIXES = ("\u0647",)
# The same glue in Latin spelling: Abdulrahman, Altahhan, Abubakr.
_LATIN_PREFIXES = tuple("abdul abdel abdal abdol abdu abd abou abu ibn bint bin al el ul".split())


@dataclass(frozen=True)
class ProtectedName:
    """A protected person: the pseudonym uncleared readers see, and every name."""

    person_id: str
    pseudonym: str
    names: tuple[str, ...]  # the real name and every alias, any script


@dataclass(frozen=True)
class Decision:
    """A cleared reviewer's verdict on an uncertain mention (a form, for one person)."""

    person_id: str
    form: str  # the folded surface form (Mention.form)
    accepted: bool  # True: it is this person; False: it is not


@dataclass(frozen=True)
class Mention:
    """An uncertain mention, listed for a cleared reviewer."""

    start: int  # span in the original text, honorifics and particles included
    end: int
    surface: str  # the original words
    form: str  # the folded name words, the key decisions are stored under
    person_ids: tuple[str, ...]  # sorted


@dataclass(frozen=True)
class Masked:
    """The rendition of a text, and the mentions a cleared reviewer should look at."""

    text: str
    changed: bool
    uncertain: tuple[Mention, ...]


# --- words -------------------------------------------------------------------------


@cache
def _marks() -> str:
    """A character class body: combining marks and invisible format characters.

    Python's ``\\w`` leaves out combining marks (Arabic harakat, a decomposed accent)
    and format characters (soft hyphen, zero-width joiners, direction marks); without
    them "قَنْدِيل" or "Qan\\u00addeel" would fall apart into pieces that match nothing.
    """
    ranges: list[list[int]] = []
    for code in range(0x10000):
        ch = chr(code)
        if unicodedata.category(ch) in {"Mn", "Mc", "Me", "Cf"} and not ch.isalnum():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)


@cache
def _token_re() -> re.Pattern[str]:
    marks = f"[{_marks()}]"
    letter = r"[^\W_]"
    char = f"(?:{letter}|{marks})"
    apostrophe = f"[{re.escape(_APOSTROPHES)}]"
    return re.compile(f"{marks}*{letter}{char}*(?:{apostrophe}{letter}{char}*)*")


@cache
def _gap_re() -> re.Pattern[str]:
    # What may stand between two words of one mention: spaces, hyphens, apostrophes.
    return re.compile(f"\\.?[\\s{re.escape(_HYPHENS + _APOSTROPHES)}{_marks()}]*")


def _tokens(text: str) -> list[tuple[int, int]]:
    """Spans of the words of a text; a trailing possessive 's stays outside the word."""
    out: list[tuple[int, int]] = []
    for m in _token_re().finditer(text):
        start, end = m.span()
        if end - start > 2 and text[end - 1] in "sS" and text[end - 2] in _APOSTROPHES:
            end -= 2
        out.append((start, end))
    return out


def _fold_word(raw: str) -> str:
    # One word: spaces that folding puts for apostrophes and invisible characters go.
    return "".join(search.fold(raw.translate(_PERSIAN)).split())


def _latin(folded: str) -> str:
    return "".join(search.fold(anyascii(folded)).split())


def _is_arabic_char(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\u08a0" <= ch <= "\u08ff"


def _is_arabic(folded: str) -> bool:
    return any(_is_arabic_char(ch) for ch in folded)


def _letters(folded: str) -> int:
    """Letters of a word, in its own script or in Latin, whichever has more (علي is 'ly')."""
    return max(sum(ch.isalpha() for ch in folded), sum(ch.isalpha() for ch in _latin(folded)))


def _pieces(raw: str, *, humps: bool) -> list[str]:
    pieces: list[list[str]] = [[]]
    prev = ""
    for i, ch in enumerate(raw):
        category = unicodedata.category(ch)
        if ch in _APOSTROPHES or category == "Cf":
            pieces.append([])
            prev = ""
            continue
        if category[0] == "M":
            pieces[-1].append(ch)
            continue
        kind = "d" if ch.isdigit() else "a" if _is_arabic_char(ch) else "l"
        split = bool(prev) and kind != prev
        if humps and not split and kind == "l" and ch.isupper() and pieces[-1]:
            last = pieces[-1][-1]
            following = raw[i + 1] if i + 1 < len(raw) else ""
            split = last.islower() or (last.isupper() and following.islower())
        if split:
            pieces.append([])
        pieces[-1].append(ch)
        prev = kind
    return ["".join(p) for p in pieces if p]


def _segments(raw: str) -> list[str]:
    """The pieces of a word written without a space: the sides of an apostrophe or of
    an invisible character, letters and digits, two scripts; and within those, the
    humps of CamelCase. Empty when the word is one piece."""
    coarse = _pieces(raw, humps=False)
    fine = _pieces(raw, humps=True)
    out = dict.fromkeys(coarse if len(coarse) > 1 else [])
    out.update(dict.fromkeys(fine if len(fine) > len(coarse) else []))
    return list(out)


def _arabic_variants(folded: str, *, text_side: bool) -> list[str]:
    prefixes = _AR_TEXT_PREFIXES if text_side else _AR_NAME_PREFIXES
    suffixes = _AR_SUFFIXES if text_side else _AR_NAME_SUFFIXES
    # A variant of a name must be a part in its own right; a text word may be shorter.
    least = _MIN_ARABIC_STEM if text_side else MIN_PART
    out = dict.fromkeys([folded])
    frontier = [folded]
    for _ in range(3):  # و + عبد + ال at most
        found: list[str] = []
        for v in frontier:
            for p in prefixes:
                rest = v[len(p) :]
                if v.startswith(p) and len(rest) >= least and rest not in out:
                    out[rest] = None
                    found.append(rest)
        frontier = found
    for v in list(out):
        for s in suffixes:
            if v.endswith(s) and len(v) - len(s) >= least:
                out[v[: -len(s)]] = None
    return list(out)


def _latin_variants(latin: str, *, text_side: bool) -> list[str]:
    out = dict.fromkeys([latin])
    frontier = [latin]
    for _ in range(2):  # abd + al at most
        found: list[str] = []
        for v in frontier:
            for p in _LATIN_PREFIXES:
                rest = v[len(p) :]
                if v.startswith(p) and len(rest) >= MIN_PART and rest not in out:
                    out[rest] = None
                    found.append(rest)
        frontier = found
    if text_side:
        # A plural or a possessive without its apostrophe: "the Qandeels", "Qandeels".
        for v in list(out):
            if v.endswith("s") and len(v) > MIN_PART:
                out[v[:-1]] = None
    return list(out)


def _variants(raw: str, *, text_side: bool) -> list[str]:
    """Folded forms a word may be read as, the word itself first."""
    form = _fold_word(raw)
    if not any(ch.isalpha() for ch in form):
        return []
    least = 2 if text_side else MIN_PART
    bases = [form]
    bases += [s for s in map(_fold_word, _segments(raw)) if _letters(s) >= least]
    out: dict[str, None] = {}
    for base in bases:
        if _is_arabic(base):
            out.update(dict.fromkeys(_arabic_variants(base, text_side=text_side)))
        else:
            out.update(dict.fromkeys(_latin_variants(_latin(base) or base, text_side=text_side)))
    return list(out)


@lru_cache(maxsize=1 << 16)
def _keys(variant: str) -> tuple[str, ...]:
    """x: (exact Latin form) and s: (skeleton) keys, certain; p: (metaphone), not."""
    latin = _latin(variant) or variant  # a script anyascii cannot spell keeps its letters
    keys = [f"x:{latin}"]
    sk = search.skeleton(latin)
    if len(sk) >= search.MIN_SKELETON:
        keys.append(f"s:{sk}")
    if len(latin) >= _MIN_PHONETIC_WORD and latin.isascii():
        code = metaphone(latin)
        if len(code) >= _MIN_PHONETIC_CODE:
            keys.append(f"p:{code}")
    return tuple(keys)


@lru_cache(maxsize=1 << 14)
def _is_stopword(folded: str) -> bool:
    return folded in _STOPWORDS or is_stopword(folded)


@lru_cache(maxsize=1 << 14)
def _is_honorific(folded: str) -> bool:
    if folded in _HONORIFICS:
        return True
    if _is_arabic(folded):
        # والسيد, للشيخ: a conjunction or preposition before the title
        return folded[:1] in "وفبلك" and folded[1:] in _HONORIFICS
    # rigour's list of person prefixes (Captain, Lord, Sir, ...), less the article
    return folded != "the" and folded.isalpha() and remove_person_prefixes(f"{folded} x") == "x"


@dataclass(frozen=True, slots=True)
class _Word:
    """What one word of a text can match, and how it binds to its neighbours."""

    form: str  # folded: the key decisions are stored under
    primary: str  # x: key of the word itself
    keys: tuple[str, ...]  # every key of every variant (text_keys)
    match_keys: tuple[str, ...]  # the keys it may match with (fewer for stopwords)
    lower: bool  # all lower-case in a cased script: a name would be capitalised
    joiner: bool  # particle or honorific: absorbed into a mention
    article: bool  # ar-, ash-: a particle when hyphenated to the next word
    dot: bool  # an abbreviation or an initial may be followed by a dot
    initial: str  # the letter of a single-letter word


_NO_KEYS: tuple[str, ...] = ()


@lru_cache(maxsize=1 << 16)
def _word(raw: str) -> _Word:
    form = _fold_word(raw)
    variants = _variants(raw, text_side=True)
    arabic = _is_arabic(form)
    honorific = _is_honorific(form) and (
        arabic or raw[:1].isupper() or form in _UNAMBIGUOUS_HONORIFICS
    )
    initial = form if len(form) == 1 and form.isascii() and form.isalpha() else ""
    keys: dict[str, None] = {}
    match: dict[str, None] = {}
    for v in variants:
        vkeys = _keys(v)
        keys.update(dict.fromkeys(vkeys))
        # a stopword variant matches only by its exact form
        match.update(dict.fromkeys(vkeys[:1] if _is_stopword(v) else vkeys))
    primary = _keys(variants[0])[0] if variants else ""
    if variants and _is_stopword(variants[0]):
        # a stopword is a mention only when it is a part exactly ("an exact x: match
        # always masks"), not through its variants
        match = {primary: None}
    return _Word(
        form=form,
        primary=primary,
        keys=tuple(keys) if keys else _NO_KEYS,
        match_keys=tuple(match) if match else _NO_KEYS,
        lower=raw == raw.lower() and raw != raw.upper(),
        joiner=form in PARTICLES or honorific,
        article=form in _ARTICLES,
        dot=bool(initial) or form in _ABBREVIATIONS,
        initial=initial,
    )


# --- names -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Part:
    pid: str  # folded form, identifies the part within its name
    primary: str  # x: key of the part itself
    keys: tuple[str, ...]


def _not_a_part(form: str) -> bool:
    return form in PARTICLES or form in _FUNCTION_WORDS or form in _TITLES


@lru_cache(maxsize=1 << 15)
def _part(raw: str) -> _Part:
    variants = _variants(raw, text_side=False)
    # a stripped variant that is a particle or a title would mask every "Dr" or "Abu"
    kept = variants[:1] + [v for v in variants[1:] if not (_not_a_part(v) or _is_honorific(v))]
    keys: dict[str, None] = {}
    for v in kept:
        keys.update(dict.fromkeys(_keys(v)))
    return _Part(pid=_fold_word(raw), primary=_keys(kept[0])[0], keys=tuple(keys))


@lru_cache(maxsize=1 << 15)
def _name_parts(name: str) -> tuple[_Part, ...]:
    """The parts of one name: tokens of 3+ letters that are neither particles nor
    titles; failing those, its shorter tokens (a name is never unmatchable)."""
    raws = [name[a:b] for a, b in _tokens(name)]
    raws = [r for r in raws if any(ch.isalpha() for ch in _fold_word(r))]
    forms = [_fold_word(r) for r in raws]
    lead = 0
    # a leading title is not the name ("Sheikh Kareem"), unless it is also a given name
    while lead < len(forms) and _is_honorific(forms[lead]) and forms[lead] not in _NAME_HONORIFICS:
        lead += 1
    body = list(zip(raws[lead:], forms[lead:], strict=True))
    chosen = [r for r, f in body if _letters(f) >= MIN_PART and not _not_a_part(f)]
    if not chosen:
        chosen = [r for r, f in body if not _not_a_part(f)] or raws
    parts = {p.pid: p for p in map(_part, chosen)}
    return tuple(parts.values())


def person_keys(person: ProtectedName) -> list[str]:
    """Every key of every part of a person's names, to search stored text keys for."""
    keys: set[str] = set()
    for name in person.names:
        for part in _name_parts(name):
            keys.update(part.keys)
    return sorted(keys)


def text_keys(text: str) -> str:
    """Every key of every word of the text, deduplicated, as "|k1|k2|...|"."""
    keys: dict[str, None] = {}
    for a, b in _tokens(text):
        keys.update(dict.fromkeys(_word(text[a:b]).keys))
    return _SEPARATOR + _SEPARATOR.join(keys) + _SEPARATOR if keys else ""


def _decision_form(form: str) -> str:
    return " ".join(_fold_word(form[a:b]) for a, b in _tokens(form))


# --- masking -----------------------------------------------------------------------


class _Hit(NamedTuple):
    """How one word matched one person. Immutable: a word's hits are computed once per
    mask set and shared by every text that holds the word (a name part common to
    thousands of protected persons would otherwise cost thousands of objects a use)."""

    certain: bool
    parts: frozenset[str]


#: How many words' hits a mask set keeps; past it the cache starts again.
_HITS_CACHE = 1 << 15
_MISSING = object()


class MaskSet:
    """The protected names of one version, indexed by key, with the reviewers' verdicts."""

    __slots__ = (
        "_decided",
        "_hits",
        "_index",
        "_initials",
        "_keys",
        "_names",
        "_people",
        "_position",
        "_runs",
    )

    def __init__(
        self,
        people: tuple[ProtectedName, ...],
        index: dict[str, tuple[tuple[int, str, bool], ...]],
        names: tuple[tuple[frozenset[str], ...], ...],
        keys: tuple[tuple[str, ...], ...],
        initials: tuple[frozenset[str], ...],
        decided: dict[str, tuple[tuple[int, bool], ...]],
    ) -> None:
        self._people = people
        self._position = {p.person_id: i for i, p in enumerate(people)}
        self._index = index
        self._names = names
        self._keys = keys
        self._initials = initials
        self._decided = decided
        self._hits: dict[_Word, Mapping[int, _Hit] | None] = {}
        self._runs: dict[
            tuple[tuple[_Word, ...], bool],
            tuple[str | None, tuple[str, ...], frozenset[str]],
        ] = {}

    @classmethod
    def build(cls, people: Sequence[ProtectedName], decisions: Sequence[Decision] = ()) -> MaskSet:
        """Index the parts of every protected name by key, with the reviewers' verdicts."""
        seen: set[str] = set()
        for person in people:
            if person.person_id in seen:
                raise ValueError(f"protected person {person.person_id!r} given twice")
            seen.add(person.person_id)
        index: dict[str, dict[tuple[int, str, bool], None]] = {}
        names: list[tuple[frozenset[str], ...]] = []
        keys: list[tuple[str, ...]] = []
        initials: list[frozenset[str]] = []
        for i, person in enumerate(people):
            own: list[frozenset[str]] = []
            letters: set[str] = set()
            for name in person.names:
                parts = _name_parts(name)
                if parts:
                    own.append(frozenset(p.pid for p in parts))
                for part in parts:
                    for key in part.keys:
                        index.setdefault(key, {})[(i, part.pid, key == part.primary)] = None
                for a, b in _tokens(name):
                    letters.update(_latin(_fold_word(name[a:b]))[:1])
            names.append(tuple(own))
            keys.append(tuple(person_keys(person)))
            initials.append(frozenset(letters))
        position = {p.person_id: i for i, p in enumerate(people)}
        verdicts: dict[tuple[int, str], bool] = {}
        for d in decisions:
            if d.person_id in position:
                at = (position[d.person_id], _decision_form(d.form))
                # of two contradicting verdicts the one that masks wins
                verdicts[at] = verdicts.get(at, False) or d.accepted
        decided: dict[str, list[tuple[int, bool]]] = {}
        for (i, form), accepted in verdicts.items():
            decided.setdefault(form, []).append((i, accepted))
        return cls(
            tuple(people),
            {k: tuple(v) for k, v in index.items()},
            tuple(names),
            tuple(keys),
            tuple(initials),
            {k: tuple(v) for k, v in decided.items()},
        )

    @property
    def empty(self) -> bool:
        """True when no text can have a mention (no person with a name)."""
        return not self._index

    def person_keys(self, person_id: str) -> list[str]:
        """Keys of a person of this set, to search stored text keys for (KeyError if absent)."""
        return list(self._keys[self._position[person_id]])

    def _match(self, word: _Word) -> Mapping[int, _Hit] | None:
        """Every person a word may be part of the name of, and how; never to be changed
        by the caller (it is shared)."""
        cached = self._hits.get(word, _MISSING)
        if cached is not _MISSING:
            return cached  # type: ignore[return-value]
        certain: dict[int, bool] = {}
        parts: dict[int, set[str]] = {}
        for key in word.match_keys:
            entries = self._index.get(key)
            if entries is None:
                continue
            phonetic = key[0] == _PHONETIC
            for person, pid, primary in entries:
                # A lower-case Latin word is certain only if it is the part itself: a
                # name is capitalised, and "homes" only shares a skeleton with Homsi.
                sure = not phonetic and (not word.lower or (primary and key == word.primary))
                if person in parts:
                    parts[person].add(pid)
                    if sure:
                        certain[person] = True
                else:
                    parts[person] = {pid}
                    certain[person] = sure
        if parts and word.form in self._decided:
            # An accepted verdict only settles a person the keys already found: so the
            # keys still tell every text a person can be masked in.
            for person, accepted in self._decided[word.form]:
                if person in parts:
                    if accepted:
                        certain[person] = True
                    else:
                        del parts[person]
        hits = {p: _Hit(certain[p], frozenset(ps)) for p, ps in parts.items()} or None
        if len(self._hits) >= _HITS_CACHE:
            self._hits.clear()
        self._hits[word] = hits
        return hits

    def mask(self, text: str, *, names_only: bool = False) -> Masked:
        """The rendition of a text, each mention of a protected person replaced."""
        # names_only is for the name of an unprotected entity: a surname shared with a
        # relative is no mention there, only a whole name is (withheld and listed, as it
        # may be a duplicate record of the protected person).
        if not self._index or not text:
            return Masked(text, False, ())
        spans = _tokens(text)
        words = [_word(text[a:b]) for a, b in spans]
        hits: list[Mapping[int, _Hit] | None] = [
            self._match(w) if w.match_keys else None for w in words
        ]
        if not any(hits):
            return Masked(text, False, ())
        gap = _gap_re()

        def tied(i: int) -> bool:
            """Whether word i and word i+1 may belong to one mention."""
            between = text[spans[i][1] : spans[i + 1][0]]
            if between.startswith(".") and not words[i].dot:
                return False
            return gap.fullmatch(between) is not None

        def joins(i: int) -> bool:
            w = words[i]
            if w.joiner:
                return True
            # ar-Rahman: the article is tied to the name by a hyphen or an apostrophe
            return w.article and spans[i][1] < len(text) and text[spans[i][1]] in _HYPHENS

        out: list[str] = []
        uncertain: list[Mention] = []
        modified: set[int] = set()
        pos = 0
        i, n = 0, len(spans)
        while i < n:
            first = hits[i]
            if first is None:
                i += 1
                continue
            members = [i]
            common = set(first)
            while True:
                k = members[-1] + 1
                while k < n and hits[k] is None and joins(k) and tied(k - 1):
                    k += 1
                nxt = hits[k] if k < n else None
                if nxt is None or not tied(k - 1) or not common & nxt.keys():
                    break
                common &= nxt.keys()
                members.append(k)
            form = " ".join(words[m].form for m in members)
            verdicts = self._decided.get(form, ()) if len(members) > 1 else ()
            rejected = {p for p, accepted in verdicts if not accepted and p in common}
            if rejected:
                # Not this person: the words are read again without them (one of them
                # may still be someone else's name on its own).
                for m in members:
                    left = hits[m]
                    if left is not None:
                        hits[m] = {p: h for p, h in left.items() if p not in rejected} or None
                        modified.add(m)
                continue
            i = members[-1] + 1
            # What a run of words resolves to depends only on its words (their hits are
            # the mask set's own, unless a rejection above changed them): a text naming
            # a common part again and again is resolved once.
            key = (tuple(words[m] for m in members), names_only)
            cacheable = modified.isdisjoint(members)
            resolved = self._runs.get(key) if cacheable else None
            if resolved is None:
                found = [h for h in (hits[m] for m in members) if h is not None]
                resolved = self._resolve(common, found, verdicts, names_only)
                if cacheable:
                    if len(self._runs) >= _HITS_CACHE:
                        self._runs.clear()
                    self._runs[key] = resolved
            replacement, ids, letters = resolved
            if replacement is None:
                continue
            start = members[0]
            while start > 0 and hits[start - 1] is None and tied(start - 1):
                # "Ms Qandeel", "al-Tahhan", "Z. Qandeel": a title, a particle or an
                # initial (followed by its dot) is part of the mention
                j = start - 1
                initial = words[j].initial in letters and text[spans[j][1]] == "."
                if not (joins(j) or initial):
                    break
                start = j
            a, b = spans[start][0], spans[members[-1]][1]
            out.append(text[pos:a])
            out.append(replacement)
            pos = b
            if ids:
                uncertain.append(Mention(a, b, text[a:b], form, ids))
        if not out:
            return Masked(text, False, ())
        out.append(text[pos:])
        rendition = "".join(out)
        return Masked(rendition, rendition != text, tuple(uncertain))

    def _resolve(
        self,
        common: set[int],
        found: list[Mapping[int, _Hit]],
        verdicts: tuple[tuple[int, bool], ...],
        names_only: bool,
    ) -> tuple[str | None, tuple[str, ...], frozenset[str]]:
        """What a run of words that may all belong to the names of ``common`` becomes:
        its replacement (None: left as it is), the persons to list for review, and the
        initials of everyone it may name (an initial before it joins the mention)."""
        run = {p: [h[p] for h in found] for p in sorted(common)}
        for p, accepted in verdicts:
            if accepted and p in run:
                run[p] = [hit._replace(certain=True) for hit in run[p]]
        letters = frozenset().union(*(self._initials[p] for p in run))
        if names_only:
            persons = [p for p, hs in run.items() if self._whole_name(p, hs)]
            if not persons:
                return None, (), letters
            replacement = WITHHELD
        else:
            sure = [p for p, hs in run.items() if all(h.certain for h in hs)]
            persons = list(run)
            if len(sure) == 1:
                replacement = self._people[sure[0]].pseudonym or WITHHELD
                persons = []
            else:
                replacement = WITHHELD
        ids = tuple(sorted(self._people[p].person_id for p in persons))
        return replacement, ids, letters

    def _whole_name(self, person: int, hits: list[_Hit]) -> bool:
        present = set().union(*(h.parts for h in hits))
        return any(name <= present for name in self._names[person])
