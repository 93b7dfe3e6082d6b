"""Static checks of docker-compose.yml and the Dockerfile (no Docker engine needed)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from accountability.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"

NEO4J = "neo4j"
SERVICE = "service"
VOLUME = "neo4j-data"

# ${VAR}, ${VAR:?msg}, ${VAR:-default}, $VAR -- but not the $$ escape.
_VAR_REF = re.compile(r"(?<!\$)\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))")


def _compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "docker-compose.yml must be a mapping"
    return data


def _services() -> dict[str, Any]:
    services = _compose().get("services")
    assert isinstance(services, dict), "docker-compose.yml has no services"
    return services


def _env(service: str) -> dict[str, str]:
    """A service's environment, whether written as a mapping or as a KEY=VALUE list."""
    raw = _services()[service].get("environment") or {}
    if isinstance(raw, list):
        pairs = (item.split("=", 1) for item in raw)
        return {k: v for k, v in (p if len(p) == 2 else (p[0], "") for p in pairs)}
    return {str(k): "" if v is None else str(v) for k, v in raw.items()}


def _var_refs(value: str) -> set[str]:
    return {a or b for a, b in _VAR_REF.findall(value)}


def _host_ips(service: str) -> list[str | None]:
    """The host IP of every published port (None when it binds all interfaces)."""
    ips: list[str | None] = []
    for port in _services()[service].get("ports") or []:
        if isinstance(port, dict):
            ips.append(port.get("host_ip"))
            continue
        parts = str(port).rsplit(":", 2)
        ips.append(parts[0] if len(parts) == 3 else None)
    return ips


def _dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text(encoding="utf-8")
    text = re.sub(r"\\\n", " ", text)
    out: list[tuple[str, str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        out.append((keyword.upper(), rest.strip()))
    return out


def _neo4j_auth_var() -> str:
    refs = _var_refs(_env(NEO4J).get("NEO4J_AUTH", ""))
    assert len(refs) == 1, "NEO4J_AUTH must take its password from exactly one env variable"
    return refs.pop()


def test_both_services_exist() -> None:
    services = _services()
    assert NEO4J in services
    assert SERVICE in services


def test_neo4j_image_is_official_neo4j_5() -> None:
    image = _services()[NEO4J]["image"]
    assert re.fullmatch(r"(docker\.io/)?(library/)?neo4j:5(\.\d+)*(-[a-z0-9.-]+)?", image), image
    assert "enterprise" not in image


def test_neo4j_auth_comes_from_env() -> None:
    auth = _env(NEO4J).get("NEO4J_AUTH")
    assert auth, "NEO4J_AUTH must be set"
    assert auth.startswith("neo4j/")
    password = auth.removeprefix("neo4j/")
    assert _VAR_REF.fullmatch(password), f"NEO4J_AUTH password must be an env reference: {auth!r}"
    _neo4j_auth_var()


def test_neo4j_data_volume_declared_and_mounted() -> None:
    volumes = _compose().get("volumes")
    assert isinstance(volumes, dict)
    assert VOLUME in volumes
    mounts = _services()[NEO4J].get("volumes") or []
    targets = set()
    for mount in mounts:
        if isinstance(mount, dict):
            if mount.get("source") == VOLUME:
                targets.add(mount.get("target"))
        else:
            source, _, rest = str(mount).partition(":")
            if source == VOLUME:
                targets.add(rest.split(":", 1)[0])
    assert "/data" in targets


def test_neo4j_has_healthcheck() -> None:
    healthcheck = _services()[NEO4J].get("healthcheck")
    assert isinstance(healthcheck, dict)
    assert healthcheck.get("test")
    assert not healthcheck.get("disable", False)
    for key in ("interval", "timeout", "retries", "start_period"):
        assert key in healthcheck, key


def test_service_waits_for_healthy_neo4j() -> None:
    depends_on = _services()[SERVICE].get("depends_on")
    assert isinstance(depends_on, dict), "depends_on must use the long form with a condition"
    assert depends_on[NEO4J]["condition"] == "service_healthy"


def test_service_db_uri_targets_neo4j_service() -> None:
    uri = urlsplit(_env(SERVICE)["ACCOUNTABILITY_DB_URI"])
    assert uri.scheme in {"bolt", "neo4j"}
    assert uri.hostname == NEO4J


def test_service_password_matches_neo4j_auth() -> None:
    password = _env(SERVICE)["ACCOUNTABILITY_DB_PASSWORD"]
    assert _VAR_REF.fullmatch(password), "the service password must be an env reference"
    assert _var_refs(password) == {_neo4j_auth_var()}


def test_service_has_readiness_healthcheck() -> None:
    healthcheck = _services()[SERVICE].get("healthcheck")
    assert isinstance(healthcheck, dict)
    assert "/readyz" in " ".join(map(str, healthcheck.get("test") or []))


@pytest.mark.parametrize("service", [NEO4J, SERVICE])
def test_published_ports_bind_localhost(service: str) -> None:
    ips = _host_ips(service)
    assert ips, f"{service} publishes no ports"
    assert all(ip == "127.0.0.1" for ip in ips), ips


def test_compose_accountability_vars_are_settings_fields() -> None:
    names = set(re.findall(r"\bACCOUNTABILITY_([A-Z0-9_]+)", COMPOSE_FILE.read_text("utf-8")))
    assert names
    unknown = {n for n in names if n.lower() not in Settings.model_fields}
    assert not unknown, f"not fields of Settings: {sorted(unknown)}"


def test_dockerfile_copies_cypher() -> None:
    assert DOCKERFILE.is_file()
    sources = [
        shlex.split(rest)[:-1]
        for keyword, rest in _dockerfile_instructions()
        if keyword in {"COPY", "ADD"}
    ]
    assert any(s.rstrip("/") in {"cypher", "."} for src in sources for s in src), sources


def test_dockerfile_cmd_serves() -> None:
    cmds = [rest for keyword, rest in _dockerfile_instructions() if keyword == "CMD"]
    assert cmds, "Dockerfile has no CMD"
    cmd = cmds[-1]
    argv = yaml.safe_load(cmd) if cmd.startswith("[") else shlex.split(cmd)
    assert argv[:2] == ["accountability", "serve"], argv
