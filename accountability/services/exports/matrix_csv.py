"""``matrix.csv`` of a case bundle: the case's evidence matrix, one row an element of a
link (person x incident x mode), the links with the most gaps first (columns in
docs/exports.md). UTF-8 with a byte-order mark and formula-safe cells, like the i2 CSV."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple

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


class MatrixCell(NamedTuple):
    """One element of one link, as a profile may show it. A tuple in the order of
    ``COLUMNS`` (a test holds them equal): a case has ~100,000 cells, and a tuple is made
    in half the time of a frozen dataclass and is its own row of values."""

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

    def row(self) -> tuple[str, ...]:
        """The cell's values in the order of ``COLUMNS``, lists joined."""
        cells = ("; ".join(v) if isinstance(v, list) else v for v in self)
        # A spreadsheet opening the file would run a cell that starts like a formula.
        return tuple("'" + v if v[:1] in FORMULA_STARTS else v for v in cells)


def write(folder: Path, cells: list[MatrixCell]) -> None:
    # Rows as tuples through csv.writer: a case's matrix has ~100,000 of them, and a
    # dict a row through DictWriter took twice the time for the same bytes.
    with (folder / FILE).open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        writer.writerows(c.row() for c in cells)
