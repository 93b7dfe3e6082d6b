"""Pure domain rules: validation, search folding, redaction."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from accountability.domain import renditions, search
from accountability.domain.claims import ClaimInput, endpoint_problem
from accountability.domain.export_profiles import ExportProfile, effective_profile
from accountability.domain.masking import MaskSet, ProtectedName
from accountability.domain.nodes import EvidenceProperties, IncidentProperties, PersonProperties
from accountability.domain.redaction import OPERATOR, SYSTEM, Role, Viewer
from accountability.domain.vocabulary import ClaimType, NodeLabel


def test_claim_dates_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match="before valid_from"):
        ClaimInput.model_validate(
            {
                "type": "COMMANDED",
                "from": "a",
                "to": "b",
                "valid_from": "2013-01-01",
                "valid_to": "2012-01-01",
            }
        )


def test_claim_rejects_properties_of_other_types() -> None:
    with pytest.raises(ValidationError, match="'rank' is not allowed on COMMANDED"):
        ClaimInput.model_validate(
            {"type": "COMMANDED", "from": "a", "to": "b", "properties": {"rank": "colonel"}}
        )
    ok = ClaimInput.model_validate(
        {"type": "MEMBER_OF", "from": "a", "to": "b", "properties": {"rank": "colonel"}}
    )
    assert ok.properties == {"rank": "colonel"}


def test_claim_defaults_are_conservative() -> None:
    claim = ClaimInput.model_validate({"type": "VICTIM", "from": "i", "to": "p"})
    assert claim.confidence.value == "low"
    assert claim.date_precision.value == "approximate"


@pytest.mark.parametrize(
    ("claim_type", "start", "end", "ok"),
    [
        (ClaimType.COMMANDED, NodeLabel.PERSON, NodeLabel.UNIT, True),
        (ClaimType.COMMANDED, NodeLabel.UNIT, NodeLabel.UNIT, False),
        (ClaimType.AIDED, NodeLabel.UNIT, NodeLabel.FACILITY, True),
        (ClaimType.AIDED, NodeLabel.PERSON, NodeLabel.PERSON, False),
        (ClaimType.DOCUMENTS, NodeLabel.EVIDENCE, NodeLabel.CASE, True),
        (ClaimType.VICTIM, NodeLabel.PERSON, NodeLabel.INCIDENT, False),
    ],
)
def test_claim_endpoints(claim_type: ClaimType, start: NodeLabel, end: NodeLabel, ok: bool) -> None:
    assert (endpoint_problem(claim_type, start, end) is None) is ok


def test_protected_person_needs_pseudonym() -> None:
    with pytest.raises(ValidationError, match="pseudonym"):
        PersonProperties(name="Fictional Witness", protected=True)


def test_incident_dates_and_evidence_hash() -> None:
    with pytest.raises(ValidationError, match="before start_date"):
        IncidentProperties.model_validate(
            {"kind": "torture", "start_date": "2013-02-01", "end_date": "2013-01-01"}
        )
    with pytest.raises(ValidationError, match="64 lower-case"):
        EvidenceProperties.model_validate({"kind": "photo", "title": "x", "sha256": "abc"})
    with pytest.raises(ValidationError, match="time zone"):
        EvidenceProperties.model_validate(
            {"kind": "photo", "title": "x", "acquired_at": "2020-01-01T10:00:00"}
        )


def test_unknown_property_is_an_error() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        PersonProperties.model_validate({"name": "A", "nmae": "typo"})


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("Muhammad Al-Hassan", "mohammed"),
        ("محمد الحسن", "muhammad"),
        ("محمد الحسن", "Mohamed"),
        ("أحمد", "احمد"),
        ("José Müller", "jose muller"),
        ("Karim HADDAD", "haddad"),
        ("Fatimah", "fatima"),
    ],
)
def test_search_matches_across_spelling(stored: str, query: str) -> None:
    key = search.search_text([stored])
    assert any(n in key for n in search.needles(query)), (key, search.needles(query))


def test_search_does_not_match_unrelated_names() -> None:
    key = search.search_text(["Karim Haddad"])
    assert not any(n in key for n in search.needles("Youssef"))


def test_rendition_of_a_protected_person_holds_only_the_pseudonym() -> None:
    props = {
        "name": "Real Name",
        "aliases": ["Alias"],
        "protected": True,
        "pseudonym": "Witness K-7",
        "birth_year": 1980,
        "nationality": "X",
    }
    rendition = renditions.render_node(NodeLabel.PERSON, props, MaskSet.build([]))
    assert rendition.props["name"] == "Witness K-7"
    stored = repr(rendition.stored(1))
    assert "Real Name" not in stored and "Alias" not in stored and "real name" not in stored
    assert rendition.props["birth_year"] is None
    assert "witness k 7" in rendition.search_text


@pytest.mark.parametrize(
    ("viewer", "requested", "served"),
    [
        (Viewer("v", Role.VIEWER), ExportProfile.COURT, ExportProfile.PUBLIC),
        (Viewer("a", Role.ANALYST), ExportProfile.COURT, ExportProfile.PARTNER),
        (Viewer("i", Role.INVESTIGATOR), ExportProfile.PUBLIC, ExportProfile.PUBLIC),
        (Viewer("p", Role.PROSECUTOR), ExportProfile.COURT, ExportProfile.COURT),
        # the command line without a token: an admin that reads masked
        (OPERATOR, ExportProfile.COURT, ExportProfile.PARTNER),
        (SYSTEM, ExportProfile.COURT, ExportProfile.COURT),
    ],
)
def test_the_export_profile_is_capped_by_clearance(
    viewer: Viewer, requested: ExportProfile, served: ExportProfile
) -> None:
    assert effective_profile(requested, viewer) is served


def test_a_review_item_keeps_a_few_of_the_persons_a_form_may_name() -> None:
    """A surname shared by many protected persons: the record keeps one item a form,
    naming ten of them and how many there are (records stay small at scale)."""
    people = [
        ProtectedName(person_id=f"p{n:03d}", pseudonym=f"W-{n}", names=(f"Zafirah{n} Qadoumi",))
        for n in range(50)
    ]
    masks = MaskSet.build(people)
    text = "the qadoumi file, and the qadoumi report"  # lower case: uncertain
    stored = renditions.render_node(NodeLabel.INCIDENT, {"description": text}, masks).stored(1)
    items = json.loads(stored["review"])
    assert len(items) == 1
    assert items[0]["persons"] == [f"p{n:03d}" for n in range(10)]
    assert items[0]["persons_total"] == 50
