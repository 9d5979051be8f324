# syntax=docker/dockerfile:1

# GraphiQL's scripts, from the npm registry at the versions graphiql/package-lock.json pins.
FROM node:20-slim AS graphiql
WORKDIR /build
COPY graphiql/package.json graphiql/package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

# The /dashboard page's charting library, from dashboard/package-lock.json likewise.
FROM node:20-slim AS dashboard
WORKDIR /build
COPY dashboard/package.json dashboard/package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

# Python dependencies from uv.lock into a virtual environment; no compiler reaches the final image.
FROM python:3.11-slim AS build
COPY --from=ghcr.io/astral-sh/uv:0.9 /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /srv/almaty
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY app ./app
# Editable: the package stays at /srv/almaty/app, next to migrations/, seed/ and graphiql/.
RUN uv sync --frozen --no-dev

FROM python:3.11-slim
# The same user id on every host, so a mounted volume's files belong to it.
RUN groupadd --system --gid 10001 almaty \
    && useradd --system --uid 10001 --gid almaty --home-dir /srv/almaty --shell /usr/sbin/nologin almaty
WORKDIR /srv/almaty
COPY --from=build /opt/venv /opt/venv
COPY --from=graphiql /build/node_modules ./graphiql/node_modules
COPY --from=dashboard /build/node_modules ./dashboard/node_modules
COPY dashboard/dashboard.js dashboard/dashboard.css ./dashboard/
COPY app ./app
COPY alembic.ini ./
COPY migrations ./migrations
COPY seed ./seed
COPY docker/entrypoint.sh /usr/local/bin/entrypoint
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite:////srv/almaty/data/almaty.sqlite3 \
    WORKERS=2
RUN mkdir -p /srv/almaty/data && chown almaty:almaty /srv/almaty/data
USER 10001:10001
EXPOSE 8000
# The port the server listens on (PORT, as the entrypoint reads it), not a fixed 8000.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % (os.environ.get('PORT') or '8000'), timeout=2)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["entrypoint"]
