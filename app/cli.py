"""The `almaty` command: migrate, load and check the seed, report coverage, serve."""

import argparse
import errno
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import sqlalchemy as sa

from app import migrations
from app.config import settings
from app.db import create_db_engine
from app.http.observability import configure_logging
from app.http.server import serve
from app.models import Citation, Claim, Event, Organization, SourceDocument, State
from app.models import Document as OutputDocument
from app.models.enums import ClaimBasis
from app.passages.coverage import document_coverage
from app.passages.text import Span
from app.seed.build import SeedBundle, build_seed
from app.seed.errors import SeedError
from app.seed.loader import load_seed, setup_lock


def _summary(bundle: SeedBundle) -> str:
    counts = {
        "sources": bundle.count(SourceDocument),
        "states": bundle.count(State),
        "organizations": bundle.count(Organization),
        "events": bundle.count(Event),
        "documents": bundle.count(OutputDocument),
        "citations": bundle.count(Citation),
        "claims": bundle.count(Claim),
    }
    return ", ".join(f"{count} {name}" for name, count in counts.items())


@cache
def _engine() -> sa.Engine:
    """The commands' engine: without a request's limits (a load takes its time, setup waits)."""
    return create_db_engine(settings.database_url, request_limits=False)


def _database_named(url: sa.URL) -> str:
    if url.get_backend_name() == "sqlite":
        return (url.database or "").removeprefix("file:")
    return f"PostgreSQL database {url.database} on {url.host}:{url.port or 5432}"


# SQLite's primary result codes, and PostgreSQL's SQLSTATEs, of a disk that takes no more.
_SQLITE_READONLY, _SQLITE_FULL = 8, 13
_PG_READONLY, _PG_DISK_FULL = "25006", "53100"


def _failure(error: sa.exc.DBAPIError | OSError) -> str:
    """One line naming the database (or file) and why it could not be written or read."""
    if isinstance(error, OSError):
        # The setup lock's file, beside the database: it names itself.
        where = error.filename
        if where is None:
            return str(error)
        if error.errno == errno.ENOSPC:
            return f"the disk holding {where} is full; nothing was written"
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return f"{where} is read-only; nothing was written"
        return f"{where}: {error.strerror or error}"
    database = _database_named(sa.make_url(settings.database_url))
    cause = error.orig
    code = getattr(cause, "sqlite_errorcode", None)
    state = getattr(cause, "sqlstate", None)
    if (code is not None and code & 0xFF == _SQLITE_FULL) or state == _PG_DISK_FULL:
        return f"the disk holding {database} is full; nothing was written"
    if (code is not None and code & 0xFF == _SQLITE_READONLY) or state == _PG_READONLY:
        return f"{database} is read-only; nothing was written"
    lines = str(cause).strip().splitlines()
    return f"{database}: {lines[0] if lines else type(cause).__name__}"


def _migrate(_: argparse.Namespace) -> int:
    migrations.upgrade(settings.database_url)
    print(f"database at revision {migrations.head_revision()}")
    return 0


def _seed_check(args: argparse.Namespace) -> int:
    bundle = build_seed(args.dir)
    print(f"{args.dir}: valid ({_summary(bundle)}); version {bundle.version[:12]}")
    return 0


def _seed_load(args: argparse.Namespace) -> int:
    report = load_seed(_engine(), args.dir)
    if report.unchanged:
        print(f"seed version {report.version[:12]} already loaded; nothing changed")
        return 0
    added, changed, removed = (
        sum(d.values()) for d in (report.added, report.changed, report.removed)
    )
    print(
        f"loaded seed version {report.version[:12]}: "
        f"{added} rows added, {changed} changed, {removed} removed"
    )
    return 0


