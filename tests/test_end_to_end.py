"""The service as a user runs it: the CLI starts uvicorn on the embedded engine."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.builders import REPO, document, make_node

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accountability", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    data = tmp_path_factory.mktemp("e2e")
    port = _free_port()
    env = {
        **os.environ,
        "ACCOUNTABILITY_DATA_DIR": str(data / "data"),
        "ACCOUNTABILITY_PORT": str(port),
        "ACCOUNTABILITY_EMBEDDED_HEAP_MB": "256",
        # Revocation must show at once here; in service it shows within the cache time.
        "ACCOUNTABILITY_AUTH_CACHE_S": "0",
    }
    env.pop("ACCOUNTABILITY_DB_URI", None)
    log = (data / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "accountability", "serve"],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert proc.poll() is None, (data / "serve.log").read_text()
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("service did not become ready:\n" + (data / "serve.log").read_text())
        printed = re.search(r"^\s+(acc_\S+)$", (data / "serve.log").read_text(), re.M)
        assert printed, "the first start prints an admin token"
        env["E2E_TOKEN"] = printed.group(1)
        yield base, env
    finally:
        proc.terminate()
        proc.wait(60)
        log.close()


def _post(base: str, token: str, query: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_health_and_graphiql(served: tuple[str, dict[str, str]]) -> None:
    base, _ = served
    assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{base}/readyz").json()["status"] == "ready"
    page = httpx.get(f"{base}/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


def test_cli_demo_import_export_against_running_service(
    served: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base, env = served
    result = _cli(env, "demo")
    assert result.returncode == 0, result.stderr
    body = _post(
        base, env["E2E_TOKEN"], "{ persons(first: 100) { totalCount } incidents { totalCount } }"
    )
    assert body["data"]["persons"]["totalCount"] >= 40
    assert body["data"]["incidents"]["totalCount"] >= 30

    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            document(
                [make_node("e2e-u1", "Unit", name="Fictional"), make_node("e2e-u2", "Unit")],
                [{"id": "e2e-c1", "type": "COMMANDED", "from": "e2e-u1", "to": "e2e-u1"}],
            )
        )
    )
    result = _cli(env, "import", str(bad))
    assert result.returncode == 1
    assert "nodes[1].properties.name" in result.stderr and "claims[0].type" in result.stderr
    assert "nothing was written" in result.stderr
    assert _post(base, env["E2E_TOKEN"], '{ node(id: "e2e-u1") { id } }')["data"]["node"] is None

    out = tmp_path / "export.json"
    # The whole graph leaves only with an admin's token: the operator reads masked.
    result = _cli(env, "export", "--out", str(out))
    assert result.returncode == 1 and "admin's token" in result.stderr
    result = _cli(env, "--token", env["E2E_TOKEN"], "export", "--out", str(out))
    assert result.returncode == 0, result.stderr
    exported = json.loads(out.read_text())
    assert exported["format"] == "accountability-graph" and len(exported["claims"]) > 100
    # It comes back in only with a cleared token too: the operator is shown protected
    # persons by pseudonym, and a file of their real names is refused alike whether its
    # names are right or wrong (a write judged on the originals would confirm a guess).
    result = _cli(env, "import", str(out))
    assert result.returncode == 1 and "needs clearance" in result.stderr, result.stderr
    result = _cli(env, "--token", env["E2E_TOKEN"], "import", str(out))
    assert result.returncode == 0, result.stderr


def test_cli_analyses_on_the_demo(served: tuple[str, dict[str, str]]) -> None:
    _, env = served
    assert _cli(env, "demo").returncode == 0
    result = _cli(env, "trace", "i-001", "--json")
    assert result.returncode == 0, result.stderr
    trace = json.loads(result.stdout)
    modes = {(link["person"], link["mode"]) for link in trace["links"]}
    assert {
        ("p-010", "PERPETRATION"),
        ("p-003", "ORDERING"),
        ("p-003", "SUPERIOR_RESPONSIBILITY"),
    } <= modes
    assert not {p for p, _ in modes} & {"p-002", "p-004"}  # ended before, began after

    result = _cli(env, "explain", "p-002", "i-001", "--json")
    assert result.returncode == 0, result.stderr
    reasons = [r for path in json.loads(result.stdout)["paths"] for r in path["reasons"]]
    assert any("ended 2012-12-31" in r for r in reasons)
    assert _cli(env, "explain", "p-002", "i-001").returncode == 0

    result = _cli(env, "chart", "u-04", "--at", "2014-07-10", "--json")
    assert result.returncode == 0, result.stderr
    commanders = {
        e["node_id"] for e in json.loads(result.stdout)["entries"] if e["role"] == "COMMANDER"
    }
    assert commanders == {"p-003", "p-004"}

    result = _cli(env, "profile", "p-003")
    assert result.returncode == 0 and "ORDERING" in result.stdout, result.stderr
    result = _cli(env, "chart", "u-04", "--at", "not-a-date")
    assert result.returncode == 1 and "not a date" in result.stderr
    result = _cli(env, "trace", "no-such-incident")
    assert result.returncode == 1 and "no incident" in result.stderr


def test_tokens_are_required_and_revocable(served: tuple[str, dict[str, str]]) -> None:
    base, env = served
    for headers in ({}, {"Authorization": "Bearer acc_bad_token"}, {"Authorization": "Basic x"}):
        response = httpx.post(f"{base}/graphql", json={"query": "{ __typename }"}, headers=headers)
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert httpx.get(f"{base}/healthz").status_code == 200

    created = _cli(env, "token", "create", "--role", "viewer", "--name", "Fictional reader")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert _post(base, token, "{ __typename }") == {"data": {"__typename": "Query"}}
    body = _post(
        base, token, 'mutation { createNode(label: UNIT, properties: {name: "x"}) { id } }'
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    refused = _cli(env, "--token", token, "export", "--out", "/dev/null")
    assert refused.returncode == 1 and "only an admin may export" in refused.stderr
    assert "not valid" in _cli(env, "--token", "acc_x_y", "trace", "i-001").stderr
    audit = _cli(env, "audit", "list", "--first", "500")
    assert "Fictional reader" not in audit.stdout  # a refused export leaves no entry

    listed = _cli(env, "token", "list")
    token_id = token.split("_")[1]
    assert token_id in listed.stdout and token not in listed.stdout
    assert _cli(env, "token", "revoke", token_id).returncode == 0
    response = httpx.post(
        f"{base}/graphql",
        json={"query": "{ __typename }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 401


def test_case_file_to_verified_bundle(served: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    """A prosecutor's path through the CLI: a case from a trace, a bundle, its check."""
    _, env = served
    assert _cli(env, "demo").returncode == 0
    created = _cli(env, "case", "create", "--title", "Fictional case", "--id", "e2e-case")
    assert created.returncode == 0 and created.stdout.strip() == "e2e-case", created.stderr
    added = _cli(env, "case", "add-trace", "e2e-case", "i-001")
    assert added.returncode == 0 and "p-010" in added.stdout, added.stderr
    assert "e2e-case" in _cli(env, "case", "list").stdout
    shown = _cli(env, "case", "show", "e2e-case")
    assert shown.returncode == 0 and "i-001" in shown.stdout

    token = _cli(env, "token", "create", "--role", "analyst", "--name", "Fictional analyst")
    out = tmp_path / "case.zip"
    result = _cli(
        env, "--token", token.stdout.strip(), "export", "--case", "e2e-case", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "partner profile; asked for court" in result.stderr  # the role caps the profile
    checked = _cli(env, "verify-bundle", str(out))
    assert checked.returncode == 0 and "bundle verified" in checked.stderr, checked.stderr

    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data.replace(b"i-001", b"i-002") if name == "case.json" else data)
    rejected = _cli(env, "verify-bundle", str(tampered))
    assert rejected.returncode == 1 and "case.json: SHA-256" in rejected.stderr
