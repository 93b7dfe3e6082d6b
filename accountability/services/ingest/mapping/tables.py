"""Reading CSV and XLSX files into tables of text cells, for the mapping compiler."""

from __future__ import annotations

import csv
import fnmatch
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from accountability.domain.mapping.cells import clean
from accountability.domain.mapping.compile import Table
from accountability.domain.mapping.spec import FileSpec, Mapping
from accountability.errors import Problem

SPREADSHEETS = (".csv", ".xlsx")


@dataclass(frozen=True)
class InputFile:
    """One file given to the import: its bytes are read once (hashed and parsed)."""

    path: Path
    data: bytes

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @classmethod
    def read(cls, path: Path) -> InputFile:
        return cls(path, path.read_bytes())


def _csv(file: InputFile) -> tuple[Table | None, list[Problem]]:
    try:
        text = file.data.decode("utf-8-sig")  # a spreadsheet program's BOM
    except UnicodeDecodeError as exc:
        return None, [Problem(f"{file.name}", f"not UTF-8 text: {exc.reason} at byte {exc.start}")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        records = list(reader)
    except csv.Error as exc:
        return None, [Problem(f"{file.name}:{reader.line_num}", f"not CSV: {exc}")]
    return _table(file, header, records)


def _xlsx(file: InputFile, sheet: str | None) -> tuple[Table | None, list[Problem]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(file.data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not XLSX
        return None, [Problem(file.name, f"not an XLSX workbook: {exc}")]
    try:
        if sheet is not None and sheet not in book.sheetnames:
            names = ", ".join(book.sheetnames)
            return None, [Problem(file.name, f"no sheet {sheet!r} (sheets: {names})")]
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        rows = [[clean(c) for c in row] for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()
    header = rows[0] if rows else None
    return _table(file, header, rows[1:], f"{file.name}#{ws.title}" if sheet else None)


def _table(
    file: InputFile, header: list[str] | None, records: list[list[str]], name: str | None = None
) -> tuple[Table | None, list[Problem]]:
    name = name or file.name
    if not header:
        return None, [Problem(f"{name}:1", "no header row")]
    columns = [clean(c) for c in header]
    problems = [
        Problem(f"{name}:1:{c}", "the column appears twice in the header")
        for i, c in enumerate(columns)
        if c and c in columns[:i]
    ]
    rows: list[dict[str, str]] = []
    for record in records:
        cells = [clean(c) for c in record]
        if not any(cells):
            cells = []  # keep the numbering of the rows after an empty one
        rows.append(dict(zip(columns, cells, strict=False)))
    # Trailing empty rows (a spreadsheet's formatting) are not rows.
    while rows and not any(rows[-1].values()):
        rows.pop()
    table = Table(file=name, sha256=file.sha256, columns=tuple(columns), rows=rows)
    return (None if problems else table), problems


def read_tables(
    mapping: Mapping, files: list[InputFile]
) -> tuple[list[tuple[FileSpec, Table]], list[Problem]]:
    """Each file read by each block of the mapping that matches its name. A file no block
    matches is a problem: it would otherwise be left out without a word."""
    out: list[tuple[FileSpec, Table]] = []
    problems: list[Problem] = []
    for file in files:
        blocks = [b for b in mapping.files if fnmatch.fnmatch(file.name, b.match)]
        if not blocks:
            patterns = ", ".join(b.match for b in mapping.files)
            problems.append(Problem(file.name, f"no block of the mapping reads it ({patterns})"))
            continue
        suffix = file.path.suffix.lower()
        if suffix not in SPREADSHEETS:
            problems.append(Problem(file.name, "only .csv and .xlsx files can be mapped"))
            continue
        for block in blocks:
            table, found = _xlsx(file, block.sheet) if suffix == ".xlsx" else _csv(file)
            problems += found
            if table is not None:
                out.append((block, table))
    return out, problems
