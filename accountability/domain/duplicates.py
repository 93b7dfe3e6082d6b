"""Duplicate persons: records that may name one person in other spellings or scripts
("Kareem al-Tahhan", "Karim Tahhan", "كريم الطحان"). Pure: the service reads the
records and says who may see which pair.

Names are compared in the forms the search keys use (domain/search.py: folded, Arabic
letter variants unified, transliterated), with articles dropped, on two measures: the
Latin spelling (Jaro-Winkler) and the consonant skeleton (Levenshtein), which is what a
transliteration from Arabic keeps. Records are blocked on skeleton keys, so that only
records sharing a first and a last name skeleton are compared: the work grows with the
records, not with their square."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from anyascii import anyascii
from rigour.text.distance import jaro_winkler, levenshtein_similarity

from accountability.domain.search import fold

#: Articles spellings put in or leave out ("al-Tahhan", "Tahhan", "el-Tahhan").
_ARTICLES = frozenset({"al", "el", "ul", "il"})
_ARABIC_ARTICLE = "ال"
#: A block larger than this is compared only within its records' whole skeletons: the
#: commonest first and last names would otherwise make the work quadratic.
MAX_BLOCK = 400
#: A block this small is compared pair by pair, whatever the birth years.
SMALL_BLOCK = 40
#: The score from which a pair is proposed.
THRESHOLD = 0.9


@dataclass(frozen=True)
class PersonKeys:
    """What duplicate finding compares of one person record."""

    id: str
    names: tuple[str, ...]
    birth_year: int | None = None
    units: frozenset[str] = frozenset()
    facilities: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Word:
    latin: str  # the word in Latin letters, folded
    #: Consonants with w kept, a Latin u/ou/oo read as one (Arabic writes a long u as
    #: و): tells Mahmoud (mhmwd) from Muhammad (mhmd), and matches Khouri to خوري.
    with_w: str
    #: Consonants with w and y read as vowels too: Hussein and حسين alike.
    bare: str


@dataclass(frozen=True)
class _Form:
    words: tuple[_Word, ...]
    vowelled: bool  # written in Latin letters (a transliteration of Arabic has no vowels)

    @property
    def skeleton(self) -> str:
        return "".join(w.bare for w in self.words)


@dataclass(frozen=True)
class Candidate:
    """A pair that may be one person: ``a`` < ``b`` by id."""

    a: str
    b: str
    score: float
    reasons: tuple[str, ...] = field(default=())


_VOWELS = re.compile(r"[aeiouwy]")
_VOWELS_BUT_W = re.compile(r"[aeiouy]")  # a u still there is short: Umar
# Not at the start of a word: the u of Umar is short (عمر), the ou of Mounir long (منير).
_LONG_U = re.compile(r"(?<=\w)(?:ou|oo|u)")
# A doubled letter, digraphs too (Rashshan, Rashan and رشان are one name).
_REPEATS = re.compile(r"(sh|kh|gh|th|dh|.)\1+")


def _consonants(word: str, keep_w: bool = False) -> str:
    return _REPEATS.sub(r"\1", (_VOWELS_BUT_W if keep_w else _VOWELS).sub("", word))


def _word(raw: str, vowelled: bool) -> _Word | None:
    arabic_article = raw.startswith(_ARABIC_ARTICLE) and len(raw) > 3
    word = raw[len(_ARABIC_ARTICLE) :] if arabic_article else raw
    latin = fold(anyascii(word)).replace(" ", "")
    if not latin or latin in _ARTICLES:
        return None
    # Spellings of one sound: q and k (ق), ch and sh (French transliteration); a final
    # h of a feminine ending (Nakhleh, Nakhla, and in Arabic script a final U+0647,
    # which folding made of the ta marbuta).
    spoken = latin.replace("q", "k").replace("ch", "sh")
    feminine = word.endswith("\u0647") if not vowelled else spoken[-2:] in ("ah", "eh")
    if len(spoken) > 3 and feminine:
        spoken = spoken[:-1]
    spelled = _LONG_U.sub("w", spoken) if vowelled else spoken
    return _Word(latin, _consonants(spelled, keep_w=True), _consonants(spoken))


@lru_cache(maxsize=1 << 18)
def name_form(name: str) -> _Form | None:
    """The comparable form of one name (None: no letters)."""
    folded = fold(name)
    vowelled = folded.isascii()
    words = tuple(w for w in (_word(w, vowelled) for w in folded.split()) if w and w.bare)
    return _Form(words, vowelled) if words else None


def _forms(person: PersonKeys) -> list[_Form]:
    return [f for f in (name_form(n) for n in person.names) if f is not None]


def block_keys(person: PersonKeys) -> set[tuple[str, str]]:
    """Keys of the blocks a record is compared in: first and last word skeletons of each
    of its names, in both orders (a list may put the family name first)."""
    keys: set[tuple[str, str]] = set()
    for form in _forms(person):
        tokens = [w.bare for w in form.words]
        if len(tokens) >= 2:
            first, last = tokens[0], tokens[-1]
            keys.add((min(first, last), max(first, last)))
            # Compound first names are written as one word or three ("Abdulrahman",
            # "Abd al-Rahman"): the last word and the first letter find them.
            keys.add((last, first[:1] + "*"))
        else:
            keys.add((tokens[0], ""))
    return keys


def _alike(a: _Word, b: _Word, latin: bool) -> float:
    """How alike two words are: the same consonants make them one name spelled two
    ways; otherwise, in Latin letters, how close the spellings are."""
    if a.with_w == b.with_w:
        return 1.0
    if latin:
        # Vowels written both sides: the same consonants are one name (Yusuf, Youssef;
        # also Mohammed and Mahmoud, which a birth year or a judgement tells apart).
        return 1.0 if a.bare == b.bare else jaro_winkler(a.latin, b.latin)
    if a.bare == b.bare:
        return 0.93  # only with w read as a vowel: Hussein and حسين, Mahmoud and محمد
    return 0.8 * levenshtein_similarity(a.with_w, b.with_w)


def _alignments(
    short: tuple[_Word, ...], long: tuple[_Word, ...]
) -> Iterator[list[tuple[_Word, _Word]]]:
    """The ways a name that leaves out words (a grandfather's name) lines up with a
    longer one: first with first, last with last, the others in order."""
    middle = range(1, len(long) - 1)
    for picked in combinations(middle, len(short) - 2):
        indexes = [0, *picked, len(long) - 1]
        yield [(short[i], long[j]) for i, j in enumerate(indexes)]


def _form_similarity(a: _Form, b: _Form) -> tuple[float, str]:
    latin = a.vowelled and b.vowelled
    if len(a.words) == len(b.words):
        options = [list(zip(a.words, b.words, strict=True))]
        missing = 0.0
    elif min(len(a.words), len(b.words)) < 2:
        return 0.0, ""
    else:
        short, long = (a.words, b.words) if len(a.words) < len(b.words) else (b.words, a.words)
        options = list(_alignments(short, long))
        missing = 0.03
    best = 0.0
    for pairs in options:
        # A name is as alike as its least alike word.
        words = min(_alike(x, y, latin) for x, y in pairs)
        whole = levenshtein_similarity(
            "".join(x.bare for x, _ in pairs), "".join(y.bare for _, y in pairs)
        )
        best = max(best, 0.7 * words + 0.3 * whole - missing)
    if latin and a.words == b.words:
        how = "same spelling"
    elif latin:
        how = "spellings alike"
    else:
        how = "alike across scripts"
    return best, how + ("; a name left out" if missing else "")


def name_similarity(a: PersonKeys, b: PersonKeys) -> tuple[float, str]:
    """How alike the two records' names are (the best pair of their names and aliases),
    and in what way."""
    best, why = 0.0, ""
    for fa in _forms(a):
        for fb in _forms(b):
            score, how = _form_similarity(fa, fb)
            if score > best:
                best, why = score, how
    return best, why


def score_pair(a: PersonKeys, b: PersonKeys) -> Candidate | None:
    """The pair as a candidate, with its score and reasons, or None when too unlike."""
    names, how = name_similarity(a, b)
    if names < 0.8:
        return None
    score = names
    reasons = [f"names {names:.2f}: {how}"]
    if a.birth_year is not None and b.birth_year is not None:
        gap = abs(a.birth_year - b.birth_year)
        if gap == 0:
            score += 0.05
            reasons.append("same birth year")
        elif gap <= 1:
            reasons.append("birth years a year apart")
        else:
            score -= 0.3
            reasons.append(f"birth years {gap} years apart")
    shared_units = len(a.units & b.units)
    shared_places = len(a.facilities & b.facilities)
    if shared_units:
        score += min(0.04 * shared_units, 0.08)
        reasons.append(f"{shared_units} shared unit(s)")
    if shared_places:
        score += min(0.04 * shared_places, 0.08)
        reasons.append(f"{shared_places} shared facilit(ies)")
    score = round(min(score, 1.0), 3)
    if score < THRESHOLD:
        return None
    first, second = sorted((a.id, b.id))
    return Candidate(first, second, score, tuple(reasons))


def _all_pairs(group: list[PersonKeys]) -> Iterator[tuple[PersonKeys, PersonKeys]]:
    for i, a in enumerate(group):
        for b in group[i + 1 :]:
            yield a, b


def _pairs(block: list[PersonKeys]) -> Iterator[tuple[PersonKeys, PersonKeys]]:
    """The pairs of a block worth scoring. In a large block (a common first and family
    name), records whose birth years are two or more years apart are not compared (the
    score would refuse them anyway), and records without a year are compared with all
    only while they are few; beyond that, within their whole-name skeletons."""
    if len(block) <= SMALL_BLOCK:
        yield from _all_pairs(block)
        return
    by_year: dict[int, list[PersonKeys]] = defaultdict(list)
    unknown: list[PersonKeys] = []
    for person in block:
        (unknown if person.birth_year is None else by_year[person.birth_year]).append(person)
    for year, group in by_year.items():
        yield from _all_pairs(group)
        for other in by_year.get(year + 1, []):
            for person in group:
                yield person, other
    if len(unknown) * len(block) <= MAX_BLOCK * MAX_BLOCK:
        known = [p for group in by_year.values() for p in group]
        yield from _all_pairs(unknown)
        for a in unknown:
            for b in known:
                yield a, b
        return
    finer: dict[str, list[PersonKeys]] = defaultdict(list)
    for person in block:
        for form in _forms(person):
            finer[form.skeleton].append(person)
    for group in finer.values():
        if any(p.birth_year is None for p in group):
            yield from _all_pairs(list({p.id: p for p in group}.values())[:MAX_BLOCK])


def find_candidates(
    people: Iterable[PersonKeys], excluded: frozenset[tuple[str, str]] = frozenset()
) -> list[Candidate]:
    """Every candidate pair, best first; ``excluded`` pairs (judged different) are left
    out."""
    blocks: dict[tuple[str, str], list[PersonKeys]] = defaultdict(list)
    for person in people:
        for key in block_keys(person):
            blocks[key].append(person)
    seen: set[tuple[str, str]] = set()
    out: list[Candidate] = []
    for block in blocks.values():
        for a, b in _pairs(block):
            pair = (a.id, b.id) if a.id < b.id else (b.id, a.id)
            if a.id == b.id or pair in seen or pair in excluded:
                continue
            seen.add(pair)
            found = score_pair(a, b)
            if found is not None:
                out.append(found)
    out.sort(key=lambda c: (-c.score, c.a, c.b))
    return out
