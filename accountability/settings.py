"""Configuration, read once from the environment (prefix ``ACCOUNTABILITY_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """Every setting of the service; build one and pass it in, never mutate a global."""

    model_config = SettingsConfigDict(env_prefix="ACCOUNTABILITY_", extra="ignore")

    db_uri: str | None = Field(
        default=None,
        description="Bolt URI of a Neo4j server (bolt://, neo4j://, neo4j+s://). "
        "Unset: start the embedded ArcadeDB engine.",
    )
    db_user: str = "neo4j"
    db_password: SecretStr = SecretStr("")
    db_name: str | None = Field(
        default=None, description="Database name; the embedded engine always uses 'g'."
    )
    data_dir: Path = Path("./data")
    host: str = "127.0.0.1"
    port: int = 8000
    access_log: bool = Field(default=False, description="Log every HTTP request.")

    embedded_heap_mb: int = Field(default=512, ge=64)
    embedded_fsync: bool = Field(
        default=True,
        description="fsync the write-ahead log at every commit (evidence deserves it).",
    )
    embedded_start_timeout_s: float = 60.0
    embedded_restarts: int = Field(
        default=5,
        ge=0,
        description="Attempts to restart the embedded engine when it exits unasked, with "
        "a doubling wait between them (0: never restart; the service reports it unready).",
    )
    embedded_restart_backoff_s: float = Field(
        default=1.0, gt=0, description="Wait before the second restart attempt; doubles."
    )
    query_timeout_s: float = Field(default=30.0, gt=0, description="Per-query time-out.")
    readiness_timeout_s: float = 3.0

    auth_cache_s: float = Field(
        default=5.0,
        ge=0,
        description="How long a verified token is trusted before it is checked again "
        "(a revocation on another instance takes effect within auth_poll_s; on this one, at "
        "once).",
    )
    auth_poll_s: float = Field(
        default=1.0,
        gt=0,
        description="How often each instance asks the database whether a token was revoked "
        "(by any instance), and then forgets the tokens it had verified.",
    )

    jwt_issuer: str | None = Field(
        default=None, description="Accept JWTs from this identity provider (its 'iss')."
    )
    jwt_audience: str | None = Field(default=None, description="The 'aud' JWTs must carry.")
    jwt_key_file: Path | None = Field(
        default=None, description="PEM public key that signs the JWTs."
    )
    jwt_jwks_file: Path | None = Field(
        default=None, description="A JWKS document (a saved copy) with the signing keys."
    )
    jwt_role_claim: str = Field(default="role", description="The claim that holds the role.")
    jwt_algorithms: list[str] = Field(default_factory=lambda: ["RS256", "ES256"])

    remask_sweep_s: float = Field(
        default=30.0,
        gt=0,
        description="How often the service looks for texts left waiting to be masked again "
        "(by a process that stopped mid-write).",
    )
    cursor_key_file: Path | None = Field(
        default=None,
        description="The key that encrypts page cursors (created, 0600, if missing). "
        "Default: cursor.key in the data folder. Give every instance over one graph the "
        "same file, so a cursor from one is good on another.",
    )

    signing_dir: Path | None = Field(
        default=None,
        description="The folder of the key that signs bundles (created, 0600, on first "
        "use) and of every public key it has had. Default: signing/ in the data folder. "
        "For a Neo4j deployment, a mounted volume or secret shared by every instance.",
    )

    graphql_max_depth: int = Field(default=12, ge=2, description="Deepest query nesting.")
    graphql_max_tokens: int = Field(default=5000, ge=100, description="Longest query, in tokens.")
    graphql_max_aliases: int = Field(default=30, ge=1, description="Most aliases in a query.")
    workers: int = Field(
        default=1,
        ge=1,
        description="Service processes `serve` runs on its port and engine (more than one "
        "uses more than one core).",
    )
    graphql_heavy_concurrency: int = Field(
        default=2,
        ge=1,
        description="Most operations asking for a trace, profile, chart or other graph walk "
        "that run at once in a process; the others wait their turn.",
    )
    introspection: bool = Field(
        default=True, description="Answer schema introspection; turn off in production."
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Origins of front-end apps allowed to call the API from a browser.",
    )
    web_dist: Path | None = Field(
        default=None,
        description="The built workbench (web/dist) served at /app/. Default: web/dist "
        "next to the package (a source checkout, where ./dev install builds it).",
    )

    look_ahead: bool = Field(
        default=True,
        description="Read a node's claims with their other ends and evidence in one "
        "statement when the query asks for them (false: one query a level and kind).",
    )
    max_page_size: int = 500
    default_page_size: int = 50
    import_batch_size: int = Field(default=2000, gt=0, description="Rows per UNWIND.")
    import_tx_records: int = Field(
        default=20_000,
        gt=0,
        description="Records per import transaction; a file up to this size is all or nothing.",
    )

    export_ttl_hours: float = Field(
        default=24.0,
        gt=0,
        description="Hours an export started through the API stays downloadable before its "
        "file is deleted.",
    )
    export_dir: Path | None = Field(
        default=None,
        description="Where bundles of exports started through the API are written (default: "
        "<data dir>/exports). Instances behind one load balancer share it.",
    )

    cypher_dir: Path = PROJECT_ROOT / "cypher"

    @property
    def export_folder(self) -> Path:
        return self.export_dir or self.data_dir / "exports"

    @property
    def signing_folder(self) -> Path:
        return self.signing_dir or self.data_dir / "signing"
