"""The README's first examples work as pasted, against a real server."""

import json
import re
import subprocess
from pathlib import Path

import pytest

# A system test (a live server): `-m "not slow"` skips it.
pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parent.parent / "README.md"


def _first_examples() -> list[str]:
    """The commands of the shell block that follows "Then, in another terminal:"."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"Then, in another terminal:\s*```sh\n(.*?)```", text, re.DOTALL)
    assert block is not None, "the README lost its first examples"
    return [command for command in block.group(1).split("\ncurl") if command.strip()]


def test_the_readme_examples_answer_as_shown(sqlite_live_server: str) -> None:
    commands = _first_examples()
    assert len(commands) == 2
    answers = []
    for command in commands:
        command = command if command.startswith("curl") else f"curl{command}"
        pasted = command.replace("http://127.0.0.1:8000", sqlite_live_server)
        done = subprocess.run(
            ["bash", "-c", pasted], capture_output=True, text=True, timeout=30, check=False
        )
        assert done.returncode == 0, done.stderr
        answers.append(json.loads(done.stdout))
    events, graphql = answers
    assert events["items"]
    assert all(e["country"]["code"] == "KAZ" for e in events["items"])
    event = graphql["data"]["event"]
    assert event["startDate"] == "2011-03-15"
    assert event["claims"][0]["sources"][0]["quote"].startswith("15 - 16 March 2011")
