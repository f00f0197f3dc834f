# shenbao image: the worker (default), the dashboard (`serve`) and the one-off commands.
#   docker build -t shenbao .                          # lean: no OCR (scans classified by file name)
#   docker build --build-arg WITH_OCR=1 -t shenbao .   # + tesseract chi_sim and ImageMagick (scans by their title)
#   docker run --env-file shenbao.env -v shenbao-data:/data shenbao                 (the worker)
#   docker run --env-file shenbao.env -v shenbao-data:/data -p 8080:8080 shenbao serve
#   docker run --rm -v "$PWD:/in:ro" shenbao parse /in/form.docx                     (one-off)
# compose.yaml runs Redis, workers and the dashboard together; docs/operations.md explains it.
# Node 22 LTS here (20 reached its end of life in April 2026); the code also runs on 20 (package.json engines).

# ---- build: compile TypeScript with the dev dependencies, keep only dist/ ----
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would compile before the sources are here.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY workers ./workers
# Only what runs: the service's sources (no tests, scripts or fixtures in the image).
RUN printf '%s\n' '{"extends":"./tsconfig.json","compilerOptions":{"types":["node"],"sourceMap":false},"include":["src/**/*.ts","workers/**/*.ts"]}' > tsconfig.image.json \
 && npx tsc -p tsconfig.image.json

# ---- run: production dependencies only, no compiler, no LibreOffice ----
FROM node:22-bookworm-slim
ARG WITH_OCR=0
# poppler-utils: pdftoppm renders PDF previews and the pages OCR reads; tini: PID 1 that
# forwards SIGTERM (the worker finishes the job in hand) and reaps the reader processes.
# WITH_OCR=1 adds tesseract with chi_sim and ImageMagick, which crops a scan to its title first.
RUN set -eux; \
    apt-get update; \
    pkgs="poppler-utils tini ca-certificates"; \
    if [ "$WITH_OCR" = "1" ]; then pkgs="$pkgs tesseract-ocr tesseract-ocr-chi-sim imagemagick"; fi; \
    apt-get install -y --no-install-recommends $pkgs; \
    rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV NODE_ENV=production \
    STORAGE_DIR=/data/mail \
    WORKER_HTTP_PORT=9464 \
    HTTP_PORT=8080
COPY package.json package-lock.json ./
# --ignore-scripts: no `prepare` (dist/ comes from the build stage) and no native rebuilds
# (msgpackr-extract is optional; BullMQ falls back to plain JS).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY --from=build /src/dist ./dist
# The dashboard reads its templates and stylesheet from src/http at run time (src/http/paths.ts).
COPY src/http/views ./src/http/views
COPY src/http/assets ./src/http/assets
COPY bin ./bin
COPY campaigns ./campaigns
# config/imagemagick/policy.xml: the only policy OCR's ImageMagick runs under.
COPY config ./config
COPY docker/healthcheck.js ./docker/healthcheck.js

RUN mkdir -p /data/mail && chown -R node:node /data
USER node
VOLUME ["/data"]
# The worker's /healthz and /metrics (loopback unless WORKER_HTTP_HOST=0.0.0.0); the dashboard's port.
EXPOSE 9464 8080
# Unhealthy when Redis does not answer or no mailbox sweep succeeded for 5 minutes (worker),
# or the dashboard cannot reach Redis. No start period needed: a worker counts the 5 minutes
# from its own start, so a fresh container is healthy while it makes its first sweep.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["node", "docker/healthcheck.js"]
ENTRYPOINT ["/usr/bin/tini", "--", "bin/shenbao"]
CMD ["worker"]
