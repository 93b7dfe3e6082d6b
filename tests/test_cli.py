"""The command line acts as one viewer for everything a command does: a token's holder,
or without a token the operator, who administers but is not cleared to see who is
protected. Run in this process against the session's engine (the CLI attaches to it)."""

from __future__ import annotations

import ast
import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import pytest_asyncio
from typer.testing import CliRunner, Result

from accountability.cli import app
from accountability.cli.session import viewer_for
from accountability.domain.redaction import OPERATOR, SYSTEM, Role
from accountability.errors import Unauthenticated
from accountability.graph.database import Database
from accountability.services import cursors
from accountability.services.audit import AuditEntry
from accountability.services.container import Services
from accountability.settings import Settings

pytestmark = pytest.mark.slow

#: A protected witness of the fictional demo: victim of i-005.
WITNESS = "p-020"
PSEUDONYM = "Witness K-7"
REAL_NAMES = ("Rasha Homsi", "Racha Homsi", "رشا الحمصي")

Cli = Callable[..., Awaitable[Result]]


@pytest.fixture(scope="module")
def cli(settings: Settings, db: Database) -> Cli:
    """Run ``accountability ARGS`` (with ``--token`` when given) against the session's
    database; ``db`` is open, so the command attaches to its engine."""
    env: dict[str, str | None] = {
        "ACCOUNTABILITY_TOKEN": None,
        "ACCOUNTABILITY_DATA_DIR": str(settings.data_dir),
        "ACCOUNTABILITY_DB_URI": settings.db_uri,
        "ACCOUNTABILITY_DB_USER": settings.db_user,
        "ACCOUNTABILITY_DB_PASSWORD": settings.db_password.get_secret_value(),
        "ACCOUNTABILITY_DB_NAME": settings.db_name,
        "COLUMNS": "250",  # no name cut or wrapped in a table
    }
    runner = CliRunner()

    async def run(*args: str, token: str | None = None) -> Result:
        argv = [*(["--token", token] if token else []), *args]
        # The command runs its own event loop: off this one, in a thread.
        return await asyncio.to_thread(lambda: runner.invoke(app, argv, env=env))

    return run


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def case_id(cli: Cli) -> str:
    """The demo loaded by the CLI, and a case file holding the trace of i-005, whose
    victim is a protected witness."""
    loaded = await cli("demo")
    assert loaded.exit_code == 0, loaded.output
    case = f"cli-case-{uuid.uuid4().hex[:8]}"
    created = await cli("case", "create", "--title", "Fictional CLI case", "--id", case)
    assert created.exit_code == 0 and created.stdout.strip() == case, created.output
    added = await cli("case", "add-trace", case, "i-005")
    assert added.exit_code == 0 and WITNESS in added.stdout.split(), added.output
    return case


async def _audit_since(services: Services, seq: int) -> list[AuditEntry]:
    entries, _ = await services.audit.page(SYSTEM, 500, cursors.encode(str(seq)) if seq else None)
    return entries


def _protected_reads(entries: list[AuditEntry]) -> list[AuditEntry]:
    return [e for e in entries if e.action == "read_protected"]


async def test_without_a_token_case_show_shows_the_pseudonym(
    cli: Cli, case_id: str, services: Services
) -> None:
    seq, _ = await services.audit.head()
    shown = await cli("case", "show", case_id)
    assert shown.exit_code == 0, shown.output
    assert PSEUDONYM in shown.stdout and WITNESS in shown.stdout
    assert not [n for n in REAL_NAMES if n in shown.output]
    listed = await cli("case", "list")
    assert listed.exit_code == 0 and case_id in listed.stdout, listed.output
    # The operator is not cleared: nothing protected was read, so nothing to audit.
    assert _protected_reads(await _audit_since(services, seq)) == []


async def test_with_a_prosecutor_token_case_show_names_and_audits(
    cli: Cli, case_id: str, services: Services, tokens: dict[Role, str]
) -> None:
    seq, _ = await services.audit.head()
    shown = await cli("case", "show", case_id, token=tokens[Role.PROSECUTOR])
    assert shown.exit_code == 0, shown.output
    assert REAL_NAMES[0] in shown.stdout and PSEUDONYM not in shown.stdout
    reads = _protected_reads(await _audit_since(services, seq))
    assert [(e.actor, e.role) for e in reads] == [("test prosecutor", "prosecutor")]
    assert WITNESS in reads[0].targets


