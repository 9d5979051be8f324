"""Memos of what clients send, bounded in bytes: only inputs up to a size are kept.

A memo keyed by client input (a query string, a header, a GraphQL query) grows with whatever
clients send: 4,096 query strings of 60 KB each held a quarter of a gigabyte. Here an input
longer than `max_input` is computed every time and never kept, and at most `entries` inputs are
kept (least recently used out), so the inputs kept never take more than `entries * max_input`
bytes. The few large inputs a real client sends cost a computation each; an attacker's cost
nothing to keep. Each memo is counted in /metrics: entries and bytes of the inputs it holds.
"""

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from prometheus_client import Gauge

Result = TypeVar("Result")
Input = TypeVar("Input", bound=str | bytes)

ENTRIES = Gauge("almaty_memo_entries", "inputs a memo holds", ["memo"])
INPUT_BYTES = Gauge("almaty_memo_input_bytes", "bytes of the inputs a memo holds", ["memo"])
BOUND_BYTES = Gauge("almaty_memo_bound_bytes", "the most bytes of inputs a memo may hold", ["memo"])


class SmallInputMemo(Generic[Input, Result]):
    """`function`'s results for inputs of at most `max_input` bytes, `entries` of them."""

    def __init__(
        self, name: str, function: Callable[[Input], Result], *, entries: int, max_input: int
    ) -> None:
        self.function: Callable[[Input], Result] = function
        self.entries = entries
        self.max_input = max_input
        self.size = 0
        # Each input's result and its size in bytes (UTF-8 for a text).
        self._kept: OrderedDict[Input, tuple[Result, int]] = OrderedDict()
        self._entries = ENTRIES.labels(name)
        self._bytes = INPUT_BYTES.labels(name)
        BOUND_BYTES.labels(name).set(entries * max_input)

    def __call__(self, given: Input) -> Result:
        if given in self._kept:
            self._kept.move_to_end(given)
            return self._kept[given][0]
        result = self.function(given)
        self.keep(given, result)
        return result

    def find(self, given: Input) -> Result | None:
        """The result kept for `given`, if any (for results computed elsewhere: `keep`)."""
        if given not in self._kept:
            return None
        self._kept.move_to_end(given)
        return self._kept[given][0]

    def keep(self, given: Input, result: Result) -> None:
        """Keep `result` for `given`, if `given` is small enough to be kept."""
        # Characters first: a long text is never encoded to be measured.
        if len(given) <= self.max_input:
            size = len(given) if isinstance(given, bytes) else len(given.encode())
            if size <= self.max_input:
                self._keep(given, result, size)

    def _keep(self, given: Input, result: Result, size: int) -> None:
        self._kept[given] = (result, size)
        self.size += size
        while len(self._kept) > self.entries:
            _, (_, dropped) = self._kept.popitem(last=False)
            self.size -= dropped
        self._entries.set(len(self._kept))
        self._bytes.set(self.size)

    def clear(self) -> None:
        self._kept.clear()
        self.size = 0
        self._entries.set(0)
        self._bytes.set(0)
