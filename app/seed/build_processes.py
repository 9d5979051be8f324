"""The rows of processes: their actors, objectives and key areas."""

from app.models import (
    Document,
    KeyArea,
    Objective,
    Process,
    ProcessActor,
)
from app.seed.builder import Builder, Record, date_of


def build_processes(builder: Builder) -> None:
    if builder.files.processes is None:
        return
    label, default = builder.files.labels["processes.yaml"], builder.files.processes.source
    for spec in builder.files.processes.processes:
        where = Record(label, f"process '{spec.slug}'")
        initiated, launched = date_of(spec.initiated), date_of(spec.launched)
        process = Process(
            slug=spec.slug,
            name=spec.name,
            acronym=spec.acronym,
            kind=spec.kind,
            description=spec.description,
            initiated_date=initiated["date"],
            initiated_precision=initiated["precision"],
            launched_date=launched["date"],
            launched_precision=launched["precision"],
            secretariat_function=spec.secretariat_function,
        )
        builder.add(where, process, "process")
        builder.cite(
            where,
            spec,
            default,
            process,
            verbatim=[("description", spec.description)],
            reasons=builder.files.processes.interpreted,
        )


def build_process_parts(builder: Builder) -> None:
    """Actors, objectives and key areas: after documents, which objectives may cite."""
    if builder.files.processes is None:
        return
    label, default = builder.files.labels["processes.yaml"], builder.files.processes.source
    for spec in builder.files.processes.processes:
        where = Record(label, f"process '{spec.slug}'")
        for index, actor in enumerate(spec.actors):
            path = f"actors[{index}]"
            key = f"{spec.slug}/{actor.role}/{builder.actor(where, actor, path)}"
            row = ProcessActor(
                id=key,
                process_slug=spec.slug,
                role=actor.role,
                state_code=actor.state,
                organization_slug=actor.organization,
            )
            builder.add(where, row, "actor")
            builder.cite(where, actor, default, row, f"{path}.sources")
        for index, objective in enumerate(spec.objectives):
            path = f"objectives[{index}]"
            builder.require(where, Document, objective.document, f"{path}.document", "document")
            objective_row = Objective(
                process_slug=spec.slug,
                number=objective.number,
                text=objective.text,
                document_slug=objective.document,
            )
            builder.add(where, objective_row, "objective")
            builder.cite(
                where,
                objective,
                default,
                objective_row,
                f"{path}.sources",
                verbatim=[("text", objective.text)],
            )
        for position, area in enumerate(spec.key_areas, start=1):
            path = f"key_areas[{position - 1}]"
            key_area = KeyArea(process_slug=spec.slug, position=position, text=area.text)
            builder.add(where, key_area, "key area")
            builder.cite(
                where,
                area,
                default,
                key_area,
                f"{path}.sources",
                verbatim=[("text", area.text)],
            )
