"""Choosing a representation from the Accept header (RFC 9110 quality values)."""

from collections.abc import Sequence

from app.http.weights import weighted


def preferred(accept: str | None, offered: Sequence[str]) -> str:
    """The offered media type the client weights highest; the first offered one on a tie."""
    if not accept:
        return offered[0]
    weights: dict[str, float] = {}
    for media, quality in weighted(accept):
        weights[media] = max(quality, weights.get(media, 0.0))

    def weight(media: str) -> float:
        kind = media.split("/")[0]
        for pattern in (media, f"{kind}/*", "*/*"):
            if pattern in weights:
                return weights[pattern]
        return 0.0

    best = max(offered, key=lambda media: (weight(media), -offered.index(media)))
    return best if weight(best) > 0 else offered[0]
