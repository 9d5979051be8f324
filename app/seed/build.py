"""Turning validated seed files into table rows: references resolved, quotes located, claims
checked. The files are read in the order their references need (app.seed.build_*)."""

import hashlib
from collections.abc import Sequence
from pathlib import Path

from app.seed.build_actors import build_organizations, build_sources, build_states
from app.seed.build_documents import build_documents
from app.seed.build_events import build_event_relations, build_events, build_projects
from app.seed.build_processes import build_process_parts, build_processes
from app.seed.builder import Builder, SeedBundle
from app.seed.reader import read_seed_files

__all__ = ["SeedBundle", "build_seed", "seed_version"]


def seed_version(seed_dir: Path, paths: Sequence[Path]) -> str:
    """A hash of every input file's name and bytes: the data version clients see."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(seed_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_seed(seed_dir: Path) -> SeedBundle:
    """Validate the whole seed folder and return its rows; raise SeedError at the first mistake."""
    files = read_seed_files(seed_dir)
    builder = Builder(files=files, seed_dir=seed_dir)
    for step in (
        build_sources,
        build_states,
        build_organizations,
        build_processes,
        build_documents,
        build_process_parts,
        build_projects,
        build_events,
        build_event_relations,
    ):
        step(builder)
    builder.check_claims()
    inputs = [seed_dir / name for name, label in files.labels.items() if Path(label).exists()]
    inputs += [seed_dir / spec.path for spec in files.sources.sources]
    return SeedBundle(
        version=seed_version(seed_dir, inputs), rows=dict(builder.rows), texts=builder.texts
    )
