"""Reading the seed folder: YAML parsed strictly and checked against the schema."""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from app.seed.errors import SeedError
from app.seed.schema import (
    DocumentsFile,
    EventsFile,
    OrganizationsFile,
    ProcessesFile,
    ProjectsFile,
    SourcesFile,
    StatesFile,
)

# Each file, the model it must match, and for each top-level list the word for one record
# and the field that identifies it (used to name the record in error messages).
SEED_FILES: dict[str, type[BaseModel]] = {
    "sources.yaml": SourcesFile,
    "states.yaml": StatesFile,
    "organizations.yaml": OrganizationsFile,
    "processes.yaml": ProcessesFile,
    "documents.yaml": DocumentsFile,
    "projects.yaml": ProjectsFile,
    "events.yaml": EventsFile,
}
RECORD_NAMES: dict[str, tuple[str, str]] = {
    "sources": ("source", "slug"),
    "states": ("state", "code"),
    "organizations": ("organization", "slug"),
    "people": ("person", "slug"),
    "processes": ("process", "slug"),
    "documents": ("document", "slug"),
    "projects": ("project", "slug"),
    "events": ("event", "slug"),
}

_RECORD_ID = re.compile(r"^\s*-?\s*(?:slug|code):\s*['\"]?([\w-]+)", re.MULTILINE)

FileModel = TypeVar("FileModel", bound=BaseModel)


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice in one mapping (PyYAML keeps the last)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' is given twice (line {mark.line + 1})", mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay strings so that "2013-06" and "2013-06-05" are parsed by one rule, with precision.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def record_label(data: Any, list_key: str, index: int) -> str:
    """How an error names record `index` of `list_key`: "event 'x'" or "event #3"."""
    noun, id_field = RECORD_NAMES.get(list_key, (list_key, "slug"))
    try:
        ident = data[list_key][index][id_field]
    except (KeyError, IndexError, TypeError):
        return f"{noun} #{index + 1}"
    return f"{noun} '{ident}'"


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not part.startswith(("function-", "json-or-python", "str", "is-instance")):
            path += f".{part}" if path else part
    return path


def parse_yaml(path: Path, label: str) -> Any:
    """The YAML document in `path`, or a SeedError naming the line that is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SeedError(label, f"cannot be read: {error}") from None
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = None
        if mark is not None:
            where = f"line {mark.line + 1}, column {mark.column + 1}"
            preceding = _RECORD_ID.findall("\n".join(text.splitlines()[: mark.line + 1]))
            if preceding:
                where += f" (in or after record '{preceding[-1]}')"
        raise SeedError(label, f"malformed YAML: {error.problem or error}", record=where) from None


def validate(data: Any, model: type[FileModel], label: str) -> FileModel:
    """`data` as `model`, or a SeedError naming the first record and field that do not fit."""
    if data is None:
        raise SeedError(label, "is empty")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = first["loc"]
        record = None
        if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
            record = record_label(data, loc[0], loc[1])
            loc = loc[2:]
        message = re.sub(r" or instance of \w+", "", first["msg"]).removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "is not a known field"
        raise SeedError(label, message, record=record, field=_field_path(loc) or None) from None


@dataclass(frozen=True)
class SeedFiles:
    """Every seed file of a folder, parsed and validated against its schema."""

    labels: dict[str, str]
    sources: SourcesFile
    states: StatesFile | None
    organizations: OrganizationsFile | None
    processes: ProcessesFile | None
    documents: DocumentsFile | None
    projects: ProjectsFile | None
    events: EventsFile | None


def read_seed_files(seed_dir: Path) -> SeedFiles:
    """Parse and validate the YAML files of `seed_dir`; refuse unknown ones."""
    if not seed_dir.is_dir():
        raise SeedError(str(seed_dir), "is not a folder")
    labels = {name: str(seed_dir / name) for name in SEED_FILES}
    for path in sorted(seed_dir.glob("*.y*ml")):
        if path.name not in SEED_FILES:
            known = ", ".join(SEED_FILES)
            raise SeedError(str(path), f"is not a seed file this loader knows ({known})")
    parsed: dict[str, Any] = {}
    for name, model in SEED_FILES.items():
        path = seed_dir / name
        if not path.exists():
            if name == "sources.yaml":
                raise SeedError(labels[name], "is missing: every seed folder lists its sources")
            parsed[name] = None
            continue
        parsed[name] = validate(parse_yaml(path, labels[name]), model, labels[name])
    return SeedFiles(
        labels=labels,
        sources=parsed["sources.yaml"],
        states=parsed["states.yaml"],
        organizations=parsed["organizations.yaml"],
        processes=parsed["processes.yaml"],
        documents=parsed["documents.yaml"],
        projects=parsed["projects.yaml"],
        events=parsed["events.yaml"],
    )
