"""The whole graph as the service ships it: ``accountability --token ADMIN export --out
FILE.json`` (``ExportService`` with the graph scope), read back as one document. Tests
that need the whole graph use this path, never a second one."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from accountability.domain.export_profiles import ExportProfile
from accountability.domain.redaction import SYSTEM, Viewer
from accountability.services.container import Services
from accountability.services.exports.service import Scope


async def export_file(services: Services, out: Path, viewer: Viewer = SYSTEM) -> Path:
    """Write the whole-graph export (the interchange JSON) to ``out``."""
    await services.exports.export(viewer, Scope("graph"), ExportProfile.COURT, out)
    return out


async def whole_graph(services: Services, viewer: Viewer = SYSTEM) -> dict[str, Any]:
    """The whole-graph export as a document."""
    with tempfile.TemporaryDirectory(prefix="whole-graph-") as folder:
        out = await export_file(services, Path(folder) / "graph.json", viewer)
        document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return document
