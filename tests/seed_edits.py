"""Editing a copy of the seed folder the way a contributor might, mistakes included."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

Data = dict[str, Any]


def edit_yaml(folder: Path, name: str, change: Callable[[Data], None]) -> None:
    """Parse `name`, let `change` alter it, write it back."""
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def record(data: Data, list_key: str, ident: str, id_field: str = "slug") -> Data:
    """The record of `data[list_key]` whose `id_field` is `ident`."""
    found: Data = next(item for item in data[list_key] if item[id_field] == ident)
    return found
