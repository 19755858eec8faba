# Parley's images. Two targets, one entrypoint: exactly what the test suite runs,
# `node bin/parley.js <command> ...` (test/contract/dockerfile.test.ts checks that every path the
# code reads at runtime is copied into the target that needs it, and that the tests cited here exist).
#
#   docker build -t parley/source-parley:0.1.0 .                   the Airbyte source (the default: last stage)
#   docker build --target runner -t parley/runner:0.1.0 .          + Python, the pinned dbt venv and transformations/:
#                                                                   `parley sync | transform | run` in a container
FROM node:20-bookworm-slim AS build
WORKDIR /airbyte/integration_code
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY connector ./connector
COPY sql ./sql
# npm install, not npm ci: the lock lists only the platform bindings the registry served when it was made.
RUN npm install --ignore-scripts && npx tsc -p tsconfig.json && npm prune --omit=dev

# What both targets run: the compiled connector, its production node_modules, and the files it reads
# (package.json and sql/ mark the package root, connector/core/paths.ts).
FROM node:20-bookworm-slim AS base
WORKDIR /airbyte/integration_code
COPY --from=build /airbyte/integration_code/package.json ./package.json
COPY --from=build /airbyte/integration_code/node_modules ./node_modules
COPY --from=build /airbyte/integration_code/dist ./dist
COPY --from=build /airbyte/integration_code/bin ./bin
COPY --from=build /airbyte/integration_code/sql ./sql
COPY spec.json ./spec.json
ENV AIRBYTE_ENTRYPOINT="node /airbyte/integration_code/bin/parley.js"
ENTRYPOINT ["node", "/airbyte/integration_code/bin/parley.js"]
LABEL io.airbyte.name=parley/source-parley
LABEL io.airbyte.version=0.1.0

# `docker build --target runner`: the scheduled job (`parley run --config /config/sync.json`). The dbt
# project, and the venv connector/transform/venv.ts looks for: .venv beside package.json, with the
# pinned requirements and the stamp of their hash, so the first run does not rebuild it
# (test/e2e/ultimate-duckdb.test.ts runs `parley run` the same way).
FROM base AS runner
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv && rm -rf /var/lib/apt/lists/*
COPY transformations ./transformations
RUN python3 -m venv /airbyte/integration_code/.venv \
 && /airbyte/integration_code/.venv/bin/pip install --no-cache-dir --disable-pip-version-check -r transformations/requirements.txt \
 && sha256sum transformations/requirements.txt | cut -d' ' -f1 > /airbyte/integration_code/.venv/.parley-requirements.sha256

# The default target (last): the Airbyte source, without Python (spec, check, discover, read).
FROM base AS source
