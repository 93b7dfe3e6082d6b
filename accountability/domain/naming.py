"""What a node is called: one rule for lists and their sort keys (originals and
renditions alike), exports and the command line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accountability.domain.vocabulary import NodeLabel

#: Labels whose records have a name and aliases; the others have a title.
NAMED = frozenset({NodeLabel.PERSON, NodeLabel.UNIT, NodeLabel.FACILITY})


def display_name(label: NodeLabel, props: Mapping[str, Any]) -> str:
    """The name a node is listed and sorted by: a person's, unit's or facility's name; an
    evidence item's or a case's title; an incident's title, or else its kind and start
    date (as stored: ``arbitrary_detention 2014-05-01``, which the sort keys fold)."""
    if label is NodeLabel.INCIDENT:
        title = props.get("title")
        return str(title) if title else f"{props.get('kind', '')} {props.get('start_date') or ''}"
    return str(props.get("name" if label in NAMED else "title") or "")


def spoken_name(label: NodeLabel, props: Mapping[str, Any], node_id: str) -> str:
    """The same name as people read it in an export or a terminal: an untitled
    incident's kind in words (``arbitrary detention 2014-05-01``), and the id when the
    node has no name at all."""
    name = display_name(label, props)
    if label is NodeLabel.INCIDENT and not props.get("title"):
        name = name.replace("_", " ")
    return name.strip() or node_id


def names(label: NodeLabel, props: Mapping[str, Any]) -> list[str]:
    """Every name a node is searched by."""
    if label in NAMED:
        return [str(props.get("name") or ""), *(props.get("aliases") or [])]
    title = props.get("title")
    return [str(title)] if title else []
