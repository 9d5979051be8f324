"""Claims: each value a record gives, checked against the passages it cites, filed per
document that states it (or as the curators' interpretation, with its reason)."""

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from app.models import Claim
from app.models.base import subject_of
from app.models.enums import ClaimBasis, ClaimRank, SubjectType
from app.seed.claims import Field, as_json, fields_of, shown
from app.seed.errors import SeedError
from app.seed.schema import Claimed

if TYPE_CHECKING:
    from app.seed.builder import Builder, Passage, Record


def claim_record(
    builder: "Builder",
    *,
    where: "Record",
    record: Claimed,
    subject: tuple[SubjectType, str],
    passages: "list[Passage]",
    default: str,
    prefix: str,
    reasons: Mapping[str, str] | None,
) -> None:
    """Each value of the record as a claim; then the record's other claims."""
    # The seed names fields as the curator writes them (`start`); claims carry the API's
    # name (`start_date`).
    fields = {declared.attr or declared.name: declared for declared in fields_of(record)}
    given = (
        (record.interpreted, f"{prefix}interpreted", where.label),
        (record.notes, f"{prefix}notes", where.label),
        (reasons or {}, "interpreted", None),  # the file's: for every record of its kind
    )
    for named, label, about in given:
        for name in named:
            if name not in fields:
                raise SeedError(
                    where.file,
                    f"{name!r} is not a claimed field of this record ({', '.join(fields)})",
                    record=about,
                    field=label,
                )
            if about is not None and not fields[name].values(record):
                # A reason or a note on a value the record does not give would never show.
                raise SeedError(
                    where.file,
                    f"{name!r} has no value here: nothing to explain",
                    record=about,
                    field=f"{label}.{name}",
                )
    own: dict[str, set[str]] = {}
    for name, declared in fields.items():
        values = declared.values(record)
        own[name] = {as_json(value) for value in values}
        own_reason = record.interpreted.get(name)
        reason = own_reason or (reasons or {}).get(name)
        for value in values:
            file_claim(
                builder,
                where=where,
                record=record,
                subject=subject,
                declared=declared,
                value=value,
                passages=passages,
                rank=ClaimRank.preferred,
                note=record.notes.get(name),
                reason=reason,
                path=f"{prefix}{name}",
                # A record's own reason must be needed; a file-wide one may not be.
                needed=own_reason is not None and not declared.many,
            )
    for index, other in enumerate(record.claims):
        path = f"{prefix}claims[{index}]"
        target = fields.get(other.field)
        if target is None:
            raise SeedError(
                where.file,
                f"{other.field!r} is not a claimed field of this record ({', '.join(fields)})",
                record=where.label,
                field=f"{path}.field",
            )
        try:
            value = target.check.parse(other.value)
        except (ValueError, TypeError, ValidationError) as error:
            raise SeedError(
                where.file,
                f"is not a value for {other.field}: {error}",
                record=where.label,
                field=f"{path}.value",
            ) from None
        agrees = as_json(value) in own[other.field]
        rank = other.rank or (ClaimRank.preferred if agrees else ClaimRank.normal)
        if rank == ClaimRank.preferred and not agrees:
            raise SeedError(
                where.file,
                "only the record's own value is preferred: rank this claim normal or "
                "deprecated, or make its value the record's",
                record=where.label,
                field=f"{path}.rank",
            )
        if rank == ClaimRank.deprecated and agrees:
            raise SeedError(
                where.file,
                "the record's own value cannot also be deprecated: change the record's "
                "value, or rank this claim preferred",
                record=where.label,
                field=f"{path}.rank",
            )
        file_claim(
            builder,
            where=where,
            record=record,
            subject=subject,
            declared=target,
            value=value,
            passages=[
                builder.locate(where, spec, default, f"{path}.sources[{at}]")
                for at, spec in enumerate(other.sources)
            ],
            rank=rank,
            note=other.note,
            reason=other.interpreted,
            path=f"{path}.value",
            needed=other.interpreted is not None,
        )


def file_claim(
    builder: "Builder",
    *,
    where: "Record",
    record: Claimed,
    subject: tuple[SubjectType, str],
    declared: Field,
    value: Any,
    passages: "list[Passage]",
    rank: ClaimRank,
    note: str | None,
    reason: str | None,
    path: str,
    needed: bool = False,
) -> None:
    """One claim per document whose passages state the value, or one interpretation.

    `needed`: the reason was given for this value alone, so a passage that states the value
    makes it stale, and it is refused rather than silently dropped.
    """
    kind = declared.check.refers_to
    if kind is not None and value not in builder.names.get(kind, {}):
        # The record's own references are checked as it is read; other claims' here.
        raise SeedError(
            where.file, f"{value!r} is not a known {kind}", record=where.label, field=path
        )
    stating: dict[str, list[Passage]] = defaultdict(list)
    for passage in passages:
        if declared.check.states(passage.text, value, record, builder.names):
            stating[passage.document].append(passage)
    basis = ClaimBasis.stated
    if stating and needed:
        raise SeedError(
            where.file,
            f"value {shown(value)!r} is stated by a cited passage: it needs no "
            "interpretation (remove the reason)",
            record=where.label,
            field=path,
        )
    if not stating:
        if reason is None:
            raise SeedError(
                where.file,
                f"value {shown(value)!r} is not stated in any cited passage",
                record=where.label,
                field=path,
            )
        # The reading rests on all the record's passages, filed under its first document.
        basis, note = ClaimBasis.interpretation, f"{reason} {note}" if note else reason
        stating[passages[0].document] = passages
    encoded = as_json(value)
    for document, cited in stating.items():
        # Readable, so that /changes can say which field of which record changed; the hash
        # keeps the id of the same claim stable across loads.
        digest = hashlib.sha256(f"{encoded}|{document}".encode()).hexdigest()[:12]
        claim_id = f"{subject[0]}|{subject[1]}|{declared.name}|{digest}"
        row = Claim(
            id=claim_id,
            subject_type=subject[0],
            subject_id=subject[1],
            field=declared.name,
            value=encoded,
            rank=rank,
            basis=basis,
            document_slug=document,
            note=note,
        )
        if claim_id in builder.keys[Claim]:
            raise SeedError(
                where.file,
                f"repeats the claim that {document!r} states {shown(value)!r} for {declared.name}",
                record=where.label,
                field=path,
            )
        builder.add(where, row, "claim")
        for index, passage in enumerate(cited):
            builder.file_citation(where, subject_of(row), passage, f"{path}.sources[{index}]")
