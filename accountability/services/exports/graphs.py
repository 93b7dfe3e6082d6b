"""GraphML and GEXF (yEd, Gephi, Cytoscape), streamed in the shape networkx writes and
reads.

Both formats hold scalar attributes only, so lists (aliases, evidence ids) are joined
with "; ", and absent values are left out rather than written empty."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from accountability.services.exports.base import (
    ClaimRecord,
    ExportMeta,
    NodeRecord,
    Writer,
    plain,
)

LIST_SEPARATOR = "; "


def _scalar(value: Any) -> str | int | float | bool | None:
    if value is None or value == []:
        return None
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(plain(v)) for v in value)
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date):
        return str(plain(value))
    return str(value)


def node_attributes(node: NodeRecord) -> dict[str, Any]:
    """A node's attributes: its type, a display label, and every property."""
    attrs: dict[str, Any] = {"label": node.display_name, "node_type": node.label.value}
    for key, value in sorted(node.properties.items()):
        if key in ("label", "node_type"):
            continue
        scalar = _scalar(value)
        if scalar is not None:
            attrs[key] = scalar
    return attrs


def edge_attributes(claim: ClaimRecord) -> dict[str, Any]:
    """A claim's attributes: id, type, dates, precision, confidence, evidence ids."""
    attrs: dict[str, Any] = {
        "claim_id": claim.id,
        "claim_type": claim.type.value,
        "label": claim.type.value.replace("_", " ").lower(),
        "date_precision": claim.date_precision.value,
        "confidence": claim.confidence.value,
        "evidence": LIST_SEPARATOR.join(claim.evidence),
        "evidence_count": len(claim.evidence),
        "retracted": claim.retraction is not None,
    }
    if claim.valid_from is not None:
        attrs["valid_from"] = claim.valid_from.isoformat()
    if claim.valid_to is not None:
        attrs["valid_to"] = claim.valid_to.isoformat()
    if claim.retraction is not None:
        attrs["retraction_reason"] = claim.retraction.reason
    for key, value in claim.properties.items():
        scalar = _scalar(value)
        if scalar is not None:
            attrs[key] = scalar
    return attrs


#: The GraphML and GEXF type of a Python value (bool before int: it is one).
_TYPES: tuple[tuple[type, str], ...] = ((bool, "boolean"), (int, "long"), (float, "double"))
_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)
_GEXF_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<gexf xmlns="http://www.gexf.net/1.2draft" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
    'version="1.2">\n'
)


def _type(value: Any) -> str:
    return next((name for kind, name in _TYPES if isinstance(value, kind)), "string")


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


