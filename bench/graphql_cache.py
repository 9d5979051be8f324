"""Does the validation cache hit with the abuse limits on? Time one query both ways.

    uv run python -m bench.graphql_cache

"as configured": the app's schema (limit rules built once, a fresh extension per request).
"limiters per request": the trap, limiters constructed in a factory for every request; each
brings a new validation rule class, so the validation cache, keyed by the rules, never hits.
"""

import asyncio
import time
from collections.abc import Callable
from typing import Any

import strawberry
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.validation_cache import _get_validate_cache

from app.graphql.schema import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS, Query, schema

# Validation only: the query names fields but its resolvers never reach a database, because
# validation fails fast on nothing and execution is what we skip by asking for the typename.
QUERY = """{ __typename a: __typename b: __typename
  __schema { queryType { name fields { name args { name type { name kind } } } } } }"""
ROUNDS = 300


def _per_request_limiters() -> list[Callable[[], SchemaExtension]]:
    return [
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
    ]


async def _time(candidate: strawberry.Schema) -> float:
    await candidate.execute(QUERY)
    began = time.perf_counter()
    for _ in range(ROUNDS):
        result = await candidate.execute(QUERY)
        assert result.errors is None, result.errors
    return (time.perf_counter() - began) / ROUNDS


def main() -> None:
    trap = strawberry.Schema(query=Query, extensions=_per_request_limiters())
    cache: Any = _get_validate_cache(256)  # an lru_cache wrapper
    rows = []
    for name, candidate in (("as configured", schema), ("limiters per request", trap)):
        cache.cache_clear()
        seconds = asyncio.run(_time(candidate))
        info = cache.cache_info()
        rows.append((name, seconds * 1e6, info.hits, info.misses))
    print(f"{'setup':<22} {'µs/query':>9} {'cache hits':>11} {'misses':>7}")
    for name, micros, hits, misses in rows:
        print(f"{name:<22} {micros:>9.0f} {hits:>11} {misses:>7}")


if __name__ == "__main__":
    main()
