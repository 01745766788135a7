#!/bin/sh
# Klartext's container start: wait until the database answers, apply the migrations once, then become the server.
#
#   docker-entrypoint.sh [serve options]     e.g. docker-entrypoint.sh --workers 2
#
# Every replica runs this. Migrations are applied under the migrator's lock (an advisory lock on PostgreSQL), so when
# several replicas start together one applies them and the others find nothing left to do. `klartext` is found on PATH
# (the image links /usr/local/bin/klartext to /app/bin/klartext.mjs).
set -eu

# 1. The database may still be starting (compose starts PostgreSQL beside us): wait up to KLARTEXT_DB_WAIT_SECONDS.
klartext healthcheck --database --wait

# 2. Migrations, before any server process answers a request.
klartext migrate

# 3. The server replaces this shell, so `docker stop` (SIGTERM) reaches it directly and it drains cleanly.
exec klartext serve "$@"
