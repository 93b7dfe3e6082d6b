"""CSV for link-analysis tools such as i2 Analyst's Notebook: ``entities.csv`` and
``links.csv`` (columns documented in docs/exports.md). UTF-8 with a byte-order mark,
which Windows tools need to read Arabic script correctly; lists joined with "; "."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Any

from accountability.services.exports.base import (
    ClaimRecord,
    ExportMeta,
    NodeRecord,
    Writer,
    plain,
)

ENTITY_COLUMNS = (
    "entity_id",
    "entity_type",
    "label",
    "aliases",
    "kind",
    "status",
    "gender",
    "birth_year",
    "nationality",
    "protected",
    "location",
    "latitude",
    "longitude",
    "start_date",
    "end_date",
    "description",
    "sha256",
    "source",
    "acquired_at",
    "reliability",
    "credibility",
    "classification",
    "jurisdiction",
    "case_status",
)

LINK_COLUMNS = (
    "link_id",
    "link_type",
    "from_id",
    "to_id",
    "label",
    "valid_from",
    "valid_to",
    "date_precision",
    "confidence",
    "evidence_ids",
    "rank",
    "title",
    "role",
    "command",
    "contribution",
    "how",
    "retracted",
    "retraction_reason",
)

FORMULA_STARTS = frozenset("=+-@\t\r")

#: Entity columns filled from a property of another name.
_RENAMED = {"latitude": "lat", "longitude": "lon"}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = "; ".join(str(plain(v)) for v in value) if isinstance(value, list) else str(plain(value))
    # A spreadsheet opening the file would run a cell that starts like a formula; the
    # quote is what spreadsheets themselves use to mark text (docs/exports.md says so).
    if text[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def entity_row(node: NodeRecord) -> dict[str, str]:
    p = node.properties
    row = {c: _cell(p.get(_RENAMED.get(c, c))) for c in ENTITY_COLUMNS}
    row.update(entity_id=node.id, entity_type=node.label.value, label=node.display_name)
    if node.label.value == "Case":
        row["case_status"], row["status"] = _cell(p.get("status")), ""
    row["description"] = _cell(p.get("description") or p.get("title"))
    return row


def link_row(claim: ClaimRecord) -> dict[str, str]:
    row = {c: _cell(claim.properties.get(c)) for c in LINK_COLUMNS}
    row.update(
        link_id=claim.id,
        link_type=claim.type.value,
        from_id=claim.from_id,
        to_id=claim.to_id,
        label=claim.type.value.replace("_", " ").lower(),
        valid_from=_cell(claim.valid_from),
        valid_to=_cell(claim.valid_to),
        date_precision=claim.date_precision.value,
        confidence=claim.confidence.value,
        evidence_ids=_cell(claim.evidence),
        retracted=_cell(claim.retraction is not None),
        retraction_reason=claim.retraction.reason if claim.retraction else "",
    )
    return row


class I2CsvWriter(Writer):
    files = ("i2/entities.csv", "i2/links.csv")

    def __init__(self, folder: Path, meta: ExportMeta) -> None:
        super().__init__(folder, meta)
        (folder / "i2").mkdir(exist_ok=True)
        self._files: list[IO[str]] = [
            (folder / name).open("w", encoding="utf-8-sig", newline="") for name in self.files
        ]
        self._entities = csv.DictWriter(self._files[0], ENTITY_COLUMNS)
        self._links = csv.DictWriter(self._files[1], LINK_COLUMNS)
        self._entities.writeheader()
        self._links.writeheader()

    def node(self, node: NodeRecord) -> None:
        self._entities.writerow(entity_row(node))

    def claim(self, claim: ClaimRecord) -> None:
        self._links.writerow(link_row(claim))

    def close(self) -> None:
        for f in self._files:
            f.close()
