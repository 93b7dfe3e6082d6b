"""FollowTheMoney entities (JSON lines, as Aleph and the ``ftm`` tools write them) read
into interchange records. Entities are checked by the followthemoney library; our own
export (services/exports/ftm.py) reads back to the same records, because its notes and
descriptions ("claim: COMMANDED; confidence: high; date precision: exact …") are read
back here. docs/import.md has the table.

Read:

* Person → Person; Organization and its kinds (PublicBody, Company …) → Unit, or Facility
  when our export marked it "place of detention or abuse"; Address → Facility; Event →
  Incident; Document (and its kinds) → Evidence; Project → Case.
* Membership → MEMBER_OF (SUBORDINATE_TO between two units); Directorship → COMMANDED;
  Employment → POSTED_AT at a facility, MEMBER_OF of a unit; Occupancy → MEMBER_OF of
  the position's organization, titled with the position; Documentation → DOCUMENTS;
  UnknownLink → the claim its role names (operated, detained at, victim …).
* Any other schema is listed, by schema and count, in the report: never dropped silently.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy

from accountability.domain.imports import ImportSource
from accountability.domain.interchange import FORMAT, VERSION
from accountability.domain.mapping.compile import Compiled, Origin
from accountability.domain.vocabulary import (
    CLAIM_ENDPOINTS,
    ClaimType,
    Confidence,
    DatePrecision,
    IncidentKind,
    NodeLabel,
    PersonStatus,
)
from accountability.errors import Problem, ValidationFailed
from accountability.services.ingest.mapping.service import MappingImport, Prepared
from accountability.services.ingest.mapping.tables import InputFile

_ROLE_TYPES = {
    "operated": ClaimType.OPERATED,
    "detained at": ClaimType.DETAINED_AT,
    "occurred at": ClaimType.OCCURRED_AT,
    "victim": ClaimType.VICTIM,
    "perpetrated": ClaimType.PERPETRATED,
    "ordered": ClaimType.ORDERED,
    "aided": ClaimType.AIDED,
    "includes": ClaimType.INCLUDES,
    "documents": ClaimType.DOCUMENTS,
}
#: Link schemata read, with their two ends.
_LINKS = {
    "Membership": ("member", "organization"),
    "Directorship": ("director", "organization"),
    "Employment": ("employee", "employer"),
    "Occupancy": ("holder", "post"),
    "Documentation": ("document", "entity"),
    "UnknownLink": ("subject", "object"),
}
_FACILITY = "place of detention or abuse"
_CLAIM = re.compile(r"(?:^|; )claim: ([A-Z_]+)")
_CONFIDENCE = re.compile(r"(?:^|; )confidence: (high|medium|low)")
_PRECISION = re.compile(r"(?:^|; )date precision: (exact|approximate)")
_DETAIL = re.compile(r"(?:^|; )(rank|title|role|contribution): ([^;]+)")
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


@dataclass
class FtmRead:
    """What a file of entities makes, what it leaves out, and what is wrong in it."""

    compiled: Compiled
    unsupported: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)


def parse_entities(
    files: list[InputFile],
) -> tuple[list[tuple[Origin, EntityProxy]], list[Problem]]:
    """Every line of every file as an FtM entity, checked by the library."""
    out: list[tuple[Origin, EntityProxy]] = []
    problems: list[Problem] = []
    for file in files:
        try:
            text = file.data.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(file.name, f"not UTF-8 text: {exc.reason}"))
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            origin = Origin(file.name, number)
            try:
                raw = json.loads(line)
                proxy = model.get_proxy(raw, cleaned=False)
            except (json.JSONDecodeError, InvalidData, TypeError, AttributeError) as exc:
                problems.append(Problem(str(origin), f"not a FollowTheMoney entity: {exc}"))
                continue
            if not proxy.id:
                problems.append(Problem(str(origin), "the entity has no id"))
                continue
            out.append((origin, proxy))
    return out, problems


def referenced_ids(entities: list[tuple[Origin, EntityProxy]]) -> set[str]:
    """Ids the links name that no entity of the files is: they must be stored."""
    own = {p.id for _, p in entities}
    refs: set[str] = set()
    for _, proxy in entities:
        ends = _LINKS.get(proxy.schema.name)
        if ends:
            refs |= {v for prop in ends for v in proxy.get(prop)}
            refs |= set(proxy.get("proof"))
    return {r for r in refs if r not in own}


def _first(proxy: EntityProxy, prop: str) -> str | None:
    value = proxy.first(prop) if prop in proxy.schema.properties else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def _notes(proxy: EntityProxy) -> list[str]:
    return [n.strip() for n in proxy.get("notes")] if "notes" in proxy.schema.properties else []


def _note(notes: list[str], prefix: str) -> str | None:
    return next((n[len(prefix) :].strip() for n in notes if n.startswith(prefix)), None)


def _vocab(words: str | None, vocabulary: type[IncidentKind] | type[PersonStatus]) -> str | None:
    if not words:
        return None
    value = words.strip().casefold().replace(" ", "_")
    return value if value in {v.value for v in vocabulary} else None


def _day(text: str | None, end: bool) -> tuple[str | None, bool]:
    """An FtM date as a day (a partial one widened to its month or year) and whether it
    was partial."""
    if not text:
        return None, False
    m = _PARTIAL.match(text)
    if m is None:
        return text[:10], False
    year, month = int(m.group(1)), int(m.group(2) or 0)
    if not end:
        return f"{year:04d}-{month or 1:02d}-01", True
    last_month = month or 12
    last = calendar.monthrange(year, last_month)[1]
    return f"{year:04d}-{last_month:02d}-{last:02d}", True


class _Reader:
    def __init__(self, stored: dict[str, NodeLabel]) -> None:
        self.labels: dict[str, NodeLabel] = dict(stored)
        self.nodes: list[dict[str, Any]] = []
        self.claims: list[dict[str, Any]] = []
        self.node_origins: dict[str, Origin] = {}
        self.claim_origins: dict[str, Origin] = {}
        self.positions: dict[str, EntityProxy] = {}
        self.unsupported: Counter[str] = Counter()
        self.problems: list[Problem] = []

    def node(self, origin: Origin, proxy: EntityProxy) -> None:
        schema = proxy.schema
        label: NodeLabel
        props: dict[str, Any]
        if schema.name == "Position":
            self.positions[proxy.id or ""] = proxy  # read through its Occupancy
            return
        if schema.is_a("Person"):
            label, props = NodeLabel.PERSON, self._person(proxy)
        elif schema.is_a("Organization"):
            label, props = self._organization(proxy)
        elif schema.name == "Address":
            label, props = NodeLabel.FACILITY, self._address(proxy)
        elif schema.is_a("Event"):
            label, props = NodeLabel.INCIDENT, self._event(proxy)
        elif schema.is_a("Document"):
            label, props = NodeLabel.EVIDENCE, self._document(proxy)
        elif schema.name == "Project":
            label = NodeLabel.CASE
            props = {"title": _first(proxy, "name"), "status": _first(proxy, "status")}
            notes = _notes(proxy)
            props["jurisdiction"] = _first(proxy, "country") or _note(notes, "jurisdiction:")
        else:
            self.unsupported[schema.name] += 1
            return
        node_id = proxy.id or ""
        self.labels[node_id] = label
        self.node_origins[node_id] = origin
        clean = {k: v for k, v in props.items() if v not in (None, [], "")}
        self.nodes.append({"id": node_id, "label": label.value, "properties": clean})

    @staticmethod
    def _person(proxy: EntityProxy) -> dict[str, Any]:
        notes = _notes(proxy)
        birth = _first(proxy, "birthDate")
        props: dict[str, Any] = {
            "name": _first(proxy, "name"),
            "aliases": list(proxy.get("alias")),
            "birth_year": int(birth[:4]) if birth and birth[:4].isdigit() else None,
            "gender": _first(proxy, "gender") or _note(notes, "gender:"),
            "nationality": _first(proxy, "nationality") or _note(notes, "nationality:"),
            "status": _vocab(_first(proxy, "status"), PersonStatus),
        }
        protection = next((n for n in notes if n.startswith("protected identity")), None)
        if protection is not None:
            props["protected"] = True
            pseudonym = _note([protection], "protected identity; pseudonym:")
            if "the name shown is a pseudonym" in protection:
                pseudonym = props["name"]
            props["pseudonym"] = pseudonym
        return props

    @staticmethod
    def _organization(proxy: EntityProxy) -> tuple[NodeLabel, dict[str, Any]]:
        description = _first(proxy, "description") or ""
        names = {"name": _first(proxy, "name"), "aliases": list(proxy.get("alias"))}
        if description.startswith(_FACILITY):
            coordinates = _note(_notes(proxy), "coordinates:")
            lat = lon = None
            if coordinates and "," in coordinates:
                lat, lon = (float(x) for x in coordinates.split(",", 1))
            return NodeLabel.FACILITY, {
                **names,
                "kind": description.partition(": ")[2] or None,
                "location": _first(proxy, "address"),
                "lat": lat,
                "lon": lon,
            }
        parts = dict(
            p.split(": ", 1) for p in description.split("; ") if ": " in p
        )  # our export's "unit kind: …; parent unit (…): …"
        hint = next((v for k, v in parts.items() if k.startswith("parent unit")), None)
        ours = hint is not None or "unit kind" in parts
        return NodeLabel.UNIT, {
            **names,
            # Another tool's free description is a kind only when it is short.
            "kind": parts.get("unit kind")
            if ours
            else (description if 0 < len(description) <= 100 else None),
            "parent_name_hint": hint,
        }

    @staticmethod
    def _address(proxy: EntityProxy) -> dict[str, Any]:
        lat, lon = _first(proxy, "latitude"), _first(proxy, "longitude")
        place = ", ".join(p for p in (_first(proxy, "city"), _first(proxy, "country")) if p)
        return {
            "name": _first(proxy, "full") or _first(proxy, "name"),
            "kind": "address",
            "location": place or None,
            "lat": float(lat) if lat else None,
            "lon": float(lon) if lon else None,
        }

    @staticmethod
    def _event(proxy: EntityProxy) -> dict[str, Any]:
        kind = _vocab(_first(proxy, "keywords"), IncidentKind) or IncidentKind.OTHER.value
        start = _day(_first(proxy, "startDate"), end=False)[0]
        name = _first(proxy, "name")
        # Our export names an untitled incident "<kind> <start date>".
        generated = f"{kind} {start or ''}".strip()
        return {
            "kind": kind,
            "title": None if name == generated else name,
            "start_date": start,
            "end_date": _day(_first(proxy, "endDate"), end=True)[0],
            "description": _first(proxy, "description"),
        }

    @staticmethod
    def _document(proxy: EntityProxy) -> dict[str, Any]:
        notes = _notes(proxy)
        reliability = _note(notes, "source reliability (Admiralty):")
        credibility = _note(notes, "information credibility (Admiralty):")
        acquired = _note(notes, "acquired at")
        sha = next((n[7:] for n in notes if n.startswith("sha256:")), None)
        return {
            "kind": _note(notes, "evidence kind:") or "document",
            "title": _first(proxy, "title") or _first(proxy, "name") or proxy.id,
            "source": _first(proxy, "publisher"),
            "sha256": sha,
            "acquired_at": acquired,
            "classification": _note(notes, "classification:"),
            "reliability": reliability[:1] if reliability else None,
            "credibility": int(credibility[:1]) if credibility else None,
        }

    def link(self, origin: Origin, proxy: EntityProxy) -> None:
        schema = proxy.schema.name
        ends = _LINKS.get(schema)
        if ends is None:
            return
        source = _first(proxy, ends[0])
        target = _first(proxy, ends[1])
        if schema == "Occupancy":
            position = self.positions.get(target or "")
            target = _first(position, "organization") if position else None
            title = _first(position, "name") if position else None
        description = _first(proxy, "description") or ""
        details = dict(_DETAIL.findall(description))
        roles = list(proxy.get("role")) if "role" in proxy.schema.properties else []
        if source is None or target is None:
            self.problems.append(Problem(str(origin), f"a {schema} without both ends"))
            return
        stated = _CLAIM.search(description)
        claim_type = ClaimType(stated.group(1)) if stated else self._type(schema, roles, target)
        if claim_type is None:
            role = ", ".join(roles) or "none"
            self.problems.append(Problem(str(origin), f"an UnknownLink of unknown role ({role})"))
            return
        props: dict[str, Any] = {}
        if claim_type is ClaimType.MEMBER_OF:
            if schema == "Occupancy":
                props["title"] = title
            elif details:
                props = {k: details.get(k) for k in ("rank", "title")}
            else:
                kept = [r for r in roles if r not in ("member", "subordinate unit")]
                props["title"] = "; ".join(kept) or None
        elif claim_type is ClaimType.POSTED_AT:
            props["command"] = True if "command post" in roles else None
            props["role"] = details.get("role") or next(
                (r for r in roles if r not in ("command post", "posted")), None
            )
        elif claim_type is ClaimType.AIDED:
            props["contribution"] = details.get("contribution")
        start, partial_start = _day(_first(proxy, "startDate"), end=False)
        end, partial_end = _day(_first(proxy, "endDate"), end=True)
        precision = _PRECISION.search(description)
        exact = precision is not None and precision.group(1) == "exact"
        confidence = _CONFIDENCE.search(description)
        claim_id = proxy.id or ""
        self.claim_origins[claim_id] = origin
        self.claims.append(
            {
                "id": claim_id,
                "type": claim_type.value,
                "from": source,
                "to": target,
                "valid_from": start,
                "valid_to": end,
                "date_precision": (
                    DatePrecision.EXACT
                    if exact and not (partial_start or partial_end)
                    else DatePrecision.APPROXIMATE
                ).value,
                # A link from elsewhere says nothing of its weight: the weakest.
                "confidence": confidence.group(1) if confidence else Confidence.LOW.value,
                "evidence": list(dict.fromkeys(proxy.get("proof"))),
                "properties": {k: v for k, v in props.items() if v is not None},
            }
        )

    def _type(self, schema: str, roles: list[str], target: str) -> ClaimType | None:
        to_label = self.labels.get(target)
        if schema == "Membership":
            if to_label is NodeLabel.UNIT and "subordinate unit" in roles:
                return ClaimType.SUBORDINATE_TO
            return ClaimType.MEMBER_OF
        if schema == "Directorship":
            return ClaimType.COMMANDED
        if schema == "Employment":
            return ClaimType.POSTED_AT if to_label is NodeLabel.FACILITY else ClaimType.MEMBER_OF
        if schema == "Occupancy":
            return ClaimType.MEMBER_OF
        if schema == "Documentation":
            return ClaimType.DOCUMENTS
        return next((_ROLE_TYPES[r] for r in roles if r in _ROLE_TYPES), None)


def read_ftm(entities: list[tuple[Origin, EntityProxy]], stored: dict[str, NodeLabel]) -> FtmRead:
    """The interchange document of these entities (nodes first, then links); ``stored``
    gives the labels of the nodes links name that the files do not hold."""
    reader = _Reader(stored)
    for origin, proxy in entities:
        if proxy.schema.name not in _LINKS:
            reader.node(origin, proxy)
    for origin, proxy in entities:
        if proxy.schema.name in _LINKS:
            reader.link(origin, proxy)
    for claim in reader.claims:
        # A Membership of a person in a facility and such: the model has no such claim.
        starts, ends = CLAIM_ENDPOINTS[ClaimType(claim["type"])]
        a, b = reader.labels.get(claim["from"]), reader.labels.get(claim["to"])
        if a is not None and b is not None and (a not in starts or b not in ends):
            where = reader.claim_origins[claim["id"]]
            reader.problems.append(
                Problem(str(where), f"{claim['type']} cannot join a {a.value} to a {b.value}")
            )
    compiled = Compiled(
        document={
            "format": FORMAT,
            "version": VERSION,
            "nodes": reader.nodes,
            "claims": reader.claims,
        },
        node_origins=reader.node_origins,
        claim_origins=reader.claim_origins,
        references={},
        rows=len(entities),
        skipped={},
    )
    return FtmRead(compiled, reader.unsupported, reader.problems)


async def prepare_ftm(
    importer: MappingImport, files: list[InputFile], label: str
) -> tuple[Prepared, Counter[str]]:
    """FtM files read and checked, every problem by file and line, ready to import as one
    journaled import; with the schemata read for nothing, to be reported."""
    entities, problems = parse_entities(files)
    refs = referenced_ids(entities)
    stored = await importer.interchange.nodes.labels_of(sorted(refs)) if refs else {}
    read = read_ftm(entities, stored)
    problems += read.problems
    if problems:
        raise ValidationFailed.of(problems)
    digest = hashlib.sha256(b"ftm")
    for file in files:
        digest.update(bytes.fromhex(file.sha256))
    return Prepared(read.compiled, ImportSource(label, digest.hexdigest())), read.unsupported
