"""The alarm's short cuts find what the plain ways find: ASCII folded by a table, and a
response whose words hold no form's first word not scanned."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from accountability.domain import search
from accountability.services.protection.alarm import forms_pattern, scan

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)

#: Fictional names, and texts made of them, their parts and everything else ASCII has.
NAMES = ["Karim Abu Saleh", "Noor al-Hadi", "Basmallahson", "Abu Karim", "O'Rourke-Lind"]
PIECES = st.sampled_from(
    [*NAMES, *(w for n in NAMES for w in n.split()), " ", "-", "_", "\n", "é", "Ḥ", ",", "."]
)
ASCII = st.text(alphabet=st.characters(max_codepoint=127))


@settings(max_examples=500, deadline=None)
@given(ASCII)
def test_ascii_folds_as_the_regular_expression_folds(text: str) -> None:
    assert search.fold(text) == " ".join(_NON_WORD.sub(" ", text.lower()).split())


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.one_of(PIECES, ASCII), max_size=12).map("".join),
    st.lists(st.one_of(PIECES, ASCII), max_size=4).map("".join),
    st.sets(st.sampled_from(NAMES), min_size=1),
)
def test_the_scan_finds_what_the_pattern_finds(
    response: str, request: str, names: set[str]
) -> None:
    forms = {search.fold(n) for n in names}
    pattern, first_words = forms_pattern(forms)
    assert pattern is not None
    asked = search.fold(request)
    everything = {m.group(0) for m in pattern.finditer(search.fold(response))}
    assert scan(pattern, first_words, response, request) == sorted(
        f for f in everything if f not in asked
    )


def test_a_name_in_a_response_is_found_and_a_near_miss_is_not() -> None:
    pattern, first_words = forms_pattern({search.fold("Karim Abu Saleh")})
    assert pattern is not None
    assert scan(pattern, first_words, '{"name":"KARIM  abu-Saleh"}', "") == ["karim abu saleh"]
    assert scan(pattern, first_words, '{"name":"Karim Abu Salehi"}', "") == []
    assert scan(pattern, first_words, '{"name":"Karim Abu Saleh"}', "karim abu saleh") == []
