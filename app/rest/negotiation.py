"""Choosing a representation from the Accept header (RFC 9110 quality values)."""

from collections.abc import Sequence


def preferred(accept: str | None, offered: Sequence[str]) -> str:
    """The offered media type the client weights highest; the first offered one on a tie."""
    if not accept:
        return offered[0]
    weights: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
                # RFC 9110: 0 to 1; "inf" or "nan" must not outbid a real preference.
                if not 0.0 <= quality <= 1.0:
                    quality = 0.0
        weights[media.lower()] = max(quality, weights.get(media.lower(), 0.0))

    def weight(media: str) -> float:
        kind = media.split("/")[0]
        for pattern in (media, f"{kind}/*", "*/*"):
            if pattern in weights:
                return weights[pattern]
        return 0.0

    best = max(offered, key=lambda media: (weight(media), -offered.index(media)))
    return best if weight(best) > 0 else offered[0]
