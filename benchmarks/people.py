"""A generated fictional list of persons with known duplicates, written in several
Latin spellings and in Arabic script, for measuring duplicate finding (precision and
recall) and its speed. The names are common given and family names put together at
random with invented fathers' names: no record is a real person."""

from __future__ import annotations

import random
from dataclasses import dataclass

from accountability.domain.duplicates import PersonKeys

# Each name: its Latin spellings, then its Arabic form.
FIRST = [
    ("Kareem", "Karim", "كريم"),
    ("Yusuf", "Youssef", "يوسف"),
    ("Hussein", "Husayn", "حسين"),
    ("Omar", "Umar", "عمر"),
    ("Khaled", "Khalid", "خالد"),
    ("Samir", "Sameer", "سمير"),
    ("Tariq", "Tarek", "طارق"),
    ("Nabil", "Nabeel", "نبيل"),
    ("Walid", "Waleed", "وليد"),
    ("Ziad", "Ziyad", "زياد"),
    ("Bassam", "Basam", "بسام"),
    ("Jamil", "Jameel", "جميل"),
    ("Rami", "Ramy", "رامي"),
    ("Fadi", "Fady", "فادي"),
    ("Munir", "Mounir", "منير"),
    ("Rafiq", "Rafik", "رفيق"),
    ("Hadi", "Hady", "هادي"),
    ("Salim", "Saleem", "سليم"),
    ("Adnan", "Adnane", "عدنان"),
    ("Ibrahim", "Ebrahim", "ابراهيم"),
]
FAMILY = [
    ("al-Tahhan", "Tahhan", "الطحان"),
    ("Haddad", "Hadad", "حداد"),
    ("Khoury", "Khouri", "خوري"),
    ("al-Sabbagh", "Sabbagh", "الصباغ"),
    ("Qasimi", "Kasimi", "قاسمي"),
    ("Darwish", "Derwish", "درويش"),
    ("Nasser", "Nasir", "ناصر"),
    ("Haskal", "Haskel", "حسكل"),
    ("Zayani", "Zayyani", "الزياني"),
    ("Qattan", "Kattan", "القطان"),
    ("Rahhal", "Rahal", "رحال"),
    ("Dandan", "Dandane", "دندن"),
    ("Sarraf", "Saraf", "الصراف"),
    ("Mansour", "Mansur", "منصور"),
    ("Daher", "Dahir", "ظاهر"),
    ("Khatib", "Khateeb", "الخطيب"),
    ("Qaddour", "Kaddour", "قدور"),
    ("Nakhleh", "Nakhla", "نخلة"),
    ("Shami", "Chami", "الشامي"),
    ("Halabi", "Halaby", "الحلبي"),
]


# Invented family names on an Arabic pattern (CaCCaC, as Haddad, Sabbagh): a Latin
# spelling with the middle letter doubled, one without, and the Arabic form.
_ROOT_LETTERS = [
    ("b", "ب"), ("t", "ت"), ("d", "د"), ("r", "ر"), ("z", "ز"), ("s", "س"), ("sh", "ش"),
    ("f", "ف"), ("q", "ق"), ("k", "ك"), ("l", "ل"), ("m", "م"), ("n", "ن"), ("j", "ج"),
]  # fmt: skip


def _invented_families(count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    out: dict[str, tuple[str, str, str]] = {}
    while len(out) < count:
        (c1, a1), (c2, a2), (c3, a3) = (rng.choice(_ROOT_LETTERS) for _ in range(3))
        if c1 == c2 or c2 == c3:
            continue
        doubled = f"{c1}a{c2}{c2}a{c3}".capitalize()
        out[doubled] = (doubled, f"{c1}a{c2}a{c3}".capitalize(), f"{a1}{a2}\u0627{a3}")  # alef
    return list(out.values())


@dataclass(frozen=True)
class Generated:
    people: list[PersonKeys]
    #: Pairs of ids (sorted) that are one person.
    same: set[tuple[str, str]]


def generate(
    count: int, duplicate_share: float = 0.2, seed: int = 12, families: int = 600
) -> Generated:
    """``count`` distinct fictional persons (given name, father's and grandfather's
    names, family name, birth year), a share of them listed again once or twice in
    another spelling or in Arabic, with or without the birth year. Given names are few
    (20) and family names many (the 20 above and ``families`` invented ones), as in
    real lists."""
    rng = random.Random(seed)
    family_names = FAMILY + _invented_families(families, rng)
    people: list[PersonKeys] = []
    same: set[tuple[str, str]] = set()
    # Distinct persons have distinct full names (given, father's, grandfather's, family):
    # two records with one full name and one birth year are a duplicate for anyone.
    combos = len(FIRST) ** 3 * len(family_names)
    if count > combos:
        raise ValueError(f"at most {combos} distinct persons")
    for i, n in enumerate(rng.sample(range(combos), count)):
        n, f1 = divmod(n, len(FIRST))
        n, f2 = divmod(n, len(FIRST))
        f4, f3 = divmod(n, len(FIRST))
        first, father, grandfather = FIRST[f1], FIRST[f2], FIRST[f3]
        family = family_names[f4]
        year = rng.randint(1945, 1995)
        base = f"x{i}"
        full = f"{first[0]} {father[0]} {grandfather[0]} {family[0]}"
        people.append(PersonKeys(base, (full,), year, frozenset()))
        if rng.random() >= duplicate_share:
            continue
        ids = [base]
        for copy in range(rng.choice((1, 1, 2))):
            style = rng.choice(("latin", "arabic", "short"))
            known = year if rng.random() < 0.6 else None
            if style == "latin":
                name = f"{first[1]} {father[1]} {grandfather[1]} {family[1]}"
            elif style == "arabic":
                name = f"{first[2]} {father[2]} {grandfather[2]} {family[2]}"
            else:  # without the grandfather's name, as many lists write it
                name = f"{first[rng.choice((0, 1))]} {father[0]} {family[rng.choice((0, 1))]}"
            dup = f"{base}-{copy}"
            people.append(PersonKeys(dup, (name,), known))
            ids.append(dup)
        for a in ids:
            for b in ids:
                if a < b:
                    same.add((a, b))
    rng.shuffle(people)
    return Generated(people, same)
