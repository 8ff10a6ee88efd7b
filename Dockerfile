# syntax=docker/dockerfile:1
# Lapwing's container image: built once, run as `serve`, `worker`, `migrate` or `consume nats`
# (see docs/deployment.md and compose.yaml).
#   docker build -t lapwing .
#   docker run --rm -e LAPWING_DATABASE_URL=postgres://… lapwing migrate

# ---- build: every dependency, the compiled server in dist/ and the console in console/dist/, then only production dependencies kept
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Compilers for the rare platform with no prebuilt better-sqlite3 binary; this stage is thrown away.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Dependencies first (a cached layer while only the sources change); `prepare` needs the sources,
# so scripts run in the next steps instead: the packages' own install scripts, then the build.
RUN npm ci --ignore-scripts && npm rebuild
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY scripts ./scripts
COPY src ./src
COPY console ./console
RUN npm run build && npm prune --omit=dev

# ---- run: production dependencies and dist/ only, as an unprivileged user
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    LAPWING_HOST=0.0.0.0 \
    LAPWING_PORT=7878
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/console/dist ./console/dist
# ./data holds the PDQ index snapshot on PostgreSQL (a per-container cache) or the SQLite file.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 7878
# `serve` answers /healthz; `worker`, `migrate` and `consume` have no HTTP port (compose.yaml turns the check off for them).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.LAPWING_PORT || 7878) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/lapwing.mjs"]
CMD ["serve"]
