"""How much of each source document the seed cites, sentence by sentence."""

from collections.abc import Iterable
from dataclasses import dataclass

from app.passages.text import SourceText, Span, normalize


@dataclass(frozen=True)
class Coverage:
    """Sentences of one document, and which of them no citation covers."""

    document: str
    sentences: int
    uncited: list[str]

    @property
    def cited(self) -> int:
        return self.sentences - len(self.uncited)

    @property
    def percent(self) -> float:
        return 100.0 * self.cited / self.sentences if self.sentences else 100.0


def document_coverage(document: str, text: SourceText, citations: Iterable[Span]) -> Coverage:
    """A sentence counts as cited when citations cover every letter and digit in it."""
    covered = bytearray(len(text.text))
    for span in citations:
        covered[span.start : span.end] = b"\1" * (span.end - span.start)
    sentences = text.sentences()
    uncited = [
        normalize(text.text[sentence.start : sentence.end])
        for sentence in sentences
        if any(
            char.isalnum() and not covered[sentence.start + offset]
            for offset, char in enumerate(text.text[sentence.start : sentence.end])
        )
    ]
    return Coverage(document=document, sentences=len(sentences), uncited=uncited)