async def test_a_viewer_token_case_show_leaves_out_evidence_it_may_not_know(
    cli: Cli, case_id: str, services: Services, tokens: dict[Role, str]
) -> None:
    members = (await cli("case", "show", case_id)).stdout
    evidence = {w for w in members.split() if w.startswith("e-")}
    stored = await services.nodes.get_stored(sorted(evidence))
    hidden = {i for i, r in stored.items() if r.properties.get("classification") != "public"}
    assert hidden, "the trace of i-005 brings in non-public evidence"
    shown = await cli("case", "show", case_id, token=tokens[Role.VIEWER])
    assert shown.exit_code == 0, shown.output
    assert not hidden & set(shown.stdout.split())


async def test_an_analysis_without_a_token_shows_the_pseudonym(
    cli: Cli, case_id: str, services: Services
) -> None:
    seq, _ = await services.audit.head()
    profile = await cli("profile", WITNESS, "--json")
    assert profile.exit_code == 0, profile.output
    assert json.loads(profile.stdout)["person"]["properties"]["name"] == PSEUDONYM
    assert not [n for n in REAL_NAMES if n in profile.stdout]
    table = await cli("profile", WITNESS)
    assert table.exit_code == 0 and PSEUDONYM in table.stdout, table.output
    assert not [n for n in REAL_NAMES if n in table.stdout]
    assert _protected_reads(await _audit_since(services, seq)) == []


async def test_an_analysis_with_a_prosecutor_token_names_and_audits(
    cli: Cli, case_id: str, services: Services, tokens: dict[Role, str]
) -> None:
    seq, _ = await services.audit.head()
    profile = await cli("profile", WITNESS, "--json", token=tokens[Role.PROSECUTOR])
    assert profile.exit_code == 0, profile.output
    assert json.loads(profile.stdout)["person"]["properties"]["name"] == REAL_NAMES[0]
    reads = _protected_reads(await _audit_since(services, seq))
    assert reads and {(e.actor, e.role) for e in reads} == {("test prosecutor", "prosecutor")}
    assert any(WITNESS in e.targets for e in reads)


async def test_the_operator_still_administers(cli: Cli, services: Services) -> None:
    seq, _ = await services.audit.head()
    case = f"cli-case-{uuid.uuid4().hex[:8]}"
    created = await cli("case", "create", "--title", "Fictional operator case", "--id", case)
    assert created.exit_code == 0, created.output
    audit = await cli("audit", "list", "--after", str(seq))
    assert audit.exit_code == 0, audit.output
    assert [line for line in audit.stdout.splitlines() if "operator" in line and "admin" in line]
    listed = await cli("token", "list")
    assert listed.exit_code == 0 and "test prosecutor" in listed.stdout, listed.output


async def test_the_one_viewer_of_a_command(services: Services, tokens: dict[Role, str]) -> None:
    assert await viewer_for(services, None) is OPERATOR
    assert await viewer_for(services, "") is OPERATOR
    assert OPERATOR.role is Role.ADMIN and not OPERATOR.cleared
    holder = await viewer_for(services, tokens[Role.ANALYST])
    assert (holder.name, holder.role) == ("test analyst", Role.ANALYST)
    with pytest.raises(Unauthenticated):
        await viewer_for(services, "acc_not_a_token")


def test_the_command_line_makes_no_viewer_of_its_own() -> None:
    """Only session.viewer_for chooses: no command reads as the system, and none makes
    up a viewer (as the analyses once made up an analyst)."""
    package = Path(__file__).resolve().parents[1] / "accountability" / "cli"
    for source in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            where = f"{source.name}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.ImportFrom):
                names = {a.name for a in node.names}
            elif isinstance(node, ast.Name):
                names = {node.id}
            elif isinstance(node, ast.Attribute):
                names = {node.attr}
            else:
                names = set()
            assert "SYSTEM" not in names, f"{where} reads as the system"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "Viewer", f"{where} makes up a viewer"
