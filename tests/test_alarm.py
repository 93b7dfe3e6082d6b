"""The alarm's short cuts find what the plain ways find: ASCII folded by a table, and
the forms in a response looked for only where its words hold a form's first word, found
as a search for each form finds them."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from accountability.domain import search
from accountability.services.protection.alarm import indexed, scan

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
def test_the_scan_finds_what_a_search_for_each_form_finds(
    response: str, request: str, names: set[str]
) -> None:
    forms = {search.fold(n) for n in names}
    asked = search.fold(request)
    folded = search.fold(response)
    everything = {f for f in forms if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", folded)}
    assert scan(indexed(forms), response, request) == sorted(
        f for f in everything if f not in asked
    )


def test_forms_that_overlap_are_both_found() -> None:
    # "abu karim" ends where "karim abu saleh" begins: a scan that stops at the first
    # form found would miss the second.
    forms = indexed({search.fold("Abu Karim"), search.fold("Karim Abu Saleh")})
    assert scan(forms, "Abu Karim Abu Saleh", "") == ["abu karim", "karim abu saleh"]


def test_a_name_in_a_response_is_found_and_a_near_miss_is_not() -> None:
    forms = indexed({search.fold("Karim Abu Saleh")})
    assert scan(forms, '{"name":"KARIM  abu-Saleh"}', "") == ["karim abu saleh"]
    assert scan(forms, '{"name":"Karim Abu Salehi"}', "") == []
    assert scan(forms, '{"name":"Karim Abu Saleh"}', "karim abu saleh") == []
    assert scan(forms, '{"name":"Abu Karim Saleh"}', "") == []


def test_forms_sharing_a_first_word_are_each_found() -> None:
    # Many protected people may share a first name, and a response mention it often.
    forms = indexed(
        {
            *(search.fold(f"Karim Detainee {n}") for n in range(3000)),
            search.fold("Karim Abu Saleh"),
            search.fold("Karim Abu Saleh Haddad"),
        }
    )
    response = " ".join(["Karim Unit 7,"] * 200 + ["Karim Detainee 2999; Karim Abu Saleh Haddad"])
    assert scan(forms, response, "") == [
        "karim abu saleh",
        "karim abu saleh haddad",
        "karim detainee 2999",
    ]
    # No "Karim Detainee 3000" is protected; the others the caller sent themselves.
    assert scan(forms, response.replace("2999", "3000"), "Karim Abu Saleh Haddad?") == []
