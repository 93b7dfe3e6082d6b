"""The brief's chart of a case's incidents over time, per facility: an SVG drawn by
pygal (pure Python, no system libraries), made static — pygal's inline script carries
its configuration, labels included, as JSON in a script element, which a name could
break out of, and a court's copy of a brief needs no script anyway."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter

import pygal

# pygal puts an import hook on sys.meta_path for its map plugins (pygal.maps.*), written
# against the finder API Python dropped: every later import then raises ImportWarning
# (an error under the tests' warning filter). The charts here use no plugin.
sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, pygal.PluginImportFixer)]

#: Facilities drawn as their own series; the rest are summed as one.
MAX_SERIES = 12
OTHERS = "other facilities"
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def incidents_by_year(incidents: list[tuple[str, dt.date | None]]) -> str | None:
    """A stacked bar chart of incidents per year, one series per facility, as SVG text;
    None when no incident has a date. ``incidents`` are (facility name, start date)."""
    dated = [(place, day.year) for place, day in incidents if day is not None]
    if not dated:
        return None
    years = list(range(min(y for _, y in dated), max(y for _, y in dated) + 1))
    sizes = Counter(place for place, _ in dated)
    shown = [p for p, _ in sorted(sizes.items(), key=lambda x: (-x[1], x[0]))[:MAX_SERIES]]
    counts = Counter((place if place in shown else OTHERS, year) for place, year in dated)
    chart = pygal.StackedBar(
        js=[],
        disable_xml_declaration=True,
        width=900,
        height=360,
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        truncate_legend=40,
        x_title="Year the incident began",
        y_title="Incidents",
        title="Incidents of the case by year and facility",
    )
    chart.x_labels = [str(y) for y in years]
    for place in [*shown, *([OTHERS] if len(sizes) > len(shown) else [])]:
        chart.add(place, [counts.get((place, y), 0) for y in years])
    return _SCRIPT.sub("", chart.render(is_unicode=True))
