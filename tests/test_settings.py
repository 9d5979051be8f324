"""Settings an operator gets wrong: production refuses to start rather than run unsafely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
ALMATY = str(Path(sys.executable).parent / "almaty")
KEY = "a-secret-of-sixteen-or-more"


def _start(**variables: str) -> subprocess.CompletedProcess[str]:
    """`almaty graphql-schema` (reads the settings, touches no database) with these variables."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CURSOR_", "PUBLIC_URL", "ALLOWED_HOSTS", "ENVIRONMENT"))
    }
    return subprocess.run(
        [ALMATY, "graphql-schema"],
        env={**environment, **variables},
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )


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
    variables: dict[str, str], named: str
) -> None:
    result = _start(ENVIRONMENT="production", **variables)
    assert result.returncode == 2
    assert result.stderr.startswith("invalid configuration: ")
    assert named in result.stderr
    # One line an operator can read, not a traceback.
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "variables",
    [{"PUBLIC_URL": "https://api.example.org"}, {"ALLOWED_HOSTS": "api.example.org"}],
)
def test_production_starts_with_a_key_and_a_public_url_or_hosts(variables: dict[str, str]) -> None:
    result = _start(ENVIRONMENT="production", CURSOR_KEY=KEY, **variables)
    assert result.returncode == 0, result.stderr
    assert "type Query" in result.stdout


def test_a_previous_cursor_key_needs_its_end_of_grace() -> None:
    result = _start(CURSOR_KEY=KEY, CURSOR_PREVIOUS_KEY=KEY + "-old")
    assert result.returncode == 2
    assert "CURSOR_PREVIOUS_KEY and CURSOR_PREVIOUS_KEY_UNTIL go together" in result.stderr
    naive = _start(
        CURSOR_KEY=KEY,
        CURSOR_PREVIOUS_KEY=KEY + "-old",
        CURSOR_PREVIOUS_KEY_UNTIL="2026-12-01T00:00:00",
    )
    assert naive.returncode == 2
    assert "CURSOR_PREVIOUS_KEY_UNTIL:" in naive.stderr


def test_development_without_a_key_makes_one_the_workers_share() -> None:
    probe = (
        "import os; from app.config import settings; "
        "print(settings.cursor_key, os.environ['CURSOR_KEY'])"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe],
            env={k: v for k, v in os.environ.items() if k != "CURSOR_KEY"},
            cwd=PROJECT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for _ in range(2)
    ]
    (first, first_env), (second, _) = runs
    # Left in the environment for the worker processes `almaty serve` starts, and never a
    # fixed public string: each start has its own.
    assert first == first_env
    assert len(first) >= 32
    assert first != second
