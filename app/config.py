"""Settings, read once from the environment (and an optional .env file); .env.example lists them."""

import os
import re
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

import sqlalchemy as sa
from pydantic import AwareDatetime, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# A host name as Host carries it without its port, or a pattern for its subdomains.
_HOST_PATTERN = re.compile(r"(\*\.)?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./almaty.sqlite3",
        description="SQLAlchemy URL: a SQLite file by default, postgresql+psycopg://...",
    )
    seed_dir: Path = Field(default=PROJECT_ROOT / "seed", description="the folder of seed data")
    bulk_dir: Path = Field(
        default=Path(tempfile.gettempdir()) / "almaty-bulk",
        description="where the bulk files of each data version are built and served from",
    )
    main_process: str = Field(
        default="almaty-process", description="slug of the process this service is about"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="the level of the JSON logs"
    )
    access_log: bool = Field(default=True, description="one JSON line per request")
    log_format: Literal["auto", "json", "text"] = Field(
        default="auto",
        description="json for machines, text for people; auto: text when writing to a terminal",
    )
    workers: int = Field(default=1, ge=1, le=64, description="uvicorn worker processes")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default=["*"], description="comma-separated origins allowed to read the API"
    )
    db_pool_size: int = Field(default=10, ge=1, le=200, description="pooled connections")
    db_max_overflow: int = Field(default=10, ge=0, le=200, description="extra connections")
    db_pool_timeout: float = Field(
        default=5.0, gt=0, description="seconds a request waits for a pooled connection"
    )
    db_statement_timeout_ms: int = Field(
        default=5000, ge=100, description="PostgreSQL cancels a statement running longer"
    )
    db_connect_timeout: int = Field(
        default=3, ge=1, description="seconds to wait for PostgreSQL to accept a connection"
    )
    environment: Literal["development", "production"] = Field(
        default="development",
        description="production refuses to start without CURSOR_KEY, and without PUBLIC_URL or "
        "ALLOWED_HOSTS",
    )
    cursor_key: str | None = Field(
        default=None,
        min_length=16,
        description="signs pagination cursors; replicas behind one balancer must share it; "
        "required in production; in development, unset: a random key per start",
    )
    cursor_previous_key: str | None = Field(
        default=None,
        min_length=16,
        description="the key before the last rotation: its cursors are still accepted until "
        "CURSOR_PREVIOUS_KEY_UNTIL",
    )
    cursor_previous_key_until: AwareDatetime | None = Field(
        default=None,
        description="when cursors signed with CURSOR_PREVIOUS_KEY stop being accepted (ISO 8601 "
        "with a time zone)",
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default=["*"],
        description="comma-separated Host names answered (others get a 400); * answers any",
    )
    max_body_bytes: int = Field(
        default=100 * 1024, ge=1024, description="largest request body accepted (bytes): a 413"
    )
    max_query_params: int = Field(
        default=64, ge=8, description="most query parameters one request may send: a 400"
    )
    header_timeout: float = Field(
        default=10.0, gt=0, description="seconds a client has to send a request's headers"
    )
    body_timeout: float = Field(
        default=10.0, gt=0, description="seconds a client has to send a request's body"
    )
    db_lock_timeout_ms: int = Field(
        default=1000, ge=10, description="PostgreSQL gives up waiting for a lock after this (ms)"
    )
    graphql_max_cost: int = Field(
        default=100_000,
        ge=1,
        description="most values a GraphQL query may return (every field, times the list sizes "
        "above it), computed before it runs",
    )
    graphql_max_response_bytes: int = Field(
        default=4 * 1024 * 1024, ge=1024, description="largest GraphQL answer (bytes)"
    )
    graphql_persisted_queries: int = Field(
        default=1000,
        ge=0,
        description="most persisted GraphQL queries (APQ) one process keeps, least recently used "
        "out; 0: persisted queries off",
    )
    graphql_persisted_bytes: int = Field(
        default=4 * 1024 * 1024,
        ge=0,
        description="most bytes of persisted query texts one process keeps in all",
    )
    graphql_persisted_query_bytes: int = Field(
        default=32 * 1024,
        ge=1,
        description="largest query text that may be registered as a persisted query (bytes)",
    )
    metrics_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="serve /metrics only on this port (on METRICS_HOST), not on the API's port",
    )
    metrics_host: str = Field(
        default="127.0.0.1", description="the interface of the private /metrics port"
    )
    graphql_time_budget: float = Field(
        default=5.0,
        gt=0,
        description="seconds of wall time a GraphQL request may take, waits included",
    )
    graphiql_assets: Path = Field(
        default=PROJECT_ROOT / "graphiql" / "node_modules",
        description="where npm installed GraphiQL's scripts (graphiql/package.json)",
    )
    dashboard_assets: Path = Field(
        default=PROJECT_ROOT / "dashboard",
        description="the /dashboard page's script and styles, and node_modules/ where npm "
        "installed its charting library (dashboard/package.json)",
    )
    response_cache_mb: float = Field(
        default=64.0,
        ge=0,
        description="memory for the response cache (MB): answers kept per data version; 0: off",
    )
    data_version_check: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description="seconds between checks for a new data version: a reload shows within this",
    )
    request_time_budget: float = Field(
        default=10.0,
        gt=0,
        description="seconds a request may spend reading SQLite before it is stopped (a 503)",
    )
    public_url: str | None = Field(
        default=None,
        description="base URL for links in feeds (ICS, JSON-LD); default: the request's own",
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        try:
            backend = sa.make_url(value).get_backend_name()
        except sa.exc.ArgumentError as error:
            raise ValueError(f"is not a database URL: {error}") from None
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"names {backend!r}; use sqlite:// or postgresql+psycopg://")
        return value

    @field_validator("cors_origins", "allowed_hosts", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return (
            [part.strip() for part in value.split(",") if part.strip()]
            if isinstance(value, str)
            else value
        )

    @field_validator("allowed_hosts")
    @classmethod
    def _host_names(cls, value: list[str]) -> list[str]:
        if "*" in value and len(value) > 1:
            raise ValueError("* answers any host: give it alone, or list host names without it")
        for host in value:
            if host != "*" and not _HOST_PATTERN.fullmatch(host):
                raise ValueError(
                    f"{host!r} is not a host name (nor *.domain): no scheme, port or path"
                )
        return value

    @field_validator("public_url")
    @classmethod
    def _absolute_base(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an absolute http(s) URL")
        if parts.query or parts.fragment:
            raise ValueError(f"{value!r} is a base URL: no query or fragment")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _production_ready(self) -> "Settings":
        if self.environment == "production":
            if self.cursor_key is None:
                raise ValueError("CURSOR_KEY must be set in production (a secret, 16+ characters)")
            if self.public_url is None and self.allowed_hosts == ["*"]:
                raise ValueError("production needs PUBLIC_URL or ALLOWED_HOSTS (not *)")
        if (self.cursor_previous_key is None) != (self.cursor_previous_key_until is None):
            raise ValueError("CURSOR_PREVIOUS_KEY and CURSOR_PREVIOUS_KEY_UNTIL go together")
        return self


def load_settings() -> Settings:
    """The settings, or an exit that names the variable at fault (before anything starts)."""
    try:
        loaded = Settings()
    except ValidationError as error:
        problems = "; ".join(
            ": ".join(filter(None, ("_".join(str(p) for p in e["loc"]).upper(), e["msg"]))).replace(
                "Value error, ", ""
            )
            for e in error.errors()
        )
        print(f"invalid configuration: {problems}", file=sys.stderr)
        raise SystemExit(2) from None
    if loaded.cursor_key is None:
        # Development only (production refuses to start without one): a random key, left in the
        # environment so that the workers this process starts sign and read cursors alike.
        loaded.cursor_key = os.environ["CURSOR_KEY"] = secrets.token_urlsafe(32)
    return loaded


settings = load_settings()
