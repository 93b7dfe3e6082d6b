"""The legal provisions each element of liability rests on (docs/legal-elements.md
cites them and says what was relied on): kept apart from the rules that set statuses."""

from __future__ import annotations

from accountability.domain.liability import Mode
from accountability.domain.vocabulary import IncidentKind

#: The provisions each element rests on (docs/legal-elements.md cites them).
BASES: dict[tuple[Mode | None, str], str] = {
    (Mode.SUPERIOR_RESPONSIBILITY, "EFFECTIVE_CONTROL"): (
        "Rome Statute art. 28(a); ICTY Statute art. 7(3) (effective command and control)"
    ),
    (Mode.SUPERIOR_RESPONSIBILITY, "KNOWLEDGE"): (
        "Rome Statute art. 28(a)(i) (knew or should have known) and 28(b)(i) (knew or "
        "consciously disregarded information); ICTY Statute art. 7(3) (knew or had reason "
        "to know)"
    ),
    (Mode.SUPERIOR_RESPONSIBILITY, "FAILURE_TO_ACT"): (
        "Rome Statute art. 28(a)(ii) (failed to take all necessary and reasonable measures "
        "to prevent or repress, or to submit the matter for investigation)"
    ),
    (Mode.AIDING_ABETTING, "ASSISTANCE"): (
        "Rome Statute art. 25(3)(c) (aids, abets or otherwise assists); ICTY Statute art. 7(1)"
    ),
    (Mode.AIDING_ABETTING, "KNOWLEDGE"): (
        "Rome Statute art. 25(3)(c) (for the purpose of facilitating) and art. 30; "
        "ICTY Statute art. 7(1) (knowledge that the acts assist the crime)"
    ),
    (Mode.ORDERING, "AUTHORITY"): "Rome Statute art. 25(3)(b); ICTY Statute art. 7(1)",
    (Mode.ORDERING, "ORDER"): "Rome Statute art. 25(3)(b) (orders, solicits or induces)",
    (Mode.PERPETRATION, "CONDUCT"): "Rome Statute art. 25(3)(a) (commits such a crime)",
    (None, "CONTEXT"): (
        "Rome Statute art. 7(1) and 7(2)(a); Elements of Crimes, art. 7, introduction and "
        "last two elements (widespread or systematic attack directed against civilians)"
    ),
}

#: The underlying act of a crime against humanity, by incident kind.
CRIME_CONDUCT: dict[IncidentKind, str] = {
    IncidentKind.TORTURE: "Elements of Crimes, art. 7(1)(f) (torture), element 1",
    IncidentKind.KILLING: "Elements of Crimes, art. 7(1)(a) (murder), element 1",
    IncidentKind.ENFORCED_DISAPPEARANCE: (
        "Elements of Crimes, art. 7(1)(i) (enforced disappearance), elements 1-2"
    ),
    IncidentKind.SEXUAL_VIOLENCE: (
        "Elements of Crimes, art. 7(1)(g)-1 to -6 (rape, sexual violence), element 1"
    ),
    IncidentKind.ARBITRARY_DETENTION: (
        "Elements of Crimes, art. 7(1)(e) (imprisonment or other severe deprivation of "
        "liberty), element 1"
    ),
    IncidentKind.OTHER: "Rome Statute art. 7(1)(k) (other inhumane acts)",
}

#: Where the victim's custody enters the crime, by incident kind: an element of torture
#: and of imprisonment, the first step of an enforced disappearance, and otherwise the
#: detention context the other acts were committed in (not an element of them).
CUSTODY_BASES: dict[IncidentKind, str] = {
    IncidentKind.TORTURE: (
        "Elements of Crimes, art. 7(1)(f) (torture), element 2 (in the custody or under "
        "the control of the perpetrator); Rome Statute art. 7(2)(e)"
    ),
    IncidentKind.ARBITRARY_DETENTION: (
        "Elements of Crimes, art. 7(1)(e) (imprisonment), element 1 (deprived of physical liberty)"
    ),
    IncidentKind.ENFORCED_DISAPPEARANCE: (
        "Elements of Crimes, art. 7(1)(i) (enforced disappearance), element 1(a)(i) "
        "(arrested, detained or abducted)"
    ),
    IncidentKind.KILLING: "Context of the act: not an element of murder (art. 7(1)(a))",
    IncidentKind.SEXUAL_VIOLENCE: (
        "Context of the act: not an element of art. 7(1)(g); coercive circumstances"
    ),
    IncidentKind.OTHER: "Context of the act (art. 7(1)(k))",
}
