"""Settings, read once from the environment (and an optional .env file); .env.example lists them."""

import sys
from pathlib import Path
from typing import Annotated, Literal

import sqlalchemy as sa
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./almaty.sqlite3",
        description="SQLAlchemy URL: a SQLite file by default, postgresql+psycopg://...",
    )
    seed_dir: Path = Field(default=PROJECT_ROOT / "seed", description="the folder of seed data")
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
    cursor_key: str = Field(
        default="almaty-process-cursors",
        min_length=8,
        description="signs pagination cursors; replicas behind one balancer must share it",
    )
    graphql_time_budget: float = Field(
        default=5.0, gt=0, description="seconds a GraphQL request may spend reading the database"
    )
    graphiql_assets: Path = Field(
        default=PROJECT_ROOT / "graphiql" / "node_modules",
        description="where npm installed GraphiQL's scripts (graphiql/package.json)",
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

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return (
            [part.strip() for part in value.split(",") if part.strip()]
            if isinstance(value, str)
            else value
        )


def load_settings() -> Settings:
    """The settings, or an exit that names the variable at fault (before anything starts)."""
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in error.errors()
        )
        print(f"invalid configuration: {problems}", file=sys.stderr)
        raise SystemExit(2) from None


settings = load_settings()
