# A first image: the API on its embedded SQLite database. The production image (multi-stage,
# non-root, PostgreSQL, health check) is the subject of its own issue.
FROM python:3.11-slim

RUN pip install --no-cache-dir 'uv>=0.9'
WORKDIR /srv/almaty
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY app ./app
COPY migrations ./migrations
COPY seed ./seed
COPY alembic.ini ./
RUN uv sync --frozen --no-dev

ENV DATABASE_URL=sqlite:////srv/almaty/data/almaty.sqlite3
RUN mkdir -p /srv/almaty/data
EXPOSE 8000
CMD ["uv", "run", "--frozen", "--no-dev", "almaty", "up", "--host", "0.0.0.0", "--port", "8000"]
