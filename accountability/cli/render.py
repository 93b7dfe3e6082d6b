"""How commands print. Results go to stdout (tables, ``--json``, bare ids and tokens a
script can capture); messages, problems and progress bars go to stderr."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from accountability.errors import ValidationFailed

#: Messages and progress bars, apart from the results on stdout.
err = Console(stderr=True)


def table(columns: Sequence[str], rows: Iterable[Sequence[str]], title: str | None = None) -> None:
    """A table of results on stdout."""
    shown = Table(title=title, title_justify="left")
    for column in columns:
        shown.add_column(column)
    for row in rows:
        shown.add_row(*row)
    # A console made now measures the terminal (or COLUMNS) as it is now.
    Console().print(shown)


def print_json(value: Any) -> None:
    """A result as JSON on stdout: a dataclass (all the way down) or plain JSON data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    print(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def footnote(message: str) -> None:
    """A remark that belongs to the result just printed, on stdout; rich markup allowed."""
    Console().print(message)


def line(text: str) -> None:
    """One bare line on stdout (an id, a token): no markup, no wrapping."""
    print(text)


def note(message: str) -> None:
    """A message on stderr; rich markup allowed."""
    err.print(message)


def error(message: str) -> None:
    # The message may repeat the user's input: brackets in it are text, not markup.
    err.print(f"[red]error:[/red] {escape(message)}")


def problems(exc: ValidationFailed) -> None:
    """Every problem of a refused input, where and what, on stderr."""
    shown = Table(
        title=f"{len(exc.problems)} problem(s); nothing was written", title_justify="left"
    )
    shown.add_column("where")
    shown.add_column("what is wrong")
    for p in exc.problems or []:
        shown.add_row(p.where, p.message)
    err.print(shown)


def progress(verb: str, shown: bool = True) -> Progress:
    """A progress bar on stderr: ``verb``, the bar, done of total, time elapsed."""
    return Progress(
        TextColumn(verb),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not shown,
    )
