"""``matrix.csv`` of a case bundle: the case's evidence matrix, one row an element of a
link (person x incident x mode), the links with the most gaps first (columns in
docs/exports.md). UTF-8 with a byte-order mark and formula-safe cells, like the i2 CSV."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from accountability.services.exports.i2_csv import FORMULA_STARTS

FILE = "matrix.csv"
COLUMNS = (
    "person_id",
    "person",
    "incident_id",
    "incident",
    "mode",
    "part",
    "element",
    "status",
    "basis",
    "claim_ids",
    "evidence_ids",
    "note",
)


@dataclass(frozen=True)
class MatrixCell:
    """One element of one link, as a profile may show it."""

    person_id: str
    person: str
    incident_id: str
    incident: str
    mode: str
    part: str
    element: str
    status: str
    basis: str
    claim_ids: list[str]
    evidence_ids: list[str]
    note: str

    def row(self) -> dict[str, str]:
        values = {
            **{c: getattr(self, c) for c in COLUMNS},
            "claim_ids": "; ".join(self.claim_ids),
            "evidence_ids": "; ".join(self.evidence_ids),
        }
        # A spreadsheet opening the file would run a cell that starts like a formula.
        return {k: "'" + v if v[:1] in FORMULA_STARTS else v for k, v in values.items()}


def write(folder: Path, cells: list[MatrixCell]) -> None:
    with (folder / FILE).open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(c.row() for c in cells)
