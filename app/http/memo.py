"""Bounded memories of what clients send: least recently used out, within entries and bytes.

A memo keyed by client input (a query string, a header, a GraphQL query) grows with whatever
clients send: 4,096 query strings of 60 KB each held a quarter of a gigabyte. Here an input
longer than `max_input` is computed every time and never kept, and at most `entries` inputs are
kept (least recently used out), so the inputs kept never take more than `entries * max_input`
bytes. The few large inputs a real client sends cost a computation each; an attacker's cost
nothing to keep. Each memo is counted in /metrics: entries and bytes of what it holds.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from prometheus_client import Gauge

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")
Result = TypeVar("Result")
Input = TypeVar("Input", bound=str | bytes)

ENTRIES = Gauge("almaty_memo_entries", "entries a memo holds", ["memo"])
INPUT_BYTES = Gauge("almaty_memo_input_bytes", "bytes of what a memo holds", ["memo"])
BOUND_BYTES = Gauge("almaty_memo_bound_bytes", "the most bytes a memo may hold", ["memo"])


def utf8_size(text: str | bytes) -> int:
    """The size of a text in bytes, as UTF-8."""
    return len(text) if isinstance(text, bytes) else len(text.encode())


class BoundedStore(Generic[Key, Value]):
    """Values by key, at most `entries` of them and `max_bytes` in all (as the caller measures
    each), the least recently used dropped first. Safe to share between the server's loop and
    the GraphQL executor's thread (one lock; a value is computed outside it)."""

    def __init__(self, name: str, *, entries: int, max_bytes: int) -> None:
        self.entries = entries
        self.max_bytes = max_bytes
        self.size = 0
        self._lock = threading.Lock()
        # Each key's value and its size in bytes.
        self._kept: OrderedDict[Key, tuple[Value, int]] = OrderedDict()
        self._entries = ENTRIES.labels(name)
        self._bytes = INPUT_BYTES.labels(name)
        BOUND_BYTES.labels(name).set(max_bytes)

    def __len__(self) -> int:
        return len(self._kept)

    def find(self, key: Key) -> Value | None:
        """The value kept for `key`, if any (now the most recently used)."""
        with self._lock:
            found = self._kept.get(key)
            if found is None:
                return None
            self._kept.move_to_end(key)
            return found[0]

    def put(self, key: Key, value: Value, size: int) -> None:
        """Keep `value` for `key`, unless it alone is larger than the store."""
        if size > self.max_bytes or self.entries <= 0:
            return
        with self._lock:
            previous = self._kept.pop(key, None)
            if previous is not None:
                self.size -= previous[1]
            self._kept[key] = (value, size)
            self.size += size
            while len(self._kept) > self.entries or self.size > self.max_bytes:
                _, (_, dropped) = self._kept.popitem(last=False)
                self.size -= dropped
            self._entries.set(len(self._kept))
            self._bytes.set(self.size)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self.size = 0
            self._entries.set(0)
            self._bytes.set(0)


class SmallInputMemo(BoundedStore[Input, Result]):
    """`function`'s results for inputs of at most `max_input` bytes, `entries` of them."""

    def __init__(
        self, name: str, function: Callable[[Input], Result], *, entries: int, max_input: int
    ) -> None:
        super().__init__(name, entries=entries, max_bytes=entries * max_input)
        self.function: Callable[[Input], Result] = function
        self.max_input = max_input

    def __call__(self, given: Input) -> Result:
        with self._lock:
            found = self._kept.get(given)
            if found is not None:
                self._kept.move_to_end(given)
        if found is not None:
            return found[0]
        result = self.function(given)
        self.keep(given, result)
        return result

    def keep(self, given: Input, result: Result) -> None:
        """Keep `result` for `given`, if `given` is small enough to be kept."""
        # Characters first: a long text is never encoded to be measured.
        if len(given) <= self.max_input:
            size = utf8_size(given)
            if size <= self.max_input:
                self.put(given, result, size)