def _seed_coverage(args: argparse.Namespace) -> int:
    bundle = build_seed(args.dir)
    spans: dict[str, list[Span]] = {slug: [] for slug in bundle.texts}
    for citation in bundle.rows.get(Citation, []):
        assert isinstance(citation, Citation)
        spans[citation.document_slug].append(Span(citation.start_offset, citation.end_offset))
    for slug, text in bundle.texts.items():
        coverage = document_coverage(slug, text, spans[slug])
        print(
            f"{slug}: {coverage.cited} of {coverage.sentences} sentences cited "
            f"({coverage.percent:.1f}%)"
        )
        for sentence in coverage.uncited:
            print(f"  uncited: {sentence}")
        claims = [c for c in bundle.rows.get(Claim, []) if isinstance(c, Claim)]
        mine = [c for c in claims if c.document_slug == slug]
        stated = [c for c in mine if c.basis == ClaimBasis.stated]
        share = 100.0 * len(stated) / len(mine) if mine else 100.0
        print(
            f"{slug}: {len(stated)} of {len(mine)} claim values checked against a quote "
            f"({share:.1f}%); the others are interpretations, each with its reason:"
        )
        for claim in mine:
            if claim.basis == ClaimBasis.interpretation:
                print(f"  {claim.subject_type} {claim.subject_id}: {claim.field}: {claim.note}")
    return 0


def _graphql_schema(_: argparse.Namespace) -> int:
    from app.graphql.schema import schema  # the GraphQL layer loads only for this command

    print(schema.as_str())
    return 0


def _setup(args: argparse.Namespace) -> int:
    """Migrate and load the seed once, however many replicas start at the same moment."""
    with setup_lock(_engine()):
        _migrate(args)
        return _seed_load(args)


def _serve(args: argparse.Namespace) -> int:
    return serve(host=args.host, port=args.port, reload=args.reload)


def _up(args: argparse.Namespace) -> int:
    _setup(args)
    return _serve(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="almaty", description=__doc__)
    configure_logging()
    commands = parser.add_subparsers(dest="command", required=True)

    def seed_dir_argument(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "dir",
            nargs="?",
            type=Path,
            default=settings.seed_dir,
            help="the seed folder (default: %(default)s)",
        )

    def serve_arguments(command: argparse.ArgumentParser) -> None:
        command.add_argument("--host", default="127.0.0.1")
        command.add_argument("--port", type=int, default=8000)
        command.add_argument("--reload", action="store_true", help="restart on code changes")

    commands.add_parser("migrate", help="upgrade the database to the newest schema").set_defaults(
        handler=_migrate
    )
    seed = commands.add_parser("seed", help="check, load or measure the seed data")
    seed_commands = seed.add_subparsers(dest="seed_command", required=True)
    for name, handler, text in (
        ("check", _seed_check, "validate a seed folder without touching the database"),
        ("load", _seed_load, "write the seed folder to the database in one transaction"),
        ("coverage", _seed_coverage, "list the sentences of each source no record cites"),
    ):
        command = seed_commands.add_parser(name, help=text)
        seed_dir_argument(command)
        command.set_defaults(handler=handler)
    commands.add_parser(
        "graphql-schema", help="print the GraphQL schema (SDL), as committed in schema.graphql"
    ).set_defaults(handler=_graphql_schema)
    setup = commands.add_parser(
        "setup", help="migrate and load the seed, once even when replicas start together"
    )
    seed_dir_argument(setup)
    setup.set_defaults(handler=_setup)
    serve = commands.add_parser("serve", help="serve the API")
    serve_arguments(serve)
    serve.set_defaults(handler=_serve)
    up = commands.add_parser("up", help="migrate, load the seed and serve: all in one")
    seed_dir_argument(up)
    serve_arguments(up)
    up.set_defaults(handler=_up)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except SeedError as error:
        print(error, file=sys.stderr)
        return 1
    except (sa.exc.DBAPIError, OSError) as error:
        # A full or read-only disk, a database away: one line, no traceback. A load is one
        # transaction, so nothing of it was kept.
        command = " ".join(filter(None, (args.command, getattr(args, "seed_command", None))))
        print(f"almaty {command}: {_failure(error)}", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
