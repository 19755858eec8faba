# Parley as an Airbyte source image. The entrypoint is exactly what the test suite runs:
# `node bin/parley.js <spec|check|discover|read> ...` (see test/contract/dockerfile.test.ts).
FROM node:20-bookworm-slim AS build
WORKDIR /airbyte/integration_code
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY connector ./connector
COPY sql ./sql
# npm install, not npm ci: the lock lists only the platform bindings the registry served when it was made.
RUN npm install --ignore-scripts && npx tsc -p tsconfig.json && npm prune --omit=dev

FROM node:20-bookworm-slim
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
