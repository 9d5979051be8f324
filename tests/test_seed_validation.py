"""A seed folder with a mistake is refused whole, with one line naming file, record and field."""

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.seed.build import build_seed
from app.seed.errors import SeedError
from app.seed.loader import load_seed
from tests.conftest import SEED_DIR, Almaty
from tests.seed_edits import Data, edit_yaml, record
from tests.snapshots import snapshot

EVENT = "second-som-2015"
A_QUOTE_OF_ANOTHER_RECORD = "The current chair is the Republic of Kazakhstan."


def _quote_not_in_document(folder: Path) -> None:
    def change(data: Data) -> None:
        record(data, "events", EVENT)["sources"][0] = "The meeting was held on the Moon."

    edit_yaml(folder, "events.yaml", change)


def _dangling_reference(folder: Path) -> None:
    def change(data: Data) -> None:
        record(data, "events", EVENT)["participants"].append(
            {"role": "funder", "organization": "prm-typo", "sources": [A_QUOTE_OF_ANOTHER_RECORD]}
        )

    edit_yaml(folder, "events.yaml", change)


def _duplicate_slug(folder: Path) -> None:
    def change(data: Data) -> None:
        data["events"].append(dict(record(data, "events", EVENT)))

    edit_yaml(folder, "events.yaml", change)


def _malformed_yaml(folder: Path) -> None:
    path = folder / "events.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - slug: [unclosed\n", encoding="utf-8")


def _unknown_field(folder: Path) -> None:
    edit_yaml(
        folder, "events.yaml", lambda data: record(data, "events", EVENT).update(colour="red")
    )


def _bad_vocabulary(folder: Path) -> None:
    edit_yaml(
        folder, "events.yaml", lambda data: record(data, "events", EVENT).update(kind="party")
    )


def _impossible_date(folder: Path) -> None:
    edit_yaml(
        folder, "events.yaml", lambda data: record(data, "events", EVENT).update(start="2015-13-01")
    )


def _end_before_start(folder: Path) -> None:
    edit_yaml(
        folder, "events.yaml", lambda data: record(data, "events", EVENT).update(end="2015-01-01")
    )


def _key_given_twice(folder: Path) -> None:
    path = folder / "states.yaml"
    text = path.read_text(encoding="utf-8")
    edited = text.replace("- code: KAZ\n", "- code: KAZ\n  code: KGZ\n", 1)
    assert edited != text, "the layout of states.yaml changed: update this edit"
    path.write_text(edited, encoding="utf-8")


def _ambiguous_quote(folder: Path) -> None:
    def change(data: Data) -> None:
        record(data, "events", EVENT)["sources"].append("Almaty Process")

    edit_yaml(folder, "events.yaml", change)


def _verbatim_field_not_quoted(folder: Path) -> None:
    def change(data: Data) -> None:
        record(data, "events", EVENT)["summary"] = "A meeting that changed everything."

    edit_yaml(folder, "events.yaml", change)


def _unknown_source_document(folder: Path) -> None:
    def change(data: Data) -> None:
        record(data, "states", "KAZ", "code")["sources"] = [
            {"quote": A_QUOTE_OF_ANOTHER_RECORD, "document": "no-such-document"}
        ]

    edit_yaml(folder, "states.yaml", change)


def _record_without_citation(folder: Path) -> None:
    edit_yaml(
        folder, "states.yaml", lambda data: record(data, "states", "KAZ", "code").update(sources=[])
    )


def _parent_cycle(folder: Path) -> None:
    def change(data: Data) -> None:
        record(data, "organizations", "iom")["parent"] = "iom"

    edit_yaml(folder, "organizations.yaml", change)


def _unknown_seed_file(folder: Path) -> None:
    (folder / "event.yaml").write_text("events: []\n", encoding="utf-8")


def _source_text_missing(folder: Path) -> None:
    (folder / "almaty-process.txt").unlink()


