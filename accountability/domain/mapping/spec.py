"""The mapping file: which columns of which files make which nodes and claims.

A mapping is YAML (docs/import.md has the reference); these models validate it once,
before any row is read, so a mistake in the mapping is reported as the mapping's, not as
one error per row."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from accountability.domain.vocabulary import (
    ClaimType,
    Classification,
    Confidence,
    DatePrecision,
    EvidenceKind,
    NodeLabel,
)

Column = Annotated[str, Field(min_length=1)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Spec):
    """True for a row whose ``column`` holds one of ``values`` (compared trimmed and
    case-insensitively: spreadsheets mix "Y", "y" and "yes"); without ``values``, true
    when the cell is not empty."""

    column: Column
    values: list[str] | None = Field(default=None, min_length=1)


class Value(_Spec):
    """Where one value comes from: a column or a literal, then split, mapped, parsed."""

    column: Column | None = None
    literal: Any = None
    #: Cut the cell on this separator into a list (aliases, evidence ids).
    split: str | None = None
    #: A fixed vocabulary: cell text (trimmed, case-insensitive) to the stored value.
    #: A cell not in it is an error unless ``default`` is given.
    map: dict[str, Any] | None = None
    default: Any = None
    #: How to read the cell: text as is, an integer, a number, yes/no, or a date.
    type: Literal["text", "int", "float", "bool", "date"] = "text"
    #: strptime formats tried in order for ``type: date``; ISO dates and partial dates
    #: (2012, 2012-11) are always understood.
    formats: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_source(self) -> Value:
        if (self.column is None) == (self.literal is None):
            raise ValueError("give exactly one of column and literal")
        return self


def _value(raw: Any) -> Any:
    """A bare string is a column; a bare non-string is a literal (``kind: brigade`` would
    be ambiguous, so literal text is written ``{literal: brigade}``)."""
    if isinstance(raw, str):
        return {"column": raw}
    if raw is None or isinstance(raw, bool | int | float):
        return {"literal": raw}
    return raw


class IdSpec(_Spec):
    """A node's id taken from a column (with a prefix, so that ids of several sources
    never collide)."""

    column: Column
    prefix: str = ""


class EntitySpec(_Spec):
    """A node made from each row (rows with the same key make one node)."""

    #: The handle claims use to name this entity's node of the row.
    name: Annotated[str, Field(min_length=1)]
    label: NodeLabel
    #: Columns whose values, together, identify the node: its id is derived from them
    #: (stable: the same values give the same id in every run).
    key: list[Column] = Field(default_factory=list)
    id: IdSpec | None = None
    properties: dict[str, Value] = Field(default_factory=dict)
    #: Rows where this holds make the node; others leave it out.
    when: Condition | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("properties"), dict):
            data = {**data, "properties": {k: _value(v) for k, v in data["properties"].items()}}
        if isinstance(data, dict) and isinstance(data.get("key"), str):
            data = {**data, "key": [data["key"]]}
        return data

    @model_validator(mode="after")
    def _identified(self) -> EntitySpec:
        if not self.key and self.id is None:
            raise ValueError(f"entity {self.name!r} needs a key or an id column")
        return self


class EndSpec(_Spec):
    """One end of a claim: an entity of the same row, or a node of any file by key."""

    entity: str
    #: This row's columns holding the other entity's key (in the order of its key), when
    #: it is made from another file or another column; omitted: the entity of this row.
    key: list[Column] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"entity": data}
        if isinstance(data, dict) and isinstance(data.get("key"), str):
            return {**data, "key": [data["key"]]}
        return data


class DateSpec(_Spec):
    """A claim's start or end date: a full or partial date read from a column. A partial
    date widens to its whole month or year (a start to its first day, an end to its
    last)."""

    column: Column
    formats: list[str] = Field(default_factory=list)
    #: SFM's "open-ended" flag: when it holds, the claim has no end (valid_to null).
    open_when: Condition | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"column": data} if isinstance(data, str) else data


class PrecisionSpec(_Spec):
    """``exact`` or ``approximate`` for every row, or ``exact`` when one of the flags
    holds (SFM's "first cited date is the real start", "last cited date is the end"). A
    partial date always makes the claim approximate."""

    value: DatePrecision = DatePrecision.APPROXIMATE
    exact_when: list[Condition] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"value": data} if isinstance(data, str) else data


class ConfidenceSpec(_Spec):
    """A fixed confidence, or one read from columns through ``map``; with several
    columns the weakest wins (a claim is as strong as its weakest part). A column the
    file lacks, or an empty cell, counts as not given: all not given, ``default``."""

    value: Confidence | None = None
    columns: list[Column] = Field(default_factory=list)
    map: dict[str, Confidence] = Field(default_factory=dict)
    #: For an empty cell.
    default: Confidence = Confidence.LOW

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"value": data}
        if isinstance(data, dict) and isinstance(data.get("column"), str):
            rest = {k: v for k, v in data.items() if k != "column"}
            return {**rest, "columns": [data["column"], *rest.get("columns", [])]}
        return data


class EvidenceSpec(_Spec):
    """What supports each claim: ids of Evidence items in a column, and/or the dataset
    item made for the file."""

    column: Column | None = None
    split: str | None = ";"
    #: Put before each id of the column (the prefix the Evidence entity's ids carry).
    prefix: str = ""
    dataset: bool = True


class TypeSpec(_Spec):
    """A claim type read from a column through a vocabulary (``Commander: COMMANDED``)."""

    column: Column
    map: dict[str, ClaimType]
    default: ClaimType | None = None


class ClaimSpec(_Spec):
    type: ClaimType | TypeSpec
    #: The two ends (entity handles, or references by key).
    from_: EndSpec = Field(alias="from")
    to: EndSpec
    valid_from: DateSpec | None = None
    valid_to: DateSpec | None = None
    precision: PrecisionSpec = Field(default_factory=PrecisionSpec)
    confidence: ConfidenceSpec = Field(default_factory=lambda: ConfidenceSpec(value=None))
    evidence: EvidenceSpec = Field(default_factory=EvidenceSpec)
    #: Claim-specific properties (rank and title of a MEMBER_OF, role of a POSTED_AT).
    properties: dict[str, Value] = Field(default_factory=dict)
    #: Take the claim's id from a column (with a prefix) instead of deriving it.
    id: IdSpec | None = None
    #: Rows where this holds make the claim; others make none.
    when: Condition | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("properties"), dict):
            data = {**data, "properties": {k: _value(v) for k, v in data["properties"].items()}}
        return data


class FileSpec(_Spec):
    """Which input files a block reads (a glob on the file's name) and what rows make."""

    match: Annotated[str, Field(min_length=1)]
    #: The worksheet of an XLSX file (the first one when not given).
    sheet: str | None = None
    entities: list[EntitySpec] = Field(default_factory=list)
    claims: list[ClaimSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _handles(self) -> FileSpec:
        names = [e.name for e in self.entities]
        if len(set(names)) != len(names):
            raise ValueError("two entities share a name")
        return self


class DatasetSpec(_Spec):
    """The Evidence item made for each imported file, which every claim from it cites."""

    title: Annotated[str, Field(min_length=1)]
    source: str | None = None
    kind: EvidenceKind = EvidenceKind.DATASET
    classification: Classification = Classification.CONFIDENTIAL
    reliability: Annotated[str, Field(pattern=r"^[A-F]$")] | None = None
    credibility: int | None = Field(default=None, ge=1, le=6)


class Mapping(_Spec):
    """A whole mapping file."""

    version: Literal[1] = 1
    #: Put into every derived id, so that two mappings keyed on the same columns (two
    #: teams' "person_no") do not make the same ids.
    namespace: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")]
    dataset: DatasetSpec | None = None
    files: list[FileSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _labels_agree(self) -> Mapping:
        # A handle names one kind of node in every block, so that a key given in one
        # file reaches the node made in another.
        labels: dict[str, NodeLabel] = {}
        schemes: dict[str, tuple[str | None, int]] = {}
        for block in self.files:
            for entity in block.entities:
                if labels.setdefault(entity.name, entity.label) is not entity.label:
                    raise ValueError(f"entity {entity.name!r} has two labels")
                scheme = (entity.id.prefix, 1) if entity.id else (None, len(entity.key))
                if schemes.setdefault(entity.name, scheme) != scheme:
                    raise ValueError(
                        f"entity {entity.name!r} is identified two ways (every block must "
                        "give it the same id prefix, or keys of the same length)"
                    )
        for block in self.files:
            local = {e.name for e in block.entities}
            for claim in block.claims:
                for end in (claim.from_, claim.to):
                    if end.entity not in labels:
                        raise ValueError(f"a claim names an unknown entity {end.entity!r}")
                    width = schemes[end.entity][1]
                    if end.key and len(end.key) != width:
                        raise ValueError(
                            f"a claim gives {len(end.key)} key columns for entity "
                            f"{end.entity!r}, whose key has {width}"
                        )
                    if not end.key and end.entity not in local:
                        raise ValueError(
                            f"a claim names entity {end.entity!r}, which this block does not "
                            "make: give the columns of its key"
                        )
        return self

    def labels(self) -> dict[str, NodeLabel]:
        return {e.name: e.label for block in self.files for e in block.entities}
