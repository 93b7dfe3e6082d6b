"""Security Force Monitor's WhoWasInCommand downloads: the shipped mapping (sfm.yml) and
what it cannot say, done here on the rows before they are mapped:

* a parent unit given by name (some exports put the name in ``unit:related_unit``, the
  id in ``unit:related_unit_id:admin``) is found by its id, else by the name of a unit
  in the same files (``sfm:parent_id``);
* a posting's title falls back to its role ("Deputy Commander"), so that a MEMBER_OF
  keeps what the person did (``sfm:title``);
* a site's name, place and coordinates are read from SFM's dual-purpose columns
  (``unit:site_exact_location_id_latitude`` holds an id or a latitude).

docs/import.md has the column-by-column table."""

from __future__ import annotations

import re
from dataclasses import replace
from importlib import resources

from accountability.domain.mapping.compile import Table
from accountability.domain.mapping.spec import FileSpec

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_ADDED = ("sfm:parent_id", "sfm:title", "sfm:site_key", "sfm:site_name", "sfm:site_location")


def sfm_mapping_text() -> str:
    """The shipped mapping of SFM downloads."""
    return resources.files("accountability.services.ingest").joinpath("sfm.yml").read_text()


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _site(row: dict[str, str]) -> dict[str, str]:
    first = row.get("unit:site_exact_location_id_latitude", "")
    second = row.get("unit:site_exact_location_name_longitude", "")
    settlement = row.get("unit:site_nearest_settlement_name", "")
    area = row.get("unit:site_first_admin_area_name", "")
    lat, lon = _number(first), _number(second)
    coordinates = lat is not None and lon is not None
    key = "|".join((first, second, settlement))
    if not key.strip("|"):
        return {"sfm:site_key": ""}
    if coordinates:
        name = f"Site near {settlement}" if settlement else f"Site at {first}, {second}"
    else:
        name = second or settlement or f"Site {first}"
    return {
        "sfm:site_key": key,
        "sfm:site_name": name,
        "sfm:site_location": ", ".join(p for p in (settlement, area) if p),
        "sfm:lat": first if coordinates else "",
        "sfm:lon": second if coordinates else "",
    }


def prepare_rows(tables: list[tuple[FileSpec, Table]]) -> list[tuple[FileSpec, Table]]:
    """The SFM tables with the columns the shipped mapping reads besides SFM's own."""
    by_name: dict[str, str] = {}
    ids: set[str] = set()
    for _, table in tables:
        for row in table.rows:
            unit_id, name = row.get("unit:id:admin", ""), row.get("unit:name", "")
            if unit_id:
                ids.add(unit_id)
                if name:
                    by_name.setdefault(name.casefold(), unit_id)
    out: list[tuple[FileSpec, Table]] = []
    for block, table in tables:
        rows = []
        for row in table.rows:
            given = row.get("unit:related_unit_id:admin") or row.get("unit:related_unit", "")
            parent = given if given in ids or _UUID.match(given) else by_name.get(given.casefold())
            added = {
                "sfm:parent_id": parent or given,
                "sfm:title": row.get("person:posting_title") or row.get("person:posting_role", ""),
                **_site(row),
            }
            rows.append({**row, **added})
        columns = (*table.columns, *_ADDED, "sfm:lat", "sfm:lon")
        out.append((block, replace(table, columns=columns, rows=rows)))
    return out
