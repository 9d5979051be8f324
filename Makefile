# `make serve`: set everything up and serve the API on SQLite, seeded from the documents.
# `make check`: lint, import layers, types and the whole test suite (SQLite and PostgreSQL), on
# both cores. The tooling has targets of its own, which CI (.ci/run) runs after it:
# `make bench-smoke`, `make faults` and `make docker-check`.
# `make almaty ARGS="seed check"`: the command-line tool, from the project's environment.

# uv installs the locked dependencies; without one on PATH, a private copy goes in .tools/.
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
RUN := $(UV) run --frozen
# GraphiQL's scripts, installed from the npm registry at the versions the lock file pins.
GRAPHIQL := graphiql/node_modules/.package-lock.json
# The /dashboard page's charting library, installed the same way.
DASHBOARD := dashboard/node_modules/.package-lock.json
# A TypeScript client generator and compiler, for the test of what generated clients get.
TSCLIENT := clients/typescript/node_modules/.package-lock.json
# Apollo Client, for the test of persisted queries as a dashboard sends them.
APOLLO := clients/apollo/node_modules/.package-lock.json
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve check almaty postgres browser wrk bench bench-smoke faults docker-check

# Serving needs no dev tools: a fresh clone installs only what the service runs on.
serve: $(UV) $(GRAPHIQL) $(DASHBOARD)
	$(RUN) --no-dev almaty up --host $(HOST) --port $(PORT)

check: $(UV) $(GRAPHIQL) $(DASHBOARD) $(TSCLIENT) $(APOLLO) postgres browser
	$(RUN) ruff format --check .
	$(RUN) ruff check .
	$(RUN) lint-imports
	$(RUN) mypy
	$(RUN) pytest -n 2 --dist loadgroup

# The `almaty` command (migrate, seed check|load|coverage, setup, serve, graphql-schema).
almaty: $(UV)
	$(RUN) almaty $(ARGS)

$(GRAPHIQL): graphiql/package.json graphiql/package-lock.json
	npm ci --prefix graphiql --no-audit --no-fund --ignore-scripts --loglevel=error

$(DASHBOARD): dashboard/package.json dashboard/package-lock.json
	npm ci --prefix dashboard --no-audit --no-fund --ignore-scripts --loglevel=error

$(TSCLIENT): clients/typescript/package.json clients/typescript/package-lock.json
	npm ci --prefix clients/typescript --no-audit --no-fund --ignore-scripts --loglevel=error

$(APOLLO): clients/apollo/package.json clients/apollo/package-lock.json
	npm ci --prefix clients/apollo --no-audit --no-fund --ignore-scripts --loglevel=error

# The tests need the PostgreSQL server on 127.0.0.1:5432; start the local cluster if it is down.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start || \
		echo "PostgreSQL is not running on 127.0.0.1:5432 and could not be started"

# The documentation tests drive Debian's headless Chromium (Playwright brings no browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || \
		(apt-get update -q && apt-get install -y -q chromium) || \
		echo "Chromium is missing and could not be installed: the browser tests will fail"

$(CURDIR)/.tools/bin/uv:
	python3 -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet 'uv>=0.9'

# `make bench`: the benchmark of bench/README.md (BENCH_ARGS=--quick for a short run). It drives
# the servers with Debian's wrk, installed here if missing, and needs PostgreSQL like the tests.
bench: $(UV) $(GRAPHIQL) postgres wrk
	$(RUN) python -m bench $(BENCH_ARGS)
	$(RUN) python -m bench.scale --write

# The benchmark's smoke run: 1-second runs of a few rows on the seed; fails on any error.
bench-smoke: $(UV) $(GRAPHIQL) postgres wrk
	$(RUN) python -m bench --smoke

# The benchmark and its smoke test drive the servers with Debian's wrk.
wrk:
	@command -v wrk >/dev/null 2>&1 || (apt-get update -q && apt-get install -y -q wrk) || \
		echo "wrk is missing and could not be installed: the benchmark tests will fail"

# `make faults`: the fault suite of faults/README.md (FAULTS_ARGS=--quick for short phases). It
# starts a PostgreSQL cluster of its own on another port and mounts small tmpfs (run it as root).
faults: $(UV) $(GRAPHIQL)
	$(RUN) python -m faults $(FAULTS_ARGS)

# `make docker-check`: builds the image and runs it for real (health check, /ready, answers,
# SIGTERM, two replicas on one PostgreSQL) when `docker` reaches a daemon; says it skipped
# otherwise. ../shared/tools/docker-local.sh starts a private daemon on these machines.
docker-check: $(UV) postgres
	$(RUN) python docker/check.py
