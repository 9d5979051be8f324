"""Quality values of the `Accept` family of headers (RFC 9110 12.4.2), read one way everywhere."""

from collections.abc import Iterator


def _quality(value: str) -> float:
    """0 to 1; anything else ("2", "inf", "nan", no number) counts as not wanted."""
    try:
        quality = float(value)
    except ValueError:
        return 0.0
    return quality if 0.0 <= quality <= 1.0 else 0.0


def weighted(header: str) -> Iterator[tuple[str, float]]:
    """Each item a header lists (media type, coding...), lower-cased, with its weight."""
    for item in header.split(","):
        name, *parameters = (part.strip() for part in item.split(";"))
        weight = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                weight = _quality(value)
        yield name.lower(), weight
