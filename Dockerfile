# syntax=docker/dockerfile:1
#
# Greenfin images: `docker build --target api .` and `docker build --target worker .`
# (compose.yaml builds both). See docs/operations.md.
#
# The API (`packages/api`, script `start`) and the Temporal worker (`npm run worker`) run their
# TypeScript from source through `tsx`, exactly as `npm start` does; there is no compiled build of
# those two packages yet. `tsx` is a root devDependency, so the runtime images keep the full
# `npm ci` install (dev dependencies included). `npm run build` compiles the publishable packages
# (`@greenfin/core`, `@greenfin/sdk`) into `dist/`, which is where `@greenfin/core` resolves for any
# process that does not use a package's tsconfig `paths`.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: install every dependency and build the publishable packages -----------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# puppeteer-core never downloads a browser; the variable also stops any puppeteer install script.
ENV PUPPETEER_SKIP_DOWNLOAD=1 \
    TURBO_TELEMETRY_DISABLED=1 \
    CI=true
# Manifests first, so the dependency layer is reused while only sources change.
COPY package.json package-lock.json .npmrc ./
COPY packages/core/package.json packages/core/
COPY packages/api/package.json packages/api/
COPY packages/workflows/package.json packages/workflows/
COPY packages/sdk/package.json packages/sdk/
RUN npm ci
COPY . .
RUN npm run build

# ---- api: the Koa REST API ----------------------------------------------------------------------
FROM ${NODE_IMAGE} AS api
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
# Files stay owned by root (read-only to the app); the process runs as the image's `node` user.
COPY --from=build /app /app
WORKDIR /app/packages/api
USER node
EXPOSE 3000
# Ready = database reachable and every migration applied (GET /readyz answers 503 otherwise).
# The slim image has no curl: Node's own fetch does the probe.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `node --import tsx` (one process, so SIGTERM reaches main.ts's shutdown directly); tsx reads
# packages/api/tsconfig.json from the working directory.
CMD ["node", "--import", "tsx", "src/main.ts"]

# ---- worker: the Temporal worker, with Chromium for PDF reports ---------------------------------
FROM ${NODE_IMAGE} AS worker
# Debian's Chromium and the Liberation fonts the report stylesheet asks for (docs/reports.md).
RUN apt-get update \
  && apt-get install -y --no-install-recommends chromium fonts-liberation \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    CHROMIUM_PATH=/usr/bin/chromium \
    PUPPETEER_SKIP_DOWNLOAD=1
COPY --from=build /app /app
WORKDIR /app/packages/workflows
USER node
# The worker has no HTTP endpoint to probe; Temporal shows its pollers (Task Queues in the UI).
CMD ["node", "--import", "tsx", "src/temporal/worker.ts"]
