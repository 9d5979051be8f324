#!/bin/sh
# The image's entrypoint: migrate and load the seed (once, under an advisory lock, however many
# replicas start together), then serve. With arguments it runs them instead, e.g.
# `docker compose run api almaty seed load`.
set -eu

if [ "$#" -gt 0 ]; then
    exec "$@"
fi

almaty setup
# exec: uvicorn becomes this process, so SIGTERM reaches it and in-flight requests drain.
exec almaty serve --host "${HOST:-0.0.0.0}" --port "${PORT:-8000}"
