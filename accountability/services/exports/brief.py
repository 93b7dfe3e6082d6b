"""The case brief: one printable HTML page for people — each accused person, their
modes of liability with certainty, each path in words, and the evidence with hashes.

A PDF is not produced: the libraries that render HTML to PDF either need system
libraries (WeasyPrint: Pango) or cannot shape Arabic script (xhtml2pdf/ReportLab
without extra fonts and a bidi layer); any browser prints this page to PDF faithfully."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from accountability.services.exports.base import ExportMeta
from accountability.services.exports.matrix_csv import MatrixCell

FILE = "brief.html"


@dataclass(frozen=True)
class BriefLink:
    incident_id: str
    incident: str
    mode: str
    certainty: str
    weakest_confidence: str
    corroborated: bool
    words: str
    evidence: list[str]


@dataclass
class BriefPerson:
    id: str
    name: str
    pseudonymized: bool
    links: list[BriefLink] = field(default_factory=list)


@dataclass(frozen=True)
class BriefIncident:
    id: str
    name: str
    kind: str
    when: str
    place: str
    victims: list[str]
    description: str


@dataclass(frozen=True)
class BriefEvidence:
    id: str
    kind: str
    title: str
    source: str
    acquired_at: str
    grading: str
    classification: str
    sha256: str


@dataclass(frozen=True)
class Brief:
    meta: ExportMeta
    case: dict[str, str]
    incidents: list[BriefIncident]
    persons: list[BriefPerson]
    evidence: list[BriefEvidence]
    notes: list[str]
    #: The case's evidence matrix (case bundles), gaps first.
    matrix: list[MatrixCell] = field(default_factory=list)
    #: The incidents over time per facility, as SVG (services/exports/chart.py).
    chart: str | None = None

    def matrix_links(self) -> list[tuple[MatrixCell, list[MatrixCell]]]:
        """The matrix a link a row: its first cell (who, what, how) and every cell."""
        rows: dict[tuple[str, str, str], list[MatrixCell]] = {}
        for c in self.matrix:
            rows.setdefault((c.person_id, c.incident_id, c.mode), []).append(c)
        return [(cells[0], cells) for cells in rows.values()]


_env = Environment(
    loader=PackageLoader("accountability.services.exports", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


@functools.lru_cache(maxsize=1024)
def _element(status: str, element: str, part: str) -> str:
    crime = " (crime)" if part == "CRIME" else ""
    return (
        f'<span class="element {escape(status.lower())}">'
        f"{escape(element.replace('_', ' ').lower())}{crime}: {escape(status)}</span>"
    )


def element_spans(cells: Iterable[MatrixCell]) -> Markup:
    """A link's elements as the matrix table shows them, each escaped. A case has
    ~100,000 cells of a few dozen kinds: each kind is made once, where the template's
    filters escaped three values a cell (a tenth of a large brief's time)."""
    return Markup("; ".join(_element(c.status, c.element, c.part) for c in cells))


_env.filters["element_spans"] = element_spans


def render(brief: Brief) -> str:
    return _env.get_template("brief.html.j2").render(b=brief)


def write(folder: Path, brief: Brief) -> None:
    (folder / FILE).write_text(render(brief), encoding="utf-8")
