"""Memos of client input hold only short inputs, so what clients send never grows the process."""

from fastapi.testclient import TestClient

from app.http import cache as response_cache
from app.http.memo import SmallInputMemo


def test_a_memo_keeps_short_inputs_only_and_the_most_recent() -> None:
    seen: list[str] = []

    def upper(text: str) -> str:
        seen.append(text)
        return text.upper()

    memo = SmallInputMemo("test_upper", upper, entries=2, max_input=4)
    assert [memo("ab"), memo("ab"), memo("cd"), memo("ab"), memo("ef")] == [
        "AB",
        "AB",
        "CD",
        "AB",
        "EF",
    ]
    assert seen == ["ab", "cd", "ef"]  # "ab" computed once; "cd" was the least recent, dropped
    assert memo("cd") == "CD"
    assert seen[-1] == "cd"
    long = "é" * 3  # three characters, six bytes: longer than four bytes
    assert memo(long) == memo(long) == "É" * 3
    assert seen[-2:] == [long, long]
    assert memo.size <= 2 * 4


def test_thousands_of_long_query_strings_leave_the_query_memo_as_it_was(
    sqlite_api: TestClient,
) -> None:
    memo = response_cache._canonical_query
    sqlite_api.get("/api/v1/events?limit=5")
    before = memo.size
    for n in range(300):
        padding = f"{n:04d}" + "x" * 60_000
        answer = sqlite_api.get(f"/api/v1/events?q={padding}")
        assert answer.status_code == 400
    assert memo.size == before
    assert memo.size <= memo.entries * memo.max_input


def test_the_memos_are_counted_in_metrics(sqlite_api: TestClient) -> None:
    sqlite_api.get("/api/v1/events?limit=3")
    metrics = sqlite_api.get("/metrics").text
    for name in ("canonical_query", "accept_encoding", "graphql_parse"):
        assert f'almaty_memo_entries{{memo="{name}"}}' in metrics
        assert f'almaty_memo_bound_bytes{{memo="{name}"}}' in metrics
