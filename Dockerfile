# Production image for the API and the worker (one image, two targets).
# Node 24 is the current LTS; the project declares it in package.json "engines" and .nvmrc.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm install, not npm ci: the lockfile here cannot list other platforms' optional binaries.
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps apps
COPY workflows workflows
COPY activities activities
COPY libs libs
COPY web web
# The web app (web/, Vite) goes to dist/web, which the API serves at its origin.
RUN npx tsc -p tsconfig.build.json \
 && node dist/apps/worker/bundle.js dist/workflow-bundle.js \
 && npx vite build --config web/vite.config.mjs --logLevel warn \
 && npm prune --omit=dev

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
USER node

FROM runtime AS api
EXPOSE 3000
ENV API_HOST=0.0.0.0 API_PORT=3000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "dist/apps/api/main.js"]

FROM runtime AS worker
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
CMD ["node", "--enable-source-maps", "dist/apps/worker/main.js"]
