# syntax=docker/dockerfile:1
# aws-backup-emulator: a local AWS Backup API on port 4566.
#   docker build -t aws-backup-emulator .
#   docker run --rm -p 4566:4566 aws-backup-emulator

# ---- build: compile TypeScript and the native SQLite binding ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY model ./model
COPY generated ./generated
COPY src ./src
COPY scripts/bundle.mjs ./scripts/bundle.mjs
# The bundle holds the emulator's code; node_modules keeps only the modules it loads at run time
# (the SQLite binding, pino-pretty, the AWS SDK clients of the data plane), without the ES module
# and type copies the SDK ships beside the CommonJS that Node loads, or the binding's sources.
RUN npm run build && npm prune --omit=dev \
 && find node_modules -type d \( -name dist-es -o -name dist-types \) -prune -exec rm -rf {} + \
 && rm -rf node_modules/better-sqlite3/deps node_modules/better-sqlite3/src \
      node_modules/better-sqlite3/build/Release/obj node_modules/better-sqlite3/build/Release/obj.target \
      node_modules/better-sqlite3/build/Release/sqlite3.a node_modules/better-sqlite3/build/Release/test_extension.node

# ---- run: only what the emulator needs, as a non-root user (about 40 MB over the base image:
# docs/container.md) ----
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4566 \
    DATA_DIR=/data \
    LOG_LEVEL=info
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/bundle ./dist/bundle
COPY --from=build /app/model/backup.openapi.json ./model/backup.openapi.json
COPY --from=build /app/src/admin/ui/index.html /app/src/admin/ui/dashboard.css /app/src/admin/ui/dashboard.js ./src/admin/ui/
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4566
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4566)+'/_emulator/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "dist/bundle/main.mjs"]
