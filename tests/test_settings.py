"""Settings an operator gets wrong: production refuses to start rather than run unsafely."""

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.config import Settings, load_settings

PROJECT = Path(__file__).resolve().parent.parent
ALMATY = str(Path(sys.executable).parent / "almaty")
KEY = "a-secret-of-sixteen-or-more"
_OURS = ("CURSOR_", "PUBLIC_URL", "ALLOWED_HOSTS", "ENVIRONMENT")


@dataclass(frozen=True)
class Started:
    code: int
    settings: Settings | None
    err: str


Start = Callable[..., Started]


@pytest.fixture
def start(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Start:
    """Reads the settings as a starting process does, from these variables only."""

    def read(**variables: str) -> Started:
        for name in [name for name in os.environ if name.startswith(_OURS)]:
            monkeypatch.delenv(name)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        try:
            loaded, code = load_settings(), 0
        except SystemExit as stopped:
            loaded, code = None, int(str(stopped.code))
        return Started(code, loaded, capsys.readouterr().err)

    return read


def test_the_command_refuses_to_start_in_one_line() -> None:
    """The smoke test, in a process of its own: an exit code and one line, no traceback."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    result = subprocess.run(
        [ALMATY, "graphql-schema"],
        env={**environment, "ENVIRONMENT": "production"},
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "invalid configuration: CURSOR_KEY must be set in production (a secret, 16+ characters)"
    ]


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({}, "CURSOR_KEY must be set in production"),
        ({"CURSOR_KEY": KEY}, "production needs PUBLIC_URL or ALLOWED_HOSTS"),
        ({"CURSOR_KEY": KEY, "ALLOWED_HOSTS": "*"}, "production needs PUBLIC_URL or ALLOWED_HOSTS"),
        ({"CURSOR_KEY": "short", "PUBLIC_URL": "https://x.org"}, "CURSOR_KEY:"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(
    start: Start, variables: dict[str, str], named: str
) -> None:
    result = start(ENVIRONMENT="production", **variables)
    assert result.code == 2
    assert result.err.startswith("invalid configuration: ")
    assert named in result.err
    # One line an operator can read, not a traceback.
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "variables",
    [{"PUBLIC_URL": "https://api.example.org"}, {"ALLOWED_HOSTS": "api.example.org"}],
)
def test_production_starts_with_a_key_and_a_public_url_or_hosts(
    start: Start, variables: dict[str, str]
) -> None:
    result = start(ENVIRONMENT="production", CURSOR_KEY=KEY, **variables)
    assert result.code == 0, result.err
    assert result.settings is not None
    assert result.settings.cursor_key == KEY


def test_a_previous_cursor_key_needs_its_end_of_grace(start: Start) -> None:
    result = start(CURSOR_KEY=KEY, CURSOR_PREVIOUS_KEY=KEY + "-old")
    assert result.code == 2
    assert "CURSOR_PREVIOUS_KEY and CURSOR_PREVIOUS_KEY_UNTIL go together" in result.err
    naive = start(
        CURSOR_KEY=KEY,
        CURSOR_PREVIOUS_KEY=KEY + "-old",
        CURSOR_PREVIOUS_KEY_UNTIL="2026-12-01T00:00:00",
    )
    assert naive.code == 2
    assert "CURSOR_PREVIOUS_KEY_UNTIL:" in naive.err


def test_development_without_a_key_makes_one_the_workers_share(start: Start) -> None:
    first = start().settings
    first_env = os.environ["CURSOR_KEY"]
    second = start().settings
    assert first is not None
    assert second is not None
    # Left in the environment for the worker processes `almaty serve` starts, and never a
    # fixed public string: each start has its own.
    assert first.cursor_key == first_env
    assert len(first_env) >= 32
    assert first.cursor_key != second.cursor_key


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"ALLOWED_HOSTS": "*,api.example.org"}, "ALLOWED_HOSTS: * answers any host"),
        ({"ALLOWED_HOSTS": "https://api.example.org"}, "ALLOWED_HOSTS: 'https://api.example"),
        ({"ALLOWED_HOSTS": "api.example.org:8000"}, "ALLOWED_HOSTS: 'api.example.org:8000'"),
        ({"PUBLIC_URL": "api.example.org"}, "PUBLIC_URL: 'api.example.org' is not an absolute"),
        ({"PUBLIC_URL": "ftp://api.example.org"}, "PUBLIC_URL: 'ftp://api.example.org' is not"),
        ({"PUBLIC_URL": "https://x.org/?v=1"}, "PUBLIC_URL: 'https://x.org/?v=1' is a base URL"),
    ],
)
def test_host_settings_are_checked_at_start(
    start: Start, variables: dict[str, str], named: str
) -> None:
    result = start(ENVIRONMENT="production", CURSOR_KEY=KEY, **variables)
    assert result.code == 2
    assert named in result.err, result.err


def test_a_public_url_is_kept_without_its_trailing_slash(start: Start) -> None:
    result = start(PUBLIC_URL="https://api.example.org/almaty/")
    assert result.settings is not None
    assert result.settings.public_url == "https://api.example.org/almaty"
