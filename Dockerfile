# syntax=docker/dockerfile:1
# Klartext in a container: dependencies installed in a build stage (native modules may need a compiler), a slim
# runtime stage without build tools that runs as the unprivileged `node` user. Documented in docs/deployment.md.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3, argon2 and sharp ship prebuilt binaries; the compiler is the fallback when none fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Runtime dependencies only (tsx and esbuild are among them: the server runs TypeScript and bundles its client at start).
RUN npm ci --omit=dev && npm cache clean --force

FROM node:20-bookworm-slim
# pg_dump/pg_restore for `klartext backup`/`restore` — bookworm's client is 15, matching the compose PostgreSQL;
# tini reaps zombies and forwards signals.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-15 tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    KLARTEXT_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY deploy/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
# The data directory (images, SEPA files; SQLite when no DATABASE_URL) belongs to the service user alone.
RUN ln -s /app/bin/klartext.mjs /usr/local/bin/klartext \
 && mkdir -p /data && chown node:node /data && chmod 700 /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Healthy = ready (GET /readyz: database answers, migrations current, not draining); `--live` would ask /livez only.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 CMD ["klartext", "healthcheck"]
ENTRYPOINT ["tini", "--", "docker-entrypoint.sh"]
CMD []
