"""Finding quoted passages in a source document: whitespace-normalised search, slides, sentences."""

import itertools
import re
from bisect import bisect_right
from dataclasses import dataclass, field

_SLIDE_MARKER = re.compile(r"\[slide (\d+)\]")
_WHITESPACE = re.compile(r"\s+")
# Where a sentence ends: terminal punctuation (maybe closed by a quote or bracket) before
# whitespace; the start of a bullet line (the extraction indents bullets by one space); the start
# of a numbered item such as "2) To facilitate"; and right after a slide marker.
_SENTENCE_END = re.compile(r"[.?!][\u201d\u2019\"')]*(?=\s)|\[slide \d+\]")
_SENTENCE_START = re.compile(r"\n(?: +(?=\S)|(?=\d+\)\s))")
_ABBREVIATIONS = ("U.S.", "etc.", "e.g.", "i.e.", "No.", "Mr.", "Ms.", "Dr.")


def normalize(text: str) -> str:
    """Collapse every run of whitespace into one space and trim the ends."""
    return _WHITESPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class SourceText:
    """A source document's text with an index for whitespace-insensitive search."""

    text: str
    _normalized: str = field(init=False, repr=False)
    _origin: list[int] = field(init=False, repr=False)
    _slide_starts: list[int] = field(init=False, repr=False)
    _slide_numbers: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        chars: list[str] = []
        origin: list[int] = []
        for match in re.finditer(r"\s+|\S+", self.text):
            if match.group().isspace():
                chars.append(" ")
                origin.append(match.start())
            else:
                chars.extend(match.group())
                origin.extend(range(match.start(), match.end()))
        self._normalized = "".join(chars)
        self._origin = origin
        # A slide marker ends its slide's heading line, so the slide starts with that line.
        self._slide_starts = []
        self._slide_numbers = []
        for marker in _SLIDE_MARKER.finditer(self.text):
            self._slide_starts.append(self.text.rfind("\n", 0, marker.start()) + 1)
            self._slide_numbers.append(int(marker.group(1)))

    def find(self, quote: str) -> list[Span]:
        """Every place the quote occurs, as spans of the original text."""
        needle = normalize(quote)
        spans: list[Span] = []
        if not needle:
            return spans
        at = self._normalized.find(needle)
        while at != -1:
            last = at + len(needle) - 1
            spans.append(Span(self._origin[at], self._origin[last] + 1))
            at = self._normalized.find(needle, at + 1)
        return spans

    def slide_at(self, offset: int) -> int | None:
        """The slide a character belongs to, or None before the first marked slide."""
        index = bisect_right(self._slide_starts, offset) - 1
        return self._slide_numbers[index] if index >= 0 else None

    def sentences(self) -> list[Span]:
        """The document cut into sentences, bullet items, numbered items and headings."""
        cuts = {0, len(self.text)}
        for match in _SENTENCE_END.finditer(self.text):
            if not self.text.endswith(_ABBREVIATIONS, 0, match.end()):
                cuts.add(match.end())
        cuts.update(match.start() for match in _SENTENCE_START.finditer(self.text))
        bounds = sorted(cuts)
        spans: list[Span] = []
        for start, end in itertools.pairwise(bounds):
            piece = self.text[start:end]
            if any(char.isalnum() for char in piece):
                lead = len(piece) - len(piece.lstrip())
                spans.append(Span(start + lead, start + len(piece.rstrip())))
        return spans