class GraphWriter(Writer):
    """Both files as the records stream by, in the shape networkx writes and reads
    (a directed multigraph: several claims may join two nodes; GEXF edges carry the
    claim id as ``networkx_key``). Attribute declarations come before the elements in
    both formats, so the elements go to scratch files in the export's folder first and
    the files are put together at the end: memory holds the declarations only, at any
    size of graph."""

    files = ("graph.graphml", "graph.gexf")

    def __init__(self, folder: Path, meta: ExportMeta) -> None:
        super().__init__(folder, meta)
        self._parts = [folder / f".graph-part-{n}" for n in range(3)]
        self._graphml, self._gexf_nodes, self._gexf_edges = (
            p.open("w", encoding="utf-8") for p in self._parts
        )
        #: (for, name, type) -> key id, in order of first use; the same for GEXF.
        self._keys: dict[tuple[str, str, str], str] = {}
        self._attributes: dict[tuple[str, str, str], str] = {}
        self._edges = 0
        graph = {"name": meta.title, "profile": meta.profile}
        graph["exported_at"] = meta.exported_at.isoformat()
        self._graph_data = "".join(
            f'    <data key="{self._key("graph", k, v)}">{escape(_text(v))}</data>\n'
            for k, v in graph.items()
        )

    def _key(self, scope: str, name: str, value: Any) -> str:
        return self._keys.setdefault((scope, name, _type(value)), f"d{len(self._keys)}")

    def _attribute(self, scope: str, name: str, value: Any) -> str:
        return self._attributes.setdefault((scope, name, _type(value)), str(len(self._attributes)))

    def _data(self, scope: str, attrs: dict[str, Any]) -> str:
        return "".join(
            f'      <data key="{self._key(scope, k, v)}">{escape(_text(v))}</data>\n'
            for k, v in attrs.items()
        )

    def _attvalues(self, scope: str, attrs: dict[str, Any]) -> str:
        if not attrs:
            return ""
        values = "".join(
            f'          <attvalue for="{self._attribute(scope, k, v)}" '
            f"value={quoteattr(_text(v))} />\n"
            for k, v in attrs.items()
        )
        return f"        <attvalues>\n{values}        </attvalues>\n"

    def node(self, node: NodeRecord) -> None:
        attrs = node_attributes(node)
        self._graphml.write(
            f"    <node id={quoteattr(node.id)}>\n{self._data('node', attrs)}    </node>\n"
        )
        label = attrs.pop("label")
        self._gexf_nodes.write(
            f"      <node id={quoteattr(node.id)} label={quoteattr(_text(label))}>\n"
            f"{self._attvalues('node', attrs)}      </node>\n"
        )

    def claim(self, claim: ClaimRecord) -> None:
        attrs = edge_attributes(claim)
        ends = f"source={quoteattr(claim.from_id)} target={quoteattr(claim.to_id)}"
        self._graphml.write(
            f"    <edge {ends} id={quoteattr(claim.id)}>\n{self._data('edge', attrs)}    </edge>\n"
        )
        label = attrs.pop("label")
        attrs["networkx_key"] = claim.id
        self._gexf_edges.write(
            f'      <edge {ends} id="{self._edges}" label={quoteattr(_text(label))}>\n'
            f"{self._attvalues('edge', attrs)}      </edge>\n"
        )
        self._edges += 1

    def close(self) -> None:
        for part in (self._graphml, self._gexf_nodes, self._gexf_edges):
            part.close()
        graphml, nodes, edges = self._parts
        with (self.folder / self.files[0]).open("w", encoding="utf-8") as out:
            out.write(_GRAPHML_HEAD)
            for (scope, name, kind), key in self._keys.items():
                out.write(
                    f'  <key id="{key}" for="{scope}" attr.name={quoteattr(name)} '
                    f'attr.type="{kind}" />\n'
                )
            out.write('  <graph edgedefault="directed">\n')
            _append(out, graphml)
            out.write(self._graph_data)
            out.write("  </graph>\n</graphml>\n")
        with (self.folder / self.files[1]).open("w", encoding="utf-8") as out:
            out.write(_GEXF_HEAD)
            out.write(
                f'  <meta lastmodifieddate="{self.meta.exported_at.date().isoformat()}">\n'
                "    <creator>accountability</creator>\n  </meta>\n"
                f'  <graph defaultedgetype="directed" mode="static" '
                f"name={quoteattr(self.meta.title)}>\n"
            )
            for scope in ("edge", "node"):
                declared = [(k, v) for k, v in self._attributes.items() if k[0] == scope]
                if declared:
                    out.write(f'    <attributes mode="static" class="{scope}">\n')
                    for (_, name, kind), ident in declared:
                        out.write(
                            f'      <attribute id="{ident}" title={quoteattr(name)} '
                            f'type="{kind}" />\n'
                        )
                    out.write("    </attributes>\n")
            out.write("    <nodes>\n")
            _append(out, nodes)
            out.write("    </nodes>\n    <edges>\n")
            _append(out, edges)
            out.write("    </edges>\n  </graph>\n</gexf>\n")
        for part_path in self._parts:
            part_path.unlink()


def _append(out: IO[str], part: Path) -> None:
    with part.open(encoding="utf-8") as f:
        shutil.copyfileobj(f, out, 1 << 20)
