"""The command line, ``accountability COMMAND``: one module a group of commands, every
command acting as the one viewer that ``session.viewer_for`` chooses, every result
printed through ``render``."""

from __future__ import annotations

from typing import Annotated

import typer

from accountability.cli import (
    analysis,
    audit,
    backup,
    cases,
    consistency,
    data,
    devtools,
    elements,
    evidence,
    exports,
    resolution,
    serve,
    session,
    signing,
    tokens,
)

app = typer.Typer(no_args_is_help=True, help="Accountability graph: cases about detention abuses.")


@app.callback()
def _login(
    token: Annotated[
        str | None,
        typer.Option(
            envvar="ACCOUNTABILITY_TOKEN",
            help="Act as this token's holder: their role applies and the audit log names "
            "them. Without one, the command acts as the operator who holds the database "
            "credentials.",
        ),
    ] = None,
) -> None:
    session.start(token)


# --help lists commands in the order they are registered here (groups after commands).
serve.register(app)
data.register(app)
analysis.register(app)
resolution.register(app)
elements.register(app)
consistency.register(app)
devtools.register(app)
exports.register(app)
signing.register(app)
tokens.register(app)
audit.register(app)
evidence.register(app)
backup.register(app)
cases.register(app)


def main() -> None:
    app()
