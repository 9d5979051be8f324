"""Running the schemathesis command against a live server."""

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def schemathesis(url: str, *options: str) -> subprocess.CompletedProcess[str]:
    """`schemathesis run URL` with a fixed seed, bounded, with schemathesis.toml in force."""
    command = [str(Path(sys.executable).with_name("schemathesis")), "run", url]
    return subprocess.run(
        [*command, "--max-examples", "25", "--seed", "20261126", *options],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
