"""The benchmark's smoke run: every row gets figures and no errors (timings are never asserted)."""

import pytest

from bench.run import Options, run_benchmark

# A system test (live servers and wrk): `-m "not slow"` skips it.
pytestmark = pytest.mark.slow


def test_the_smoke_run_measures_every_row_without_errors() -> None:
    outcome = run_benchmark(
        Options(seconds=1, single_seconds=1, rounds=1, backends=("sqlite",), events=0, smoke=True)
    )

    print(outcome.report)
    keys = {row.key for row in outcome.rows}
    assert {"ceiling", "sqlite/seed/list", "sqlite/seed/304", "sqlite/seed/cold"} <= keys
    for row in outcome.rows:
        measured = outcome.results[row.key]
        assert [run.requests > 0 for run in measured.many] == [True], row.key
        assert [run.requests > 0 for run in measured.single] == [True], row.key
        assert measured.errors == 0, row.key
        assert measured.rss_mb > 0, row.key
        # The answer checked before the load: right status, no GraphQL errors, a real 304.
        assert outcome.prepared[row.key].notes == [], row.key
