"""What changed between two loads of the seed, for clients that sync instead of refetching."""

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.errors import NotFoundError
from app.models import ChangeRecord, DataVersion
from app.models.enums import ChangeAction
from app.queries.entities import BY_NAME
from app.schemas.discovery import Change, ChangeSet

# How many loads this process has made: a reader that remembers a version checks again when it
# changes (a reload elsewhere shows within `DATA_VERSION_CHECK`).
_loads_here = 0


def loaded_here() -> None:
    """This process loaded new data: every watcher of the version checks again at once."""
    global _loads_here
    _loads_here += 1


def loads_here() -> int:
    return _loads_here


def latest_version(session: Session) -> DataVersion | None:
    """The data version of the last load that changed something."""
    return session.exec(select(DataVersion).order_by(col(DataVersion.id).desc()).limit(1)).first()


@dataclass(frozen=True, slots=True)
class Seen:
    """The data version a read sees: what an answer says of it (X-Data-Version, a feed's
    stamp)."""

    version: str
    loaded_at: datetime


# Built once, two columns read as a tuple: the ORM's select of a whole DataVersion took twice the
# time, on every request.
_SEEN = (
    sa.select(col(DataVersion.version), col(DataVersion.loaded_at))
    .order_by(col(DataVersion.id).desc())
    .limit(1)
)


def snapshot_version(session: Session) -> Seen | None:
    """The data version a read transaction sees, read first and recorded on the session, so
    that the results remembered per version (`pagination.remembered`) are filed under it."""
    row = session.connection().execute(_SEEN).first()
    seen = Seen(row[0], row[1]) if row is not None else None
    session.info["data_version"] = seen.version if seen else None
    return seen


def current_version(engine: sa.Engine) -> DataVersion | None:
    """The data version served now, in a read of its own (no transaction held after)."""
    with Session(engine, expire_on_commit=False) as session:
        return latest_version(session)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _baseline(versions: list[DataVersion], since: str | datetime) -> int:
    """The id of the last load the client has seen: 0 when it has seen none."""
    if isinstance(since, datetime):
        earlier = [v.id or 0 for v in versions if _utc(v.loaded_at) <= since]
        return max(earlier, default=0)
    seen = [v.id or 0 for v in versions if v.version.startswith(since)]
    if not seen:
        raise NotFoundError("data version", since)
    return max(seen)


def changes_since(session: Session, *, since: str | datetime) -> ChangeSet:
    """The net change of every row touched after `since` (a data version or a timestamp)."""
    versions = list(session.exec(select(DataVersion).order_by(col(DataVersion.id))))
    if not versions:
        raise NotFoundError("data version", "any: the seed data is not loaded")
    baseline = _baseline(versions, since)
    by_id = {v.id: v for v in versions}
    records = session.exec(
        select(ChangeRecord)
        .where(col(ChangeRecord.data_version_id) > baseline)
        .order_by(col(ChangeRecord.id))
    ).all()
    # Fold each row's actions: added then removed is nothing; removed then added is a change.
    first: dict[tuple[str, str], str] = {}
    last: dict[tuple[str, str], ChangeRecord] = {}
    for record in records:
        key = (record.entity, record.key)
        first.setdefault(key, record.action)
        last[key] = record
    gone = {key for key, record in last.items() if record.action == "removed"}
    items = []
    for key, record in last.items():
        began, ended = first[key], record.action
        if began == "added" and ended == "removed":
            continue
        action = (
            ChangeAction.added
            if began == "added"
            else ChangeAction.removed
            if ended == "removed"
            else ChangeAction.changed
        )
        version = by_id[record.data_version_id]
        entity, row_key, subject, field = record.entity, record.key, None, None
        if entity == "claim":
            # A claim's key names its record and field: "event|second-som-2015|city|<hash>".
            entity, row_key, field, _ = record.key.split("|", 3)
            subject = f"{entity}/{row_key}"
        # A link only to what is still there: not to a removed row, nor to the record of a
        # claim when that record went in the same window.
        kind = BY_NAME.get(entity)
        url = None if (entity, row_key) in gone or kind is None else kind.url(row_key)
        items.append(
            Change(
                entity=record.entity,
                key=record.key,
                action=action,
                version=version.version,
                changed_at=_utc(version.loaded_at),
                url=url,
                subject=subject,
                field=field,
            )
        )
    shown = since.isoformat() if isinstance(since, datetime) else since
    return ChangeSet(since=shown, current_version=versions[-1].version, items=items)
