"""FollowTheMoney entities as JSON lines, for Aleph and other FtM tools.

One entity per line, ``{"id", "schema", "properties"}``, ids unchanged from the graph (nodes
and claims share one id space, so they never collide). Nodes are written as they arrive,
then claims; nothing is held back, so an entity never gains a property after it is written.

Nodes:

============  ================  ============================================================
ours          FtM schema        properties
============  ================  ============================================================
Person        Person            name, alias (aliases), birthDate (birth_year as "YYYY"),
                                gender (if it cleans to male/female/other, else notes),
                                nationality (if it cleans to a country code, else notes),
                                status (victim status in words), notes (protected identity,
                                pseudonym)
Unit          Organization      name, alias, description (kind, parent name hint)
Facility      Organization      name, alias, address (location), description (kind),
                                notes (coordinates)
Incident      Event             name (title, else "<kind> <start_date>"), startDate,
                                endDate, summary ("alleged <kind>"), keywords (kind),
                                description
Evidence      Document          title, fileName (the evidence id), publisher (source),
                                date (acquired_at, UTC), notes (kind, acquired_at,
                                "sha256:<hex>", classification, reliability, credibility)
Case          Project           name (title), status, country (jurisdiction if it cleans to a
                                country code, else notes)
============  ================  ============================================================

Claims (subject/first end = the claim's start node, object/second end = its end node):

==============  =============  ===========================================================
ours            FtM schema     ends, role
==============  =============  ===========================================================
MEMBER_OF       Membership     member, organization; role: rank, title (else "member")
COMMANDED       Directorship   director, organization; role "commander"
SUBORDINATE_TO  Membership     member (the unit), organization (its parent);
                               role "subordinate unit"
POSTED_AT       Employment     employee, employer (the facility); role: the post's role
                               (else "posted"), and "command post" when command is true
DOCUMENTS       Documentation  document, entity; role "documents"
OPERATED        UnknownLink    subject, object; role "operated"
DETAINED_AT     UnknownLink    role "detained at"
OCCURRED_AT     UnknownLink    role "occurred at"
VICTIM          UnknownLink    role "victim" (the object is the victim of the incident)
PERPETRATED     UnknownLink    role "perpetrated"
ORDERED         UnknownLink    role "ordered"
AIDED           UnknownLink    role "aided"
NOTIFIED        UnknownLink    role "notified"
EXERCISED_CONTROL UnknownLink  role "exercised control"
TOOK_MEASURES   UnknownLink    role "took measures"
INCLUDES        UnknownLink    subject (the case), object; role "includes"
==============  =============  ===========================================================

Every claim entity also has startDate/endDate (valid_from/valid_to), proof (the evidence
ids, emitted as Document entities), a description naming the claim type, confidence, date
precision, claim-specific details and the evidence ids, and, when retracted (court profile
only), status "retracted" and who retracted it, when and why in the description.

Choices the FtM model forced:

* A facility is an ``Organization``: FtM has no schema for a site. ``Address`` cannot be an
  employer, a Membership organization or an Event participant, and ``Employment.employer``
  needs an Organization, so a post at a facility can be an Employment. Organization has no
  latitude/longitude (only ``Address`` has), so coordinates go into notes rather than into an
  extra Address entity with an id the graph did not issue.
* ``Event.involved``, ``Event.location`` and ``Event.organizer`` are left empty: they would
  have to be known when the incident is written, but claims arrive after every node, and
  Aleph shows the UnknownLinks on the event anyway. ``date`` is not set on events: FtM says
  to prefer startDate/endDate.
* ``Document.contentHash`` is a SHA-1 archive reference (40 characters) that Aleph scrubs and
  uses to fetch files, so the SHA-256 goes into notes as ``sha256:<hex>``.
* ``Document`` lists ``fileName`` as required; we hold no file name, so it carries the
  evidence id, the handle the chain of custody uses.
* OPERATED could be FtM 4's ``Control``, but that schema is unknown to Aleph instances still
  on FtM 3, which would reject the line; UnknownLink loads everywhere.
* INCLUDES is not a ``ProjectParticipant``: a victim or a suspect in a case file is not a
  participant in a project, and Events and Documents cannot be participants.
* FtM dates carry no time zone; acquired_at is written in UTC without a suffix (with a
  ``Z`` the cleaner would drop the seconds).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import IO, Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.services.exports.base import ClaimRecord, NodeRecord, Writer

#: For each claim type: the FtM schema, its two ends, and the role that reads between them.
CLAIM_SCHEMAS: dict[ClaimType, tuple[str, str, str, str]] = {
    ClaimType.MEMBER_OF: ("Membership", "member", "organization", ""),
    ClaimType.COMMANDED: ("Directorship", "director", "organization", "commander"),
    ClaimType.SUBORDINATE_TO: ("Membership", "member", "organization", "subordinate unit"),
    ClaimType.POSTED_AT: ("Employment", "employee", "employer", ""),
    ClaimType.DOCUMENTS: ("Documentation", "document", "entity", "documents"),
    ClaimType.OPERATED: ("UnknownLink", "subject", "object", "operated"),
    ClaimType.DETAINED_AT: ("UnknownLink", "subject", "object", "detained at"),
    ClaimType.OCCURRED_AT: ("UnknownLink", "subject", "object", "occurred at"),
    ClaimType.VICTIM: ("UnknownLink", "subject", "object", "victim"),
    ClaimType.PERPETRATED: ("UnknownLink", "subject", "object", "perpetrated"),
    ClaimType.ORDERED: ("UnknownLink", "subject", "object", "ordered"),
    ClaimType.AIDED: ("UnknownLink", "subject", "object", "aided"),
    ClaimType.NOTIFIED: ("UnknownLink", "subject", "object", "notified"),
    ClaimType.EXERCISED_CONTROL: ("UnknownLink", "subject", "object", "exercised control"),
    ClaimType.TOOK_MEASURES: ("UnknownLink", "subject", "object", "took measures"),
    ClaimType.INCLUDES: ("UnknownLink", "subject", "object", "includes"),
}

NODE_SCHEMAS: dict[NodeLabel, str] = {
    NodeLabel.PERSON: "Person",
    NodeLabel.UNIT: "Organization",
    NodeLabel.FACILITY: "Organization",
    NodeLabel.INCIDENT: "Event",
    NodeLabel.EVIDENCE: "Document",
    NodeLabel.CASE: "Project",
}

# The Admiralty scale's words, so a reader outside the team need not look them up.
RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}
PRECISION = {
    "exact": "exact (holds on every day of the period)",
    "approximate": "approximate (holds on at least one day of the period)",
}


class FtmWriter(Writer):
    """FollowTheMoney entities, one JSON object per line."""

    files = ("entities.ftm.json",)

    _out: IO[str] | None = None

    def node(self, node: NodeRecord) -> None:
        self._write(node_entity(node))

    def claim(self, claim: ClaimRecord) -> None:
        self._write(claim_entity(claim))

    def close(self) -> None:
        """Finish the file; an export with nothing in it still gets an empty one."""
        if self._out is None:
            (self.folder / self.files[0]).write_text("", encoding="utf-8")
            return
        self._out.close()

    def _write(self, proxy: EntityProxy) -> None:
        if self._out is None:
            # Opened on first use so that a writer built but never fed leaks no handle.
            self._out = (self.folder / self.files[0]).open("w", encoding="utf-8", newline="\n")
        self._out.write(json.dumps(proxy.to_dict(), ensure_ascii=False) + "\n")


def node_entity(node: NodeRecord) -> EntityProxy:
    """The FtM entity for one node."""
    proxy = model.make_entity(NODE_SCHEMAS[node.label])
    proxy.id = node.id
    p = node.properties
    if node.label is NodeLabel.PERSON:
        _person(proxy, p)
    elif node.label in (NodeLabel.UNIT, NodeLabel.FACILITY):
        _organization(proxy, node.label, p)
    elif node.label is NodeLabel.INCIDENT:
        _add(proxy, "name", node.display_name)
        _add(proxy, "startDate", _date(p.get("start_date")))
        _add(proxy, "endDate", _date(p.get("end_date")))
        kind = _words(p.get("kind"))
        _add(proxy, "summary", f"alleged {kind}" if kind else None)
        _add(proxy, "keywords", kind)
        _add(proxy, "description", p.get("description"))
    elif node.label is NodeLabel.EVIDENCE:
        _document(proxy, node.id, p)
    elif node.label is NodeLabel.CASE:
        _add(proxy, "name", p.get("title"))
        _add(proxy, "status", p.get("status"))
        _country_or_note(proxy, "country", "jurisdiction", p.get("jurisdiction"))
    return proxy


def _person(proxy: EntityProxy, p: dict[str, Any]) -> None:
    _add(proxy, "name", p.get("name"))
    _add(proxy, "alias", p.get("aliases"))
    if p.get("birth_year"):
        _add(proxy, "birthDate", f"{int(p['birth_year']):04d}")
    gender = p.get("gender")
    if gender:
        if registry.gender.clean(str(gender)) is not None:
            _add(proxy, "gender", gender)
        else:
            _add(proxy, "notes", f"gender: {gender}")
    _country_or_note(proxy, "nationality", "nationality", p.get("nationality"))
    _add(proxy, "status", _words(p.get("status")))
    if p.get("protected"):
        pseudonym = p.get("pseudonym")
        if pseudonym and pseudonym == p.get("name"):
            # Without this a reader would take the pseudonym for the person's name.
            _add(proxy, "notes", "protected identity: the name shown is a pseudonym")
        else:
            note = f"protected identity; pseudonym: {pseudonym}" if pseudonym else None
            _add(proxy, "notes", note or "protected identity")


def _organization(proxy: EntityProxy, label: NodeLabel, p: dict[str, Any]) -> None:
    _add(proxy, "name", p.get("name"))
    _add(proxy, "alias", p.get("aliases"))
    kind = p.get("kind")
    if label is NodeLabel.UNIT:
        parts = [f"unit kind: {kind}" if kind else ""]
        if p.get("parent_name_hint"):
            hint = p["parent_name_hint"]
            parts.append(f"parent unit (name as given, not a verified link): {hint}")
        _add(proxy, "description", "; ".join(x for x in parts if x))
        return
    what = "place of detention or abuse"
    _add(proxy, "description", f"{what}: {kind}" if kind else what)
    _add(proxy, "address", p.get("location"))
    if p.get("lat") is not None and p.get("lon") is not None:
        _add(proxy, "notes", f"coordinates: {p['lat']}, {p['lon']}")


def _document(proxy: EntityProxy, node_id: str, p: dict[str, Any]) -> None:
    _add(proxy, "title", p.get("title"))
    _add(proxy, "fileName", node_id)
    _add(proxy, "publisher", p.get("source"))
    _add(proxy, "notes", f"evidence kind: {p['kind']}" if p.get("kind") else None)
    acquired = _instant(p.get("acquired_at"))
    if acquired is not None:
        _add(proxy, "date", acquired.strftime("%Y-%m-%dT%H:%M:%S"))
        _add(proxy, "notes", f"acquired at {acquired.strftime('%Y-%m-%dT%H:%M:%SZ')}")
    elif p.get("acquired_at"):
        _add(proxy, "notes", f"acquired at {p['acquired_at']}")
    if p.get("sha256"):
        _add(proxy, "notes", f"sha256:{p['sha256']}")
    if p.get("classification"):
        _add(proxy, "notes", f"classification: {p['classification']}")
    reliability = p.get("reliability")
    if reliability:
        words = RELIABILITY.get(str(reliability), "")
        _add(proxy, "notes", f"source reliability (Admiralty): {reliability} {words}".strip())
    credibility = p.get("credibility")
    if credibility:
        words = CREDIBILITY.get(int(credibility), "")
        _add(proxy, "notes", f"information credibility (Admiralty): {credibility} {words}".strip())


def claim_entity(claim: ClaimRecord) -> EntityProxy:
    """The FtM link entity for one claim."""
    schema, source, target, role = CLAIM_SCHEMAS[claim.type]
    proxy = model.make_entity(schema)
    proxy.id = claim.id
    _add(proxy, source, claim.from_id)
    _add(proxy, target, claim.to_id)
    props = claim.properties
    details: list[str] = []
    if claim.type is ClaimType.MEMBER_OF:
        _add(proxy, "role", [props.get("rank"), props.get("title")])
        details += [f"{k}: {props[k]}" for k in ("rank", "title") if props.get(k)]
        role = "" if details else "member"
    elif claim.type is ClaimType.POSTED_AT:
        _add(proxy, "role", props.get("role"))
        role = "" if props.get("role") or props.get("command") else "posted"
        if props.get("command"):
            _add(proxy, "role", "command post")
            details.append("command post")
        if props.get("role"):
            details.append(f"role: {props['role']}")
    elif claim.type is ClaimType.AIDED and props.get("contribution"):
        details.append(f"contribution: {props['contribution']}")
    elif props.get("how"):
        details.append(f"how: {props['how']}")
    _add(proxy, "role", role or None)
    _add(proxy, "startDate", _date(claim.valid_from))
    _add(proxy, "endDate", _date(claim.valid_to))
    _add(proxy, "proof", claim.evidence)
    _add(proxy, "description", _claim_text(claim, details))
    if claim.retraction is not None:
        _add(proxy, "status", "retracted")
    return proxy


def _claim_text(claim: ClaimRecord, details: list[str]) -> str:
    parts = []
    r = claim.retraction
    if r is not None:
        # First, so that no reader takes a withdrawn claim for a standing one.
        when = r.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        parts.append(f"RETRACTED at {when} by {r.by or 'unknown'}: {r.reason or 'no reason given'}")
    parts += [f"claim: {claim.type.value}", f"confidence: {claim.confidence.value}"]
    if claim.valid_from is None:
        parts.append("undated: start unknown")
    if claim.valid_to is None:
        parts.append("end open or unknown")
    parts.append(f"date precision: {PRECISION[claim.date_precision.value]}")
    parts += details
    parts.append("evidence: " + (", ".join(claim.evidence) if claim.evidence else "none"))
    return "; ".join(parts)


def _add(proxy: EntityProxy, prop: str, value: Any) -> None:
    """Add one value or several, skipping None and empty strings."""
    values: Iterable[Any] = value if isinstance(value, list | tuple) else [value]
    kept = [str(v) for v in values if v is not None and str(v).strip()]
    if kept:
        # quiet=False: a property the schema lacks is a bug here, not data to drop.
        proxy.add(prop, kept)


def _country_or_note(proxy: EntityProxy, prop: str, label: str, value: Any) -> None:
    """A country property when the value names a country, otherwise a note keeping it."""
    if not value:
        return
    if registry.country.clean(str(value)) is not None:
        _add(proxy, prop, value)
    else:
        _add(proxy, "notes", f"{label}: {value}")


def _date(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


def _instant(value: Any) -> dt.datetime | None:
    """An instant from a datetime or an ISO string, in UTC."""
    instant: dt.datetime
    if isinstance(value, dt.datetime):
        instant = value
    elif isinstance(value, str) and value:
        try:
            instant = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    # The graph stores instants in UTC; a naive one can only mean that.
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    return instant.astimezone(dt.UTC)


def _words(value: Any) -> str | None:
    """A vocabulary value as words ("died_in_custody" -> "died in custody")."""
    return str(value).replace("_", " ") if value else None
