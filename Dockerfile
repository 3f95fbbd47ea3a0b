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
RUN npm run build && npm prune --omit=dev

# ---- run: only what the emulator needs, as a non-root user ----
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4566 \
    DATA_DIR=/data \
    LOG_LEVEL=info
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/model/backup.openapi.json ./model/backup.openapi.json
COPY --from=build /app/src/admin/ui ./src/admin/ui
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4566
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4566)+'/_emulator/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "dist/bundle/main.mjs"]
