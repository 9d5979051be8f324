"""Does the validation cache hit with the abuse limits on? Time one query both ways.

    uv run python -m bench.graphql_cache

"as configured": the app's schema (limit rules built once, the parse and the validation of a
short query remembered by its text: app.http.memo). "limiters per request": the trap, limiters
constructed in a factory for every request with strawberry's caches; each brings a new
validation rule class, so the validation cache, keyed by the rules, never hits.
"""

import asyncio
import time
from collections.abc import Callable
from typing import Any
from unittest.mock import patch

import strawberry
from graphql import validate
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.validation_cache import _get_validate_cache

from app.graphql import schema as schema_module
from app.graphql.schema import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS, Query, schema

# Validation only: the query names fields but its resolvers never reach a database, because
# validation fails fast on nothing and execution is what we skip by asking for the typename.
QUERY = """{ __typename
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
    cache: Any = _get_validate_cache(256)  # strawberry's lru_cache wrapper
    # graphql-core's validate, as the schema calls it: how often it ran.
    with patch.object(schema_module, "validate", wraps=validate) as validations:
        configured = asyncio.run(_time(schema))
    cache.cache_clear()
    trapped = asyncio.run(_time(trap))
    info = cache.cache_info()
    print(f"{'setup':<22} {'µs/query':>9} {'validations':>12}")
    print(f"{'as configured':<22} {configured * 1e6:>9.0f} {validations.call_count:>12}")
    print(f"{'limiters per request':<22} {trapped * 1e6:>9.0f} {info.misses:>12}")
    print(f"(each ran {ROUNDS + 1} times)")


if __name__ == "__main__":
    main()
