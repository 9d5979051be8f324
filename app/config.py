"""Settings, read once from the environment (and an optional .env file)."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

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
    cursor_key: str = Field(
        default="almaty-process-cursors",
        description="signs pagination cursors; replicas behind one balancer must share it",
    )
    graphql_time_budget: float = Field(
        default=5.0, gt=0, description="seconds a GraphQL request may spend reading the database"
    )
    graphiql_assets: Path = Field(
        default=PROJECT_ROOT / "graphiql" / "node_modules",
        description="where npm installed GraphiQL's scripts (graphiql/package.json)",
    )
    public_url: str | None = Field(
        default=None,
        description="base URL for links in feeds (ICS, JSON-LD); default: the request's own",
    )


settings = Settings()
