"""The one error a seed folder can fail with: it names the file, the record and the field."""


class SeedError(Exception):
    """A mistake in the seed data; nothing is written when one is raised."""

    def __init__(
        self, file: str, message: str, *, record: str | None = None, field: str | None = None
    ) -> None:
        self.file = file
        self.record = record
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        return ": ".join(
            part for part in (self.file, self.record, self.field, self.message) if part
        )