# Each mistake, the file the error must name, and the parts of the message that locate it.
MISTAKES: dict[str, tuple[Callable[[Path], None], str, list[str]]] = {
    "quote not in the document": (
        _quote_not_in_document,
        "events.yaml",
        [f"event '{EVENT}'", "sources[0]", "not found"],
    ),
    "dangling reference": (
        _dangling_reference,
        "events.yaml",
        [f"event '{EVENT}'", ".organization", "'prm-typo' is not a known organization"],
    ),
    "duplicate slug": (_duplicate_slug, "events.yaml", [f"event '{EVENT}'", "given twice"]),
    "malformed YAML": (_malformed_yaml, "events.yaml", ["line ", "malformed YAML"]),
    "unknown field": (_unknown_field, "events.yaml", [f"event '{EVENT}'", "colour"]),
    "bad vocabulary": (_bad_vocabulary, "events.yaml", [f"event '{EVENT}'", "kind", "senior"]),
    "impossible date": (_impossible_date, "events.yaml", [f"event '{EVENT}'", "start"]),
    "end before start": (_end_before_start, "events.yaml", [f"event '{EVENT}'", "before"]),
    "key given twice": (_key_given_twice, "states.yaml", ["'code' is given twice"]),
    "ambiguous quote": (_ambiguous_quote, "events.yaml", [f"event '{EVENT}'", "occurs"]),
    "verbatim field not quoted": (
        _verbatim_field_not_quoted,
        "events.yaml",
        [f"event '{EVENT}'", "summary", "word for word"],
    ),
    "unknown source document": (
        _unknown_source_document,
        "states.yaml",
        ["state 'KAZ'", "document", "no-such-document"],
    ),
    "record without citation": (
        _record_without_citation,
        "states.yaml",
        ["state 'KAZ'", "sources"],
    ),
    "organisation its own parent": (
        _parent_cycle,
        "organizations.yaml",
        ["organization 'iom'", "parent", "cycle"],
    ),
    "unknown seed file": (_unknown_seed_file, "event.yaml", ["not a seed file"]),
    "source text missing": (
        _source_text_missing,
        "sources.yaml",
        ["source 'almaty-process'", "path"],
    ),
}


def test_the_project_seed_is_valid() -> None:
    bundle = build_seed(SEED_DIR)
    assert len(bundle.version) == 64


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_mistake_is_refused_with_a_message_that_locates_it(seed_copy: Path, mistake: str) -> None:
    make_mistake, file, fragments = MISTAKES[mistake]
    make_mistake(seed_copy)

    with pytest.raises(SeedError) as raised:
        build_seed(seed_copy)

    message = str(raised.value)
    assert message.startswith(f"{seed_copy / file}: "), message
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message


@pytest.mark.parametrize(
    "mistake", ["quote not in the document", "malformed YAML", "dangling reference"]
)
def test_seed_check_command_exits_non_zero_with_one_line(
    almaty: Almaty, seed_copy: Path, mistake: str
) -> None:
    make_mistake, file, _ = MISTAKES[mistake]
    make_mistake(seed_copy)

    result = almaty("seed", "check", str(seed_copy))

    assert result.code == 1
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith(f"{seed_copy / file}: ")


def test_seed_check_command_passes_on_the_project_seed() -> None:
    # The command's smoke test, in a process of its own as a user runs it.
    command = [str(Path(sys.executable).with_name("almaty")), "seed", "check"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


@pytest.mark.parametrize(
    "mistake",
    ["quote not in the document", "dangling reference", "duplicate slug", "malformed YAML"],
)
def test_a_refused_load_leaves_the_database_unchanged(
    seeded_engine: sa.Engine, seed_copy: Path, mistake: str
) -> None:
    before = snapshot(seeded_engine)
    make_mistake, _, _ = MISTAKES[mistake]
    make_mistake(seed_copy)

    with pytest.raises(SeedError):
        load_seed(seeded_engine, seed_copy)

    assert snapshot(seeded_engine) == before
