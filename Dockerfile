# The hub's production image (docs/deploy.md). compose.yaml runs two of it behind one port with
# PostgreSQL and Redis; alone it runs on SQLite in its data volume:
#
#   docker build -t petition-hub .
#   docker run -p 3000:3000 -v hub-data:/app/data --env-file .env petition-hub
#
# The base image is pinned by its tag, the Node.js version CI tests with. For builds that are the
# same byte for byte, pin it by digest too (docs/deploy.md, "Pinning the images"):
#   docker build --build-arg NODE_IMAGE=node:20.20.2-bookworm-slim@sha256:<digest> .
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---- build: the production dependencies, native modules compiled where no binary fits, and the
# Prisma clients, and the compiled hub. Nothing of this stage but node_modules/, generated/ and dist/
# reaches the image.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary from GitHub when it can and compiles itself (node-gyp)
# when it cannot, as behind a firewall; @node-rs/argon2, @node-rs/jieba and sharp (@img/*) come
# prebuilt for linux glibc from npm and need nothing. The compilers stay in this stage.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# node-gyp compiles against the headers this image ships (/usr/local/include/node) instead of
# downloading them from nodejs.org.
ENV npm_config_nodedir=/usr/local
# Only what `npm ci` needs, so that this layer is rebuilt when the dependencies or the schema change,
# not on every change to the code. postinstall (scripts/prisma-generate.mjs) writes both Prisma
# clients into generated/ from prisma/schema.prisma, offline.
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts/prisma-generate.mjs scripts/
COPY prisma/schema.prisma prisma/
# devDependencies are the tests' (vitest, typescript, playwright, …): esbuild, which compiles the hub
# below, tsx, which runs the operator's commands, and the Prisma CLI that postinstall runs are dependencies.
RUN npm ci --omit=dev --no-audit --no-fund
# The hub runs compiled (scripts/build.mjs, npm start's prestart): dist/ mirrors the TypeScript folders.
COPY tsconfig.json ./
COPY scripts/build.mjs scripts/
COPY src src
COPY channels channels
COPY officers officers
RUN node scripts/build.mjs

# ---- runtime
FROM ${NODE_IMAGE} AS runtime
# NPM_CONFIG_UPDATE_NOTIFIER: npm run (the operator's commands) does not look for a newer npm.
ENV NODE_ENV=production NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
# Owned by root and read-only to the hub: the code cannot be changed by the process that runs it.
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/generated generated
COPY --from=build /app/dist dist
COPY package.json tsconfig.json ./
# The TypeScript too: the operator's commands run it through tsx, and the web pages are served from
# channels/ and officers/.
COPY src src
COPY channels channels
COPY officers officers
COPY intents intents
COPY prisma prisma
# scripts/: the operator's commands run in the container (npm run account, train, keys:rotate, audit:verify).
COPY scripts scripts
COPY deploy/healthcheck.mjs deploy/healthcheck.mjs
# Everything the hub writes lives in /app/data: the SQLite database (without DATABASE_URL), the
# trained language models (MODEL_DIR, trained on the first start and cached), and attachments
# (ATTACHMENTS_DIR, unless S3). A new named volume takes this folder's owner, so the hub can write it.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
# The unprivileged user of the official Node.js images (uid 1000).
USER node
# PORT's default (src/config.ts).
EXPOSE 3000
# 200 from GET /healthz once migrations ran and the models are loaded; 503 before. The first start
# trains the models (about half a minute on two cores), hence the long start period.
HEALTHCHECK --interval=10s --timeout=5s --start-period=180s --retries=3 CMD ["node", "deploy/healthcheck.mjs"]
# `npm start` without npm (the build ran above): node is PID 1 and gets SIGTERM itself (src/main.ts
# closes the hub on it).
CMD ["node", "--max-semi-space-size=32", "--expose-gc", "dist/src/main.js"]
